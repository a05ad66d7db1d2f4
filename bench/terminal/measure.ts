// Keystroke echo latency and output throughput over any Transport, following the method of
// shared/reference/perf-anchors.md (Terminal method): PS1 is set to a marker the echoed
// command line cannot contain, echo samples erase their letter with DEL, and throughput counts
// bytes until the marker prompt returns.
import type { Transport } from './transports.ts';

const MARK = '@@PROMPT@@';

/** Resolves when `test` sees the text it waits for in the output since the call. */
function waitOutput(t: Transport, test: (text: string) => boolean, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = '';
    let bytes = 0;
    const timer = setTimeout(() => reject(new Error(`timed out; tail ${JSON.stringify(text.slice(-200))}`)), timeoutMs);
    t.onData((chunk) => {
      bytes += chunk.length;
      text = (text + chunk.toString('latin1')).slice(-4096);
      if (test(text)) {
        clearTimeout(timer);
        t.onData(() => {});
        resolve(bytes);
      }
    });
  });
}

export async function prepare(t: Transport): Promise<void> {
  // quotes split the marker so the echoed command never contains it
  const ready = waitOutput(t, (s) => s.includes(MARK + ' '), 20_000);
  t.write(`PROMPT_COMMAND=; bind 'set enable-bracketed-paste off' 2>/dev/null; PS1='@@PROMPT''@@ '\r`);
  await ready;
}

export interface EchoResult {
  p50: number;
  p99: number;
  mean: number;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

export async function echoLatency(t: Transport, samples: number, warmup = 50): Promise<EchoResult> {
  const times: number[] = [];
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i < warmup + samples; i++) {
    const ch = letters[i % letters.length]!;
    const seen = waitOutput(t, (s) => s.includes(ch), 5000);
    const t0 = process.hrtime.bigint();
    t.write(ch);
    await seen;
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (i >= warmup) times.push(ms);
    const erased = waitOutput(t, (s) => s.includes('\b'), 5000);
    t.write('\x7f');
    await erased;
  }
  times.sort((a, b) => a - b);
  return { p50: pct(times, 0.5), p99: pct(times, 0.99), mean: times.reduce((a, b) => a + b, 0) / times.length };
}

export async function throughput(t: Transport, command: string): Promise<{ mb: number; mbPerS: number }> {
  // the marker cannot be in the echoed command line, so its first appearance is the prompt
  const done = waitOutput(t, (s) => s.includes(MARK + ' '), 180_000);
  const t0 = process.hrtime.bigint();
  t.write(command + '\r');
  const bytes = await done;
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return { mb: bytes / 1e6, mbPerS: bytes / 1e6 / s };
}
