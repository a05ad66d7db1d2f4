// What the workshop asks of a seat, wherever it runs: a local seat (a child `serve`) answers on
// its control socket and keeps its progress in its state dir; a remote seat (a seat pod on
// Kubernetes) answers the same questions over HTTP with the seat's token (/api/control).
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { askOwner } from '../owner/control-client.ts';
import type { OwnerStatus, ResetResult } from '../owner/control-protocol.ts';
import { REPO_ROOT } from '../terminal/workspace.ts';
import { progressOf, seatProgress, type SeatProgress } from './seat-progress.ts';
import type { Backend } from './seat-proxy.ts';

export interface SeatControl {
  status(timeoutMs: number): Promise<OwnerStatus>;
  reset(): Promise<ResetResult>;
  notice(level: 'info' | 'warning', text: string): Promise<void>;
  /** brings the seat's cluster to the state after `to` (lesson/step); answers the last line of the log */
  solve(to: string): Promise<string>;
  progress(steps: string[]): Promise<SeatProgress>;
}

export function localControl(stateDir: string): SeatControl {
  return {
    status: async (timeoutMs) => (await askOwner<OwnerStatus>(stateDir, { op: 'status' }, timeoutMs)).result,
    reset: async () => (await askOwner<ResetResult>(stateDir, { op: 'reset' }, 120_000)).result,
    notice: async (level, text) => {
      await askOwner(stateDir, { op: 'notice', text, level }, 5000);
    },
    solve: (to) => solveLocal(stateDir, to),
    progress: async (steps) => seatProgress(stateDir, steps),
  };
}

/** `coredns-lab solve <to>` on the seat's sandbox, as the instructor would type it */
function solveLocal(stateDir: string, to: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'coredns-lab.js'), 'solve', to, '--state-dir', stateDir], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => {
      const lines = out.trim().split('\n');
      if (code === 0) resolve(lines[lines.length - 1] ?? `solved up to ${to}`);
      else reject(new Error(lines.filter((l) => l.trim()).slice(-4).join(' ') || `solve exited with code ${code}`));
    });
  });
}

interface ErrorBody {
  error?: { code?: string; message?: string };
}

export function remoteControl(backend: Backend, token: string): SeatControl {
  // the seat's gate sees its own loopback address as Host and Origin, as through the seat proxy;
  // node:http, not fetch: fetch replaces the Host header with the address it connects to
  const headers = { Authorization: `Bearer ${token}`, Host: `127.0.0.1:${backend.port}`, Origin: `http://127.0.0.1:${backend.port}` };
  const call = <T>(method: string, path: string, body: unknown, timeoutMs: number): Promise<T> =>
    new Promise((resolve, reject) => {
      const payload = body !== undefined ? JSON.stringify(body) : undefined;
      const req = httpRequest(
        { host: backend.host, port: backend.port, method, path, timeout: timeoutMs, headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => {
            let data: T & ErrorBody;
            try {
              data = JSON.parse(text) as T & ErrorBody;
            } catch {
              data = {} as T & ErrorBody;
            }
            const status = res.statusCode ?? 0;
            if (status >= 400) reject(new Error(data.error?.message ?? `the seat answered HTTP ${status} to ${method} ${path}`));
            else resolve(data);
          });
        },
      );
      req.once('timeout', () => req.destroy(new Error(`the seat did not answer ${method} ${path} within ${timeoutMs} ms`)));
      req.once('error', reject);
      req.end(payload);
    });
  const control = async <T>(op: object, timeoutMs: number): Promise<T> => {
    const r = await call<{ ok: boolean; result: T }>('POST', '/api/control', op, timeoutMs);
    return r.result;
  };
  return {
    status: (timeoutMs) => control<OwnerStatus>({ op: 'status' }, timeoutMs),
    reset: () => control<ResetResult>({ op: 'reset' }, 120_000),
    notice: async (level, text) => {
      await control({ op: 'notice', level, text }, 5000);
    },
    solve: async (to) => {
      const [lesson, step] = to.split('/');
      const r = await call<{ log: string[] }>('POST', `/api/solve/${encodeURIComponent(lesson!)}/${encodeURIComponent(step!)}`, {}, 300_000);
      return r.log[r.log.length - 1] ?? `solved up to ${to}`;
    },
    progress: async (steps) => progressOf(await call<unknown>('GET', '/api/control/progress', undefined, 5000), steps),
  };
}
