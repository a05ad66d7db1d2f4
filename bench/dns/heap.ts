// The dns-server's heap settings (dns-server/memory.ts) measured against V8's defaults in the
// same run: each figure comes from a fresh child process, once with the setting and once without.
// These were assertions in a unit test; V8's heap sizes are not behaviour a test can hold a
// program to (they move with the V8 version and the machine), so they are printed here instead.
// Run: node --import tsx bench/dns/heap.ts   (a few seconds)
import { spawnSync } from 'node:child_process';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import { fileURLToPath } from 'node:url';
import { compactAfterStart, tuneHeap } from '../../dns-server/memory.ts';

const MB = 1048576;
const newSpaceMB = (): number => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size / MB;
const committedMB = (): number => v8.getHeapStatistics().total_heap_size / MB;

/** allocates `count` small objects, keeping up to `window` alive: survivors a scavenge must move */
function survivorBurst(count: number, window: number): number {
  let keep: Array<{ i: number; s: string }> = [];
  for (let i = 0; i < count; i++) {
    keep.push({ i, s: `x${i}` });
    if (keep.length > window) keep = keep.slice(window / 2);
  }
  return keep.length;
}

/** resolves at the next major (full) collection */
function nextMajorGc(): Promise<void> {
  return new Promise((resolve) => {
    const obs = new PerformanceObserver((list) => {
      if (list.getEntries().some((e) => (e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)) {
        obs.disconnect();
        resolve();
      }
    });
    obs.observe({ entryTypes: ['gc'] });
  });
}

type Child = { young: number } | { grown: number; after: number };

async function child(mode: string): Promise<Child> {
  if (mode === 'young-tuned' || mode === 'young-default') {
    if (mode === 'young-tuned') tuneHeap();
    survivorBurst(300_000, 40_000);
    return { young: newSpaceMB() };
  }
  let garbage: unknown[] | undefined = [];
  for (let i = 0; i < 400_000; i++) garbage.push({ i, s: `y${i}`, a: [i] });
  const grown = committedMB();
  garbage = undefined;
  if (mode === 'compact-on') {
    const gc = nextMajorGc();
    // the compaction's timer is unref'd (it must not keep a server alive): this one waits for it
    const keep = setInterval(() => undefined, 1000);
    compactAfterStart(() => true);
    await gc;
    clearInterval(keep);
  } else {
    // the reference: what the heap looks like after the same wait without the compaction
    await new Promise((r) => setTimeout(r, 400));
  }
  return { grown, after: committedMB() };
}

function runChild(mode: string): Child {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), mode], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench/dns/heap.ts ${mode} exited ${r.status}:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Child;
}

if (process.argv[2]) {
  console.log(JSON.stringify(await child(process.argv[2])));
} else {
  const tuned = runChild('young-tuned') as { young: number };
  const plain = runChild('young-default') as { young: number };
  const on = runChild('compact-on') as { grown: number; after: number };
  const off = runChild('compact-off') as { grown: number; after: number };
  const f = (n: number) => n.toFixed(1);
  console.log('dns-server heap settings against V8 defaults (each a fresh process, same run)');
  console.log(`young generation after a burst of survivors: ${f(tuned.young)} MB tuned, ${f(plain.young)} MB default` +
    ` (ratio ${(tuned.young / plain.young).toFixed(2)})`);
  console.log(`committed heap after a burst of garbage: ${f(on.grown)} -> ${f(on.after)} MB compacted,` +
    ` ${f(off.grown)} -> ${f(off.after)} MB without (ratio ${(on.after / off.after).toFixed(2)})`);
}
