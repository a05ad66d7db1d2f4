// Starting the two servers the bench compares, each in its own process.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface Child<T> {
  info: T;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** run a bench child through tsx and read the JSON line it prints once ready */
export function startChild<T>(script: string, args: string[], timeoutMs = 60_000): Promise<Child<T>> {
  const proc = spawn(process.execPath, ['--import', 'tsx', '--expose-gc', fileURLToPath(new URL(script, import.meta.url)), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = () => new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const kill = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => { clearTimeout(kill); resolve(); });
    proc.kill('SIGTERM');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`${script} did not start in ${timeoutMs} ms`)); }, timeoutMs);
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${script} exited with ${code} before it was ready`)); });
    createInterface({ input: proc.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      proc.removeAllListeners('exit');
      resolve({ info: JSON.parse(line) as T, proc, stop });
    });
  });
}

export const startApiChild = (extraPods: number) => startChild<{ port: number; plainPort: number; ca: string; token: string; rss: number; heapUsed: number; external: number }>('./api-server-child.ts', [String(extraPods)], 180_000);
export const startFloorChild = (upstream: string) => startChild<{ port: number; rss: number; heapUsed: number }>('./floor-server.ts', [upstream]);
