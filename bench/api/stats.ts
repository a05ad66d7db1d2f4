// Percentiles of latency samples, and the timing of one call.
export interface Summary {
  n: number;
  p50: number;
  p99: number;
}

export function summarize(samplesMs: number[]): Summary {
  const s = [...samplesMs].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
  return { n: s.length, p50: at(0.5), p99: at(0.99) };
}

export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/**
 * time two callers alternately, `n` samples each after `warmup` untimed rounds, so that load from
 * elsewhere on a shared machine falls on both sides alike
 */
export async function samplePair(
  n: number,
  warmup: number,
  a: (i: number) => Promise<unknown>,
  b: (i: number) => Promise<unknown>,
): Promise<[number[], number[]]> {
  for (let i = 0; i < warmup; i++) {
    await a(-1 - i);
    await b(-1 - i);
  }
  const ta: number[] = [],
    tb: number[] = [];
  for (let i = 0; i < n; i++) {
    ta.push(await timed(() => a(i)));
    tb.push(await timed(() => b(i)));
  }
  return [ta, tb];
}
