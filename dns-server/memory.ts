// V8 heap settings for the dns-server running as its own process (main.ts), measured with
// bench/dns (BENCH_ONLY=memory: 5,000 Services + 5,000 Pods + 5,000 EndpointSlices):
// - The young generation keeps its initial 1 MB semi-spaces. By default V8 doubles them up to
//   16 MB each while the first list is parsed and never gives that back: ~30 MB of RSS for a
//   server whose live data is ~6 MB. DNS queries allocate little that survives, so scavenges of
//   a small new space stay cheap (the QPS half of bench/dns shows no loss).
// - Once the server is up, one compacting full collection returns what the initial list left
//   behind: old-space pages half filled with entries between dead page objects. V8's memory
//   reducer does much the same ~8 s later on its own; doing it at once makes the RSS seen right
//   after start the steady-state one.
import v8 from 'node:v8';
import vm from 'node:vm';

/** set before the heap grows: flags V8 reads at each young-generation resize */
export function tuneHeap(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}

/** one full GC shortly after start (the gc function of a fresh context, exposed only for it) */
export function compactAfterStart(): void {
  setTimeout(() => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    v8.setFlagsFromString('--no-expose-gc');
    v8.setFlagsFromString('--compact-on-every-full-gc');
    gc();
    v8.setFlagsFromString('--no-compact-on-every-full-gc');
  }, 300).unref();
}
