// Each browser's progress in the state dir: kept across a restart, private, bounded, and
// forgotten by a reset.
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_BROWSERS, PROGRESS_FILE, ProgressStore } from '../../../sandbox/server/progress-store.ts';
import { LAB_STATE_ENTRIES } from '../../../sandbox/private-state.ts';

const STEPS = ['a/one', 'a/two', 'b/three'];

describe('ProgressStore', () => {
  let dir: string;
  let clock: number;
  const now = () => new Date(clock);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lab-progress-'));
    clock = Date.parse('2026-12-05T10:00:00Z');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a browser seen for the first time has nothing done and starts now, without writing anything', () => {
    const p = new ProgressStore(dir, now).get('browser:x');
    assert.deepEqual(p, { steps: {}, open: null, startedAt: '2026-12-05T10:00:00.000Z', completedAt: null, updatedAt: '2026-12-05T10:00:00.000Z' });
    assert.throws(() => statSync(join(dir, PROGRESS_FILE)), /ENOENT/);
  });

  test('results and the open step are kept per browser, in a 0600 file a new store reads back', () => {
    const store = new ProgressStore(dir, now);
    store.record('browser:x', [{ step: 'a/one', status: 'pass' }], STEPS);
    store.setOpen('browser:x', 'a', 'two');
    store.record('browser:y', [{ step: 'a/one', status: 'fail' }], STEPS);
    assert.equal(statSync(join(dir, PROGRESS_FILE)).mode & 0o777, 0o600);
    const again = new ProgressStore(dir, now);
    assert.deepEqual(again.get('browser:x').steps, { 'a/one': { status: 'pass', at: '2026-12-05T10:00:00.000Z' } });
    assert.deepEqual(again.get('browser:x').open, { lesson: 'a', step: 'two' });
    assert.equal(again.get('browser:y').steps['a/one']!.status, 'fail');
    assert.ok((LAB_STATE_ENTRIES.files as readonly string[]).includes(PROGRESS_FILE), 'the state dir tightening knows the file');
  });

  test('the chapter is complete the first time every step passes, and stays complete', () => {
    const store = new ProgressStore(dir, now);
    store.record('b', [{ step: 'a/one', status: 'pass' }, { step: 'a/two', status: 'pass' }], STEPS);
    assert.equal(store.get('b').completedAt, null);
    clock += 600_000;
    store.record('b', [{ step: 'b/three', status: 'pass' }], STEPS);
    assert.equal(store.get('b').completedAt, '2026-12-05T10:10:00.000Z');
    clock += 60_000;
    store.record('b', [{ step: 'a/one', status: 'fail' }], STEPS);
    store.record('b', [{ step: 'a/one', status: 'pass' }], STEPS);
    assert.equal(store.get('b').completedAt, '2026-12-05T10:10:00.000Z');
  });

  test('a reset forgets every browser\'s statuses; a reset from the page restarts that browser\'s clock', () => {
    const store = new ProgressStore(dir, now);
    store.record('x', [{ step: 'a/one', status: 'pass' }], STEPS);
    store.record('y', [{ step: 'a/one', status: 'pass' }], STEPS);
    store.setOpen('y', 'a', null);
    store.afterReset();
    assert.deepEqual(store.get('x').steps, {});
    assert.deepEqual(new ProgressStore(dir, now).get('y').steps, {});
    assert.deepEqual(store.get('y').open, { lesson: 'a', step: null }, 'the place is kept');
    clock += 1_000;
    store.restart('x');
    assert.equal(store.get('x').startedAt, '2026-12-05T10:00:01.000Z');
    assert.equal(store.get('y').startedAt, '2026-12-05T10:00:00.000Z');
  });

  test('a check begun before a newer result or a reset does not write over them', () => {
    const store = new ProgressStore(dir, now);
    const began = new Date(clock);
    clock += 2_000;
    // the step's own check ran and passed while a whole-chapter check begun earlier was still out
    store.record('b', [{ step: 'a/one', status: 'pass' }], STEPS, new Date(clock));
    store.record('b', [{ step: 'a/one', status: 'fail' }, { step: 'a/two', status: 'fail' }], STEPS, began);
    assert.equal(store.get('b').steps['a/one']!.status, 'pass', 'the newer pass stays');
    assert.deepEqual(store.get('b').steps['a/two'], { status: 'fail', at: began.toISOString() }, 'a step with nothing newer takes the result, dated when its check began');
    clock += 1_000;
    const beforeReset = new Date(clock);
    clock += 1_000;
    store.restart('b');
    store.record('b', [{ step: 'a/one', status: 'pass' }], STEPS, beforeReset);
    assert.deepEqual(store.get('b').steps, {}, "a check begun before the learner's reset is dropped");
    store.record('c', [{ step: 'a/one', status: 'pass' }], STEPS, beforeReset);
    assert.equal(store.get('c').steps['a/one']!.status, 'pass', "another browser's reset does not concern it");
    clock += 1_000;
    store.afterReset();
    store.record('c', [{ step: 'a/one', status: 'pass' }], STEPS, beforeReset);
    assert.deepEqual(store.get('c').steps, {}, 'nor one begun before a sandbox reset');
    store.record('c', [{ step: 'a/one', status: 'pass' }], STEPS);
    assert.equal(store.get('c').steps['a/one']!.status, 'pass', 'a check begun after it counts');
  });

  test('ids that are not lesson or step names are refused', () => {
    const store = new ProgressStore(dir, now);
    for (const [lesson, step] of [['../x', null], ['a', 'B C'], ['', null]] as const) assert.throws(() => store.setOpen('x', lesson, step), RangeError);
  });

  test('beyond MAX_BROWSERS the least recently changed browser goes', () => {
    const store = new ProgressStore(dir, now);
    for (let i = 0; i <= MAX_BROWSERS; i++) {
      clock += 1;
      store.setOpen(`browser:${i}`, 'a', null);
    }
    const saved = JSON.parse(readFileSync(join(dir, PROGRESS_FILE), 'utf8')) as { browsers: Record<string, unknown> };
    assert.equal(Object.keys(saved.browsers).length, MAX_BROWSERS);
    assert.ok(!('browser:0' in saved.browsers));
    assert.ok(`browser:${MAX_BROWSERS}` in saved.browsers);
  });

  test('a garbled or foreign file starts empty instead of failing the lab', () => {
    for (const text of ['{', '[]', '{"version":2,"browsers":{}}', '{"version":1,"browsers":{"x":{"steps":{"a/one":{"status":"maybe"}}}}}']) {
      writeFileSync(join(dir, PROGRESS_FILE), text);
      assert.deepEqual(new ProgressStore(dir, now).get('x').steps, {}, text);
    }
  });
});
