import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Backpressure, Watermark } from '../../../sandbox/terminal/flow-control.ts';

function recorder() {
  const events: string[] = [];
  const bp = new Backpressure(
    () => events.push('pause'),
    () => events.push('resume'),
  );
  return { events, bp };
}

describe('Backpressure', () => {
  test('pauses once on the first hold and resumes only when every reason is released', () => {
    const { events, bp } = recorder();
    bp.hold('socket');
    bp.hold('mirror');
    bp.hold('socket');
    assert.deepEqual(events, ['pause']);
    bp.release('socket');
    assert.deepEqual(events, ['pause']);
    assert.deepEqual(bp.reasons, ['mirror']);
    bp.release('mirror');
    assert.deepEqual(events, ['pause', 'resume']);
    assert.equal(bp.paused, false);
  });
  test('releasing a reason that is not held does nothing', () => {
    const { events, bp } = recorder();
    bp.release('socket');
    assert.deepEqual(events, []);
  });
});

describe('Watermark', () => {
  test('holds above high and releases below low (hysteresis)', () => {
    const { events, bp } = recorder();
    const w = new Watermark(bp, 'page', 100, 20);
    w.add(60);
    w.add(40);
    assert.deepEqual(events, []);
    w.add(1);
    assert.deepEqual(events, ['pause']);
    w.done(70);
    assert.equal(w.bytes, 31);
    assert.deepEqual(events, ['pause']);
    w.done(20);
    assert.deepEqual(events, ['pause', 'resume']);
  });
  test('reset drops its hold and never goes negative', () => {
    const { events, bp } = recorder();
    const w = new Watermark(bp, 'page', 10, 5);
    w.add(50);
    w.reset();
    assert.deepEqual(events, ['pause', 'resume']);
    w.done(100);
    assert.equal(w.bytes, 0);
  });
});
