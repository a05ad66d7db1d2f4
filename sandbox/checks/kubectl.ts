// The real kubectl, run against the context's kubeconfig: `get` for objects named as kubectl
// names them, and every solve action. The learner's terminal runs the same binary, so what
// works here works there.
import { execFile } from 'node:child_process';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  kubeconfig: string;
  cwd?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** runs kubectl; never rejects for a non-zero exit (the caller reads stderr), only when kubectl cannot be started */
export function kubectl(args: string[], opts: KubectlOptions): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'kubectl',
      args,
      {
        cwd: opts.cwd,
        env: { ...process.env, KUBECONFIG: opts.kubeconfig },
        timeout: opts.timeoutMs ?? 30_000,
        maxBuffer: 16 << 20,
        signal: opts.signal,
      },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { killed?: boolean; code?: unknown }) | null;
        if (e && e.code === 'ENOENT') {
          reject(new KubectlMissingError());
          return;
        }
        if (e && e.name === 'AbortError') {
          reject(e);
          return;
        }
        let code = 0;
        if (e) code = typeof e.code === 'number' ? e.code : 1;
        const timedOut = e?.killed === true && !opts.signal?.aborted;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) + (timedOut ? `\nkubectl did not finish in ${(opts.timeoutMs ?? 30_000) / 1000} s` : '') });
      },
    );
  });
}

export class KubectlMissingError extends Error {
  readonly code = 'LAB_ERR_KUBECTL_MISSING';
  constructor() {
    super('kubectl is not on PATH. Install kubectl 1.30 or newer (`npm run lab -- doctor` says how)');
    this.name = 'KubectlMissingError';
  }
}

/**
 * The API reasons in kubectl's stderr, one per `Error from server (Reason): ...` line, in order.
 * kubectl prints the Status reason in those parentheses; a line without one (e.g. a plain
 * `Error from server: ...`) yields "Unknown" so callers never take it for an ignorable reason.
 */
export function errorReasons(stderr: string): string[] {
  const out: string[] = [];
  for (const line of stderr.split('\n')) {
    const m = /^Error from server(?: \(([A-Za-z]+)\))?:/.exec(line.trim());
    if (m) out.push(m[1] ?? 'Unknown');
  }
  return out;
}

/** the lines of stderr that report a failure (kubectl's `error: ...` and `Error from server ...`) */
export function errorLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(error|Error from server)\b/i.test(l) || /^Unable to connect to the server/.test(l) || /^The connection to the server .* was refused/.test(l) || /did not finish in/.test(l));
}
