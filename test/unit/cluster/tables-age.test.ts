// AGE as apimachinery's HumanDuration prints it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { age, humanDuration } from '../../../sandbox/cluster/tables/index.ts';

const S = 1000, M = 60 * S, H = 60 * M, D = 24 * H;

const rows: Array<[string, number, string]> = [
  ['now', 0, '0s'],
  ['a second in the future still counts as now', -1500, '0s'],
  ['further in the future is invalid', -5 * S, '<invalid>'],
  ['seconds up to two minutes', 119 * S, '119s'],
  ['two minutes', 2 * M, '2m'],
  ['minutes and seconds under ten minutes', 5 * M + 30 * S, '5m30s'],
  ['whole minutes from ten minutes', 10 * M + 59 * S, '10m'],
  ['minutes up to three hours', 179 * M, '179m'],
  ['hours and minutes under eight hours', 3 * H + 5 * M, '3h5m'],
  ['whole hours', 3 * H, '3h'],
  ['hours up to two days', 47 * H + 59 * M, '47h'],
  ['days and hours under eight days', 2 * D + 4 * H, '2d4h'],
  ['whole days', 3 * D, '3d'],
  ['days up to two years', 729 * D, '729d'],
  ['years and days under eight years', 3 * 365 * D + 12 * D, '3y12d'],
  ['whole years', 2 * 365 * D, '2y'],
  ['years only from eight years', 9 * 365 * D + 100 * D, '9y'],
];

describe('humanDuration', () => {
  for (const [name, ms, want] of rows) test(name, () => assert.equal(humanDuration(ms), want));
});

describe('age', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  test('from a creationTimestamp', () => assert.equal(age('2017-11-20T10:00:00Z', now), '8y'));
  test('missing timestamp', () => assert.equal(age(undefined, now), '<unknown>'));
  test('unparseable timestamp', () => assert.equal(age('yesterday', now), '<unknown>'));
});
