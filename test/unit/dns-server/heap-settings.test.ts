// The dns-server process's heap settings (dns-server/memory.ts, applied by main.ts): when the
// compaction after start runs, and that it leaves no global gc() behind. What the settings do to
// V8's heap sizes is measured, not asserted: bench/dns/heap.ts.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { compactAfterStart } from '../../../dns-server/memory.ts';
import { waitFor } from '../../support/wait.ts';

describe('dns-server heap settings', () => {
  test('the compaction waits until the server is ready (its list is still coming), then runs', async () => {
    let ready = false;
    let asked = 0;
    let runs = 0;
    compactAfterStart(() => (asked++, ready), () => runs++);
    // the compaction's timers are unref'd (they must not keep a server alive): this keeps the test alive
    const keep = setInterval(() => undefined, 1000);
    try {
      await waitFor(() => asked >= 3, { what: 'readiness to be asked three times' });
      assert.equal(runs, 0, 'nothing is compacted before ready');
      ready = true;
      await waitFor(() => runs === 1, { what: 'the compaction once ready' });
    } finally {
      clearInterval(keep);
    }
  });

  test('the compaction leaves no gc() exposed to the program', async () => {
    let majors = 0;
    const obs = new PerformanceObserver((list) => {
      majors += list
        .getEntries()
        .filter((e) => (e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR).length;
    });
    obs.observe({ entryTypes: ['gc'] });
    const keep = setInterval(() => undefined, 1000);
    try {
      compactAfterStart(() => true);
      await waitFor(() => majors > 0, { what: 'the compacting full collection' });
      assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined');
    } finally {
      clearInterval(keep);
      obs.disconnect();
    }
  });
});
