// Starts `coredns-lab serve` as a child process on a free port with a temp state dir, the way a
// learner does, and stops it (and everything it started) afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface LabProcess {
  url: string;
  child: ChildProcess;
  stateDir: string;
  stderr: () => string;
  stop(): Promise<number | null>;
}

export async function startLab(args: string[] = [], timeoutMs = 50_000): Promise<LabProcess> {
  const stateDir = mkdtempSync(join(tmpdir(), 'lab-e2e-'));
  const child = spawn(process.execPath, ['bin/coredns-lab.js', 'serve', '--port', '0', '--state-dir', stateDir, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL line within ${timeoutMs} ms; stderr:\n${err}`)), timeoutMs);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /^coredns-lab: open (http:\/\/\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before printing its URL; stderr:\n${err}`));
    });
  }).catch((e) => {
    child.kill('SIGKILL');
    rmSync(stateDir, { recursive: true, force: true });
    throw e;
  });
  return {
    url,
    child,
    stateDir,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      rmSync(stateDir, { recursive: true, force: true });
      return code;
    },
  };
}
