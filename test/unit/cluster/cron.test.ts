// The CronJob schedule parser: robfig/cron's standard syntax, its error wording, next run times
// in UTC and in a time zone (across a DST change).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cronError, parseCron, rfc3339In } from '../../../sandbox/cluster/resources/cron.ts';

const at = (iso: string) => new Date(iso);

test('next run times of standard schedules and descriptors (UTC)', () => {
  const cases: Array<[string, string, string]> = [
    ['* * * * *', '2025-03-01T10:00:30Z', '2025-03-01T10:01:00.000Z'],
    ['* * * * *', '2025-03-01T10:00:00Z', '2025-03-01T10:01:00.000Z'],
    ['*/15 * * * *', '2025-03-01T10:16:00Z', '2025-03-01T10:30:00.000Z'],
    ['5/20 * * * *', '2025-03-01T10:26:00Z', '2025-03-01T10:45:00.000Z'],
    ['0 3 * * *', '2025-03-01T03:00:00Z', '2025-03-02T03:00:00.000Z'],
    ['30 9 * * MON-FRI', '2025-03-01T00:00:00Z', '2025-03-03T09:30:00.000Z'], // Saturday -> Monday
    ['0 0 1,15 * *', '2025-03-02T00:00:00Z', '2025-03-15T00:00:00.000Z'],
    ['0 0 13 * 5', '2025-03-01T00:00:00Z', '2025-03-07T00:00:00.000Z'], // day 13 OR a Friday
    ['0 12 * JAN,jul ?', '2025-03-01T00:00:00Z', '2025-07-01T12:00:00.000Z'],
    ['@hourly', '2025-03-01T10:59:59Z', '2025-03-01T11:00:00.000Z'],
    ['@daily', '2025-03-01T10:00:00Z', '2025-03-02T00:00:00.000Z'],
    ['@midnight', '2025-03-01T10:00:00Z', '2025-03-02T00:00:00.000Z'],
    ['@weekly', '2025-03-01T10:00:00Z', '2025-03-02T00:00:00.000Z'],
    ['@monthly', '2025-03-01T10:00:00Z', '2025-04-01T00:00:00.000Z'],
    ['@yearly', '2025-03-01T10:00:00Z', '2026-01-01T00:00:00.000Z'],
    ['@annually', '2025-03-01T10:00:00Z', '2026-01-01T00:00:00.000Z'],
    ['@every 90s', '2025-03-01T10:00:00Z', '2025-03-01T10:01:30.000Z'],
    ['0 0 29 2 *', '2025-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
  ];
  for (const [spec, after, want] of cases) assert.equal(parseCron(spec).next(at(after)).toISOString(), want, `${spec} after ${after}`);
});

test('a time zone moves the wall clock, DST included; CRON_TZ= names one in the schedule', () => {
  // 03:00 in Paris: UTC+1 in winter, UTC+2 after the last Sunday of March
  assert.equal(parseCron('0 3 * * *').next(at('2025-03-29T12:00:00Z'), 'Europe/Paris').toISOString(), '2025-03-30T01:00:00.000Z');
  assert.equal(parseCron('0 3 * * *').next(at('2025-03-28T12:00:00Z'), 'Europe/Paris').toISOString(), '2025-03-29T02:00:00.000Z');
  assert.equal(parseCron('0 9 * * *').next(at('2025-01-01T00:00:00Z'), 'America/New_York').toISOString(), '2025-01-01T14:00:00.000Z');
  const tz = parseCron('CRON_TZ=Asia/Tokyo 0 9 * * *');
  assert.equal(tz.timeZone, 'Asia/Tokyo');
  assert.equal(tz.next(at('2025-01-01T00:00:00Z'), 'UTC').toISOString(), '2025-01-02T00:00:00.000Z');
  assert.equal(rfc3339In(at('2025-07-01T01:00:00Z'), 'Europe/Paris'), '2025-07-01T03:00:00+02:00');
  assert.equal(rfc3339In(at('2025-07-01T01:00:00Z'), 'UTC'), '2025-07-01T01:00:00Z');
});

test('refusals are worded as robfig/cron words them', () => {
  const cases: Array<[string, string | undefined]> = [
    ['* * * * *', undefined],
    ['', 'empty spec string'],
    ['bad', 'expected exactly 5 fields, found 1: [bad]'],
    ['* * * * * *', 'expected exactly 5 fields, found 6: [* * * * * *]'],
    ['61 * * * *', 'end of range (61) above maximum (59): 61'],
    ['* 24 * * *', 'end of range (24) above maximum (23): 24'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['* * * 13 *', 'end of range (13) above maximum (12): 13'],
    ['* * * * 7', 'end of range (7) above maximum (6): 7'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['*/2/3 * * * *', 'too many slashes: */2/3'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
    ['CRON_TZ=Mars/Olympus * * * * *', 'provided bad location Mars/Olympus: unknown time zone Mars/Olympus'],
  ];
  for (const [spec, want] of cases) assert.equal(cronError(spec), want, spec);
});
