// Two servers sharing the server core at the same time, each with its own dnsperf on the other
// core: whatever else loads the machine hits both alike, so the ratio of their answers per
// CPU-second holds steady (within a few percent) while absolute QPS swings by 2x between runs.
import { runDnsperf, type PerfResult } from './dnsperf.ts';
import { cpuSeconds } from './servers.ts';

export interface Side { pid: number; port: number }

export interface SharedRound {
  a: PerfResult;
  b: PerfResult;
  /** CPU seconds each server used in the round */
  cpuA: number;
  cpuB: number;
  /** answers per CPU-second */
  perCpuA: number;
  perCpuB: number;
}

export async function sharedCoreRound(
  a: Side,
  b: Side,
  o: { core: number; file: string; seconds: number; maxQps?: number },
): Promise<SharedRound> {
  const ca = cpuSeconds(a.pid);
  const cb = cpuSeconds(b.pid);
  const extra = o.maxQps ? { maxQps: o.maxQps, outstanding: 1000, verbose: true } : {};
  const [ra, rb] = (await Promise.all(
    [a, b].map((s) => runDnsperf({ core: o.core, port: s.port, file: o.file, seconds: o.seconds, ...extra })),
  )) as [PerfResult, PerfResult];
  const cpuA = cpuSeconds(a.pid) - ca;
  const cpuB = cpuSeconds(b.pid) - cb;
  return { a: ra, b: rb, cpuA, cpuB, perCpuA: (ra.qps * o.seconds) / cpuA, perCpuB: (rb.qps * o.seconds) / cpuB };
}
