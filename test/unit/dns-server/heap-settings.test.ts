// The dns-server process's heap settings (dns-server/memory.ts, applied by main.ts): while
// the young generation stays at its starting size under a burst of survivors, before and after
// start; the compaction after start gives back what a burst grew and leaves no global gc() behind.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import { compactAfterStart, tuneHeap } from '../../../dns-server/memory.ts';

const committedMB = (): number => v8.getHeapStatistics().total_heap_size / 1048576;
const newSpaceMB = (): number => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size / 1048576;

/** allocates `count` small objects, keeping up to `window` alive: survivors a scavenge must move */
function survivorBurst(count: number, window: number): void {
  let keep: Array<{ i: number; s: string }> = [];
  for (let i = 0; i < count; i++) {
    keep.push({ i, s: `x${i}` });
    if (keep.length > window) keep = keep.slice(window / 2);
  }
  assert.ok(keep.length > 0);
}

describe('dns-server heap settings', () => {
  test('the young generation does not grow under a burst of surviving objects', () => {
    tuneHeap();
    const before = newSpaceMB();
    survivorBurst(300_000, 40_000);
    assert.ok(newSpaceMB() <= Math.max(before, 2), `new space ${newSpaceMB()} MB after the burst (was ${before} MB)`);
  });

  test('the compaction waits until the server is ready (its list is still coming)', async () => {
    let ready = false;
    let runs = 0;
    compactAfterStart(() => ready, () => runs++);
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(runs, 0, 'nothing is compacted before ready');
    ready = true;
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(runs, 1, 'compacted once, once ready');
  });

  test('once the server is ready, one compacting collection returns the heap a burst grew', async () => {
    let garbage: unknown[] | undefined = [];
    for (let i = 0; i < 400_000; i++) garbage.push({ i, s: `y${i}`, a: [i] });
    const grown = committedMB();
    garbage = undefined;
    compactAfterStart(() => true);
    await new Promise((r) => setTimeout(r, 1500));
    const after = committedMB();
    assert.ok(after < grown / 2, `committed heap ${grown.toFixed(1)} MB -> ${after.toFixed(1)} MB`);
    assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined', 'gc() is not left exposed to the program');

    // after start it stays small too: a grown young generation stalls queries for each scavenge
    const small = newSpaceMB();
    survivorBurst(600_000, 80_000);
    assert.ok(newSpaceMB() <= Math.max(small, 2), `new space stays small after start: ${small} MB -> ${newSpaceMB()} MB`);
  });
});
