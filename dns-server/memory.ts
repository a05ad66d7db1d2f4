// V8 heap settings for the dns-server running as its own process (main.ts; the image runs its
// bundle), measured with bench/dns (BENCH_ONLY=memory: 5,000 Services + 5,000 Pods + 5,000
// EndpointSlices, RSS 3 s after the last one answers):
// - The young generation keeps its initial 1 MB semi-spaces for the life of the process. By
//   default V8 doubles them up to 16 MB each while the first list is parsed (most of it survives
//   a scavenge or two) and does not give that back: ~30 MB of RSS for live data of ~5 MB. Under
//   query load a grown young generation also costs latency: each scavenge of 16 MB stalled the
//   loop ~9 ms (--trace-gc lined every stall up with one), which set the p99 at half load
//   (5.6-9.5 ms against 0.74-2.0 ms pinned, same run). The price is ~33% less QPS while the
//   answer cache fills (every query allocates a decoded packet); answered from the cache, QPS per
//   CPU-second is the same (bench/dns/ab.ts).
// - Once ready, one compacting full collection returns what the initial list left behind:
//   old-space pages half filled with entries between dead page objects. V8's memory reducer
//   does much the same ~8 s later on its own; doing it at once makes the RSS seen right after
//   start the steady-state one.
import v8 from 'node:v8';
import vm from 'node:vm';

/** before anything is loaded: V8 reads the growth factor at each young-generation resize */
export function tuneHeap(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}

const READY_POLL_MS = 250;
const READY_WAIT_MS = 60_000;
const SETTLE_MS = 300;

/**
 * Once the server is ready (the kubernetes data listed; a server that never gets ready is
 * compacted after READY_WAIT_MS all the same): one compacting full GC.
 */
export function compactAfterStart(ready: () => boolean = () => true, run: () => void = compact): void {
  const until = Date.now() + READY_WAIT_MS;
  const check = (): void => {
    const wait = !ready() && Date.now() < until;
    setTimeout(wait ? check : run, wait ? READY_POLL_MS : SETTLE_MS).unref();
  };
  check();
}

function compact(): void {
  // the gc function of a fresh context, exposed only for this call
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  v8.setFlagsFromString('--no-expose-gc');
  v8.setFlagsFromString('--compact-on-every-full-gc');
  gc();
  v8.setFlagsFromString('--no-compact-on-every-full-gc');
}
