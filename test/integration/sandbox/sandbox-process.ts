// Runs `coredns-lab sandbox ...` as a child process and the real kubectl against it, each test
// with its own state dir and kubectl cache dir.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../../support/wait.ts';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CLI = join(ROOT, 'bin', 'coredns-lab.js');

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `coredns-lab-${prefix}-`));
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(
  file: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: { ...process.env, ...opts.env }, cwd: opts.cwd ?? ROOT, timeout: opts.timeoutMs ?? 30_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

export function lab(args: string[], opts: { timeoutMs?: number } = {}): Promise<RunResult> {
  return run(process.execPath, [CLI, ...args], opts);
}

export class Sandbox {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  private constructor(readonly child: ChildProcess, readonly stateDir: string) {
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (this.stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
  }

  /** spawn `sandbox up` and wait for its ready line; rejects with its output if it exits first */
  static async up(stateDir: string, extra: string[] = [], timeoutMs = 45_000): Promise<Sandbox & { kubeconfig: string }> {
    const child = spawn(process.execPath, [CLI, 'sandbox', 'up', '--state-dir', stateDir, ...extra], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const s = new Sandbox(child, stateDir);
    const kubeconfig = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`sandbox up did not get ready in ${timeoutMs} ms:\n${s.stdout}\n${s.stderr}`)), timeoutMs);
      const check = () => {
        const m = /^sandbox ready: KUBECONFIG=(.+)$/m.exec(s.stdout);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      child.stdout!.on('data', check);
      void s.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`sandbox up exited with ${code} before ready:\n${s.stdout}\n${s.stderr}`));
      });
    });
    // the API server and DNS port line follows the ready line on stderr
    await waitFor(() => /sandbox: API server /.test(s.stderr), { what: 'the "sandbox: API server" line on stderr', timeout: 5000 });
    return Object.assign(s, { kubeconfig });
  }

  /** the port `--dns-port` published kube-dns on, from the line `up` prints */
  get dnsPort(): number | undefined {
    const m = /kube-dns published on 127\.0\.0\.1:(\d+)/.exec(this.stderr);
    return m ? Number(m[1]) : undefined;
  }

  /** SIGTERM (or the given signal) and wait for the exit code */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

export class Kubectl {
  readonly cacheDir = tempDir('kubectl-cache');

  constructor(public kubeconfig: string, private readonly cwd = ROOT) {}

  run(args: string[], timeoutMs = 30_000): Promise<RunResult> {
    return run('kubectl', ['--cache-dir', this.cacheDir, ...args], { env: { KUBECONFIG: this.kubeconfig, KUBECACHEDIR: this.cacheDir }, cwd: this.cwd, timeoutMs });
  }

  /** run and fail with kubectl's stderr when it does not exit 0 */
  async ok(args: string[], timeoutMs?: number): Promise<string> {
    const r = await this.run(args, timeoutMs);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  }

  /** run inside a pseudo-terminal (script -qc), for `exec -ti` and `run -it` */
  tty(args: string[], timeoutMs = 30_000): Promise<RunResult> {
    const quoted = ['kubectl', '--cache-dir', this.cacheDir, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
    return run('script', ['-qec', quoted, '/dev/null'], { env: { KUBECONFIG: this.kubeconfig, KUBECACHEDIR: this.cacheDir }, cwd: this.cwd, timeoutMs });
  }

  cleanup(): void {
    rmSync(this.cacheDir, { recursive: true, force: true });
  }
}

/** kubectl's table output as rows of cells (columns split on 2+ spaces) */
export function table(text: string): string[][] {
  return text.trim().split('\n').map((l) => l.trim().split(/\s{2,}/));
}

/** `coredns-lab serve` as a child process with a fixed token, on a free port */
export class Serve {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  url = '';
  port = 0;

  private constructor(readonly child: ChildProcess, readonly stateDir: string, readonly token: string) {
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (this.stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
  }

  /** spawn serve and wait for its URL line (the first start may build the site: minutes on a busy machine) */
  static async start(stateDir: string, extra: string[] = [], timeoutMs = 240_000): Promise<Serve> {
    const token = 'lifecycle-test-token-0123456789';
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--token', token, '--state-dir', stateDir, ...extra], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
      // its own process group, so a kill reaches the shells and a site build it may be running
      detached: true,
    });
    const s = new Serve(child, stateDir, token);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve printed no URL in ${timeoutMs} ms:\n${s.stdout}\n${s.stderr}`)), timeoutMs);
      child.stdout!.on('data', () => {
        const m = /^coredns-lab: open (http:\/\/127\.0\.0\.1:(\d+)\/)\?token=/m.exec(s.stdout);
        if (m) {
          clearTimeout(timer);
          s.url = m[1]!;
          s.port = Number(m[2]);
          resolve();
        }
      });
      void s.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`serve exited with ${code} before printing its URL:\n${s.stdout}\n${s.stderr}`));
      });
    });
    return s;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** GET a path with the token as a bearer */
  async get(path: string): Promise<{ status: number; body: string }> {
    const r = await fetch(`http://127.0.0.1:${this.port}${path}`, { headers: { Authorization: `Bearer ${this.token}` } });
    return { status: r.status, body: await r.text() };
  }

  /** SIGKILL the whole group (test cleanup) */
  kill(): void {
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
