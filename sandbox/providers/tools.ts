// The command-line tools the real-cluster providers drive (docker, kind, minikube, kubectl):
// one way to run them, with their output line by line for progress, and to find and version them.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ToolFailedError, ToolMissingError } from './errors.ts';

export type ToolName = 'docker' | 'kind' | 'minikube' | 'kubectl';

export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** written to the tool's stdin */
  input?: string;
  timeoutMs?: number;
  /** every line of stdout and stderr as it comes */
  onLine?: (line: string) => void;
}

/** runs a tool; resolves with its exit code and output, rejects only when it is not installed */
export function runTool(file: string, args: string[], opts: RunOptions = {}): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const lines = (push: (s: string) => void) => {
      let partial = '';
      return (chunk: string) => {
        push(chunk);
        if (!opts.onLine) return;
        partial += chunk;
        const parts = partial.split(/\r?\n|\r/);
        partial = parts.pop() ?? '';
        for (const l of parts) if (l.trim()) opts.onLine(l);
      };
    };
    child.stdout.setEncoding('utf8').on('data', lines((s) => (stdout += s)));
    child.stderr.setEncoding('utf8').on('data', lines((s) => (stderr += s)));
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err.code === 'ENOENT' ? new ToolMissingError(file) : err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr: stderr + (signal === 'SIGKILL' && timer ? `\n${file} did not finish in ${opts.timeoutMs! / 1000} s` : '') });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

/** runs a tool and rejects, with its own words, when it exits non-zero */
export async function runToolOk(file: string, args: string[], opts: RunOptions = {}): Promise<string> {
  const r = await runTool(file, args, opts);
  if (r.code !== 0) throw new ToolFailedError(file, args, r);
  return r.stdout;
}

/** the tool's absolute path on PATH, or undefined */
export function which(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** the version each tool prints, from the command that prints it without a cluster or daemon */
const VERSION_COMMAND: Record<ToolName, { args: string[]; pattern: RegExp }> = {
  // "Docker version 27.4.1, build b9d17ea"
  docker: { args: ['--version'], pattern: /version v?(\d+\.\d+\.\d+[^\s,]*)/ },
  // "kind v0.27.0 go1.23.6 linux/amd64"
  kind: { args: ['version'], pattern: /kind v(\d+\.\d+\.\d+[^\s]*)/ },
  // "minikube version: v1.35.0"
  minikube: { args: ['version', '--short'], pattern: /v(\d+\.\d+\.\d+[^\s]*)/ },
  // "Client Version: v1.32.4"
  kubectl: { args: ['version', '--client'], pattern: /Client Version: v?(\d+\.\d+\.\d+[^\s]*)/ },
};

export async function toolVersion(name: ToolName): Promise<string | undefined> {
  const { args, pattern } = VERSION_COMMAND[name];
  try {
    const r = await runTool(name, args, { timeoutMs: 15_000 });
    return pattern.exec(r.stdout + r.stderr)?.[1];
  } catch {
    return undefined;
  }
}

/** kubectl bound to one kubeconfig (and context): how the providers read and change a cluster */
export interface KubectlFor {
  kubeconfig: string;
  context?: string;
  run(args: string[], opts?: Pick<RunOptions, 'input' | 'timeoutMs'>): Promise<ToolRun>;
  ok(args: string[], opts?: Pick<RunOptions, 'input' | 'timeoutMs'>): Promise<string>;
}

export function kubectlFor(kubeconfig: string, context?: string): KubectlFor {
  const full = (args: string[]) => (context ? ['--context', context, ...args] : args);
  const env = { KUBECONFIG: kubeconfig };
  return {
    kubeconfig,
    context,
    run: (args, opts = {}) => runTool('kubectl', full(args), { env, timeoutMs: 60_000, ...opts }),
    ok: (args, opts = {}) => runToolOk('kubectl', full(args), { env, timeoutMs: 60_000, ...opts }),
  };
}
