// Starts `coredns-lab serve` as a child process on a free port with a temp state dir, the way a
// learner does, and stops it (and everything it started) afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** how long a lab has to stop after SIGTERM before its process group is killed */
const STOP_GRACE_MS = 30_000;

export interface LabProcess {
  url: string;
  child: ChildProcess;
  stateDir: string;
  stderr: () => string;
  stop(): Promise<number | null>;
}

// The first start on a fresh clone builds the site (about 7 s on an idle 2-core machine; much
// longer when the machine is busy), so the wait for the URL line is generous.
export function startLab(args: string[] = [], timeoutMs = 120_000): Promise<LabProcess> {
  return startLabCommand('serve', args, /^coredns-lab: open (http:\/\/\S+)$/m, timeoutMs);
}

/** any long-running lab command (serve, workshop): `url` is the first group of `line` in its stdout */
export async function startLabCommand(
  command: string,
  args: string[],
  line: RegExp,
  timeoutMs = 120_000,
  env: Record<string, string> = {},
): Promise<LabProcess> {
  const stateDir = mkdtempSync(join(tmpdir(), 'lab-e2e-'));
  const child = spawn(process.execPath, ['bin/coredns-lab.js', command, '--port', '0', '--state-dir', stateDir, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env },
    // its own process group, so a kill reaches the astro build it may be running too
    detached: true,
  });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL line within ${timeoutMs} ms; stderr:\n${err}`)), timeoutMs);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = line.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before printing its URL; stderr:\n${err}`));
    });
  }).catch((e) => {
    killGroup('SIGKILL');
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
      // longer than a workshop gives each seat (sandbox/workshop/seat-process.ts, 10 s): a
      // workshop stopping seats on a loaded machine is still stopping cleanly
      const timer = setTimeout(() => killGroup('SIGKILL'), STOP_GRACE_MS);
      const code = await exited;
      clearTimeout(timer);
      killGroup('SIGKILL'); // anything it left behind (shells are in their own sessions already)
      rmSync(stateDir, { recursive: true, force: true });
      return code;
    },
  };
}
