import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration } from '../../../sandbox/server/duration.ts';

const rows: Array<[string, number | null]> = [
  ['500ms', 500],
  ['90s', 90_000],
  ['30m', 1_800_000],
  ['2h', 7_200_000],
  ['1.5m', 90_000],
  [' 10s ', 10_000],
  ['0s', null],
  ['10', null],
  ['10 m', null],
  ['soon', null],
  ['-5s', null],
];
for (const [input, want] of rows) test(`parseDuration(${JSON.stringify(input)}) = ${want}`, () => assert.equal(parseDuration(input), want));
