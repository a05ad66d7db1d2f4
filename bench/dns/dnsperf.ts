// Runs dnsperf (pinned to a core) and reads its summary, or its per-query latencies with -v.
import { spawn } from 'node:child_process';
import { pinned } from './servers.ts';

export interface PerfResult {
  sent: number;
  completed: number;
  lost: number;
  qps: number;
  avgLatencyMs: number;
  rcodes: string;
  /** per-query latencies in ms (only with verbose) */
  latencies: number[];
}

export function runDnsperf(o: {
  core: number;
  port: number;
  file: string;
  seconds: number;
  clients?: number;
  outstanding?: number;
  maxQps?: number;
  verbose?: boolean;
  once?: boolean;
}): Promise<PerfResult> {
  const args = [
    '-s',
    '127.0.0.1',
    '-p',
    String(o.port),
    '-d',
    o.file,
    '-l',
    String(o.seconds),
    '-c',
    String(o.clients ?? 10),
    '-t',
    '2',
    '-q',
    String(o.outstanding ?? 200),
  ];
  if (o.maxQps) args.push('-Q', String(o.maxQps));
  // through the file at most once (every query distinct, e.g. to keep a cache cold)
  if (o.once) args.push('-n', '1');
  if (o.verbose) args.push('-v');
  return new Promise((resolve, reject) => {
    const child = spawn(...pinned(o.core, 'dnsperf', args), { stdio: ['ignore', 'pipe', 'pipe'] });
    const latencies: number[] = [];
    let tail = '';
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        // verbose lines: "> NOERROR name A 0.000123"
        if (line.startsWith('> ')) {
          const sec = Number(line.slice(line.lastIndexOf(' ') + 1));
          if (Number.isFinite(sec)) latencies.push(sec * 1000);
        } else {
          tail += `${line}\n`;
        }
      }
    });
    child.stderr.on('data', (d) => (tail += d));
    child.on('error', reject);
    // 'close', not 'exit': exit can come before the last of stdout (the summary) has been read
    child.on('close', (code) => {
      const num = (re: RegExp): number => Number(re.exec(tail)?.[1] ?? NaN);
      if (code !== 0 || !/Queries per second/.test(tail)) {
        reject(new Error(`dnsperf failed (exit ${code}):\n${tail.slice(-2000)}`));
        return;
      }
      resolve({
        sent: num(/Queries sent:\s+(\d+)/),
        completed: num(/Queries completed:\s+(\d+)/),
        lost: num(/Queries lost:\s+(\d+)/),
        qps: num(/Queries per second:\s+([\d.]+)/),
        avgLatencyMs: num(/Average Latency \(s\):\s+([\d.]+)/) * 1000,
        rcodes: /Response codes:\s+(.*)/.exec(tail)?.[1] ?? '',
        latencies,
      });
    });
  });
}

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
