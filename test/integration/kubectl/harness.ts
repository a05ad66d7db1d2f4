// A lab for driving the real /usr/bin/kubectl: a store in a temp state dir, the embedded API
// server on a random port (HTTPS, in-memory CA and token), the kubeconfig a learner gets, and a per-lab kubectl cache dir and HOME
// so two test files never share discovery caches or ~/.kube.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import pty from '@lydell/node-pty';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MemoryStore } from '../../../sandbox/cluster/store.ts';
import { createStore } from '../../../sandbox/cluster/persistence/open-store.ts';
import { seedStatusQuo } from '../../../sandbox/cluster/status-quo/index.ts';
import { startApiServer } from '../../../sandbox/cluster/api/index.ts';
import { kubeconfigFor } from '../../../sandbox/cluster/api/kubeconfig.ts';
import { memoryCredentials, secureApiOptions } from '../../../sandbox/cluster/auth/credentials.ts';
import { startCluster, type StartClusterOptions } from '../../../sandbox/cluster/cluster.ts';
import { startDeletionControllers } from '../../../sandbox/cluster/controllers/deletion.ts';
import { waitFor } from '../../support/wait.ts';

export const KUBECTL = '/usr/bin/kubectl';

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  input?: string;
  env?: Record<string, string>;
  /** kill kubectl after this long; a hang is a failure, not a stuck test run */
  timeoutMs?: number;
}

export interface Lab {
  url: string;
  dir: string;
  kubeconfig: string;
  store: MemoryStore;
  /** where kube-dns is published on 127.0.0.1, when the lab was started with dnsPort */
  dnsPort?: number;
  kubectl(args: string[], opts?: KubectlOptions): Promise<KubectlResult>;
  /** run kubectl, fail the test unless it exits 0, and return its stdout */
  ok(args: string[], opts?: KubectlOptions): Promise<string>;
  /** start kubectl without waiting for it (watches); the lab kills it on close */
  spawnKubectl(args: string[], opts?: KubectlOptions): ChildProcess;
  /**
   * resolves with the first request from now on whose "METHOD path?query" matches `re`, as the API
   * server's request hook sees it: how a test knows that a `kubectl get -w` or `kubectl wait` it
   * starts next has opened its watch. Call it before starting kubectl. Only for startLab.
   */
  nextRequest(re: RegExp, what: string): Promise<string>;
  /** kubectl in a terminal (a pty, as a learner's `exec -it` or `debug -it` runs); the lab kills it on close */
  terminal(args: string[]): KubectlTerminal;
  /** `kubectl run <name> --image=<image>` and wait until the pod is Ready */
  runPod(name: string, image: string): Promise<void>;
  /** write a file in the lab's dir and return its path */
  file(name: string, text: string): string;
  close(): Promise<void>;
}

export interface KubectlTerminal {
  /** type into the terminal ("\r" ends a line, as Enter does) */
  write(text: string): void;
  /** waits until the terminal's output so far matches `re` */
  shows(re: RegExp): Promise<void>;
  /** everything the terminal printed */
  output(): string;
  /** kubectl's exit code */
  exited: Promise<number>;
  kill(): void;
}

export interface LabOptions {
  /** seed the chapter's Status Quo (nodes, kube-dns Service and Deployment, ...); default true */
  seed?: boolean;
}

/** the API server alone, with the deletion controllers: objects stay as written, nothing else reconciles them */
export async function startLab(opts: LabOptions = {}): Promise<Lab> {
  const dir = mkdtempSync(join(tmpdir(), 'kubectl-it-'));
  const store = await createStore({ stateDir: join(dir, 'state') });
  if (opts.seed !== false) seedStatusQuo(store);
  const deletion = startDeletionControllers(store);
  const creds = await memoryCredentials();
  const requests: string[] = [];
  const onRequest = ({ method, path }: { method: string; path: string }) => void requests.push(`${method} ${path}`);
  const server = await startApiServer({ store, port: 0, ...secureApiOptions(creds, store), onRequest });
  const kubeconfig = kubeconfigFor({ server: server.url, caPem: creds.pki.caPem, token: creds.adminToken });
  return labAround(dir, server.url, kubeconfig, store, async () => {
    await server.close();
    await deletion.stop();
    await store.close();
  }, requests);
}

/** the whole embedded cluster: API, controllers, kubelet, pod runtimes, service proxy */
export async function startClusterLab(
  opts: Pick<StartClusterOptions, 'dnsPort' | 'profile' | 'nodeUpstreams' | 'nodeUpstreamTimeoutMs' | 'cronJobClock'> = {},
): Promise<Lab> {
  const dir = mkdtempSync(join(tmpdir(), 'kubectl-cluster-it-'));
  const cluster = await startCluster({ stateDir: join(dir, 'state'), ...opts });
  const lab = labAround(dir, cluster.apiUrl, readFileSync(cluster.kubeconfig, 'utf8'), cluster.store, () => cluster.stop());
  return cluster.dnsPort === undefined ? lab : { ...lab, dnsPort: cluster.dnsPort };
}

function labAround(
  dir: string,
  url: string,
  kubeconfigText: string,
  store: MemoryStore,
  stop: () => Promise<void>,
  requests?: string[],
): Lab {
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigText, { mode: 0o600 });
  const children = new Set<ChildProcess>();

  const env = (extra: Record<string, string> = {}) => ({
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    KUBECONFIG: kubeconfig,
    KUBECACHEDIR: join(dir, 'cache'),
    LANG: 'C.UTF-8',
    ...extra,
  });

  const spawnKubectl = (args: string[], o: KubectlOptions = {}) => {
    const child = spawn(KUBECTL, args, { cwd: dir, env: env(o.env), stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(child);
    child.on('exit', () => children.delete(child));
    return child;
  };

  const kubectl = (args: string[], o: KubectlOptions = {}) =>
    new Promise<KubectlResult>((resolve, reject) => {
      const child = spawnKubectl(args, o);
      let stdout = '';
      let stderr = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`kubectl ${args.join(' ')} did not finish in ${o.timeoutMs ?? 20000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
      }, o.timeoutMs ?? 20000);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      child.stdin!.end(o.input ?? '');
    });

  const ok = async (args: string[], o?: KubectlOptions) => {
    const r = await kubectl(args, o);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };

  const terminals = new Set<{ kill(): void }>();
  const terminal = (args: string[]): KubectlTerminal => {
    const term = pty.spawn(KUBECTL, args, { cols: 120, rows: 30, cwd: dir, env: env({ TERM: 'xterm' }) });
    terminals.add(term);
    let out = '';
    term.onData((d) => (out += d));
    const exited = new Promise<number>((r) => term.onExit((e) => {
      terminals.delete(term);
      r(e.exitCode);
    }));
    return {
      write: (text) => term.write(text),
      shows: async (re) => {
        await waitFor(() => re.test(out), { what: `${re} in the terminal output`, show: () => JSON.stringify(out) });
      },
      output: () => out,
      exited,
      kill: () => term.kill(),
    };
  };

  return {
    url,
    dir,
    kubeconfig,
    store,
    kubectl,
    ok,
    spawnKubectl,
    terminal,
    async runPod(name, image) {
      await ok(['run', name, `--image=${image}`]);
      await ok(['wait', '--for=condition=Ready', `pod/${name}`, '--timeout=30s'], { timeoutMs: 40000 });
    },
    nextRequest(re, what) {
      if (!requests) throw new Error("nextRequest needs startLab: startClusterLab does not see the API server's requests");
      const from = requests.length;
      return waitFor(() => requests.slice(from).find((r) => re.test(r)), {
        what: `${what} (a request matching ${re})`,
        show: () => requests.slice(from).join('\n'),
      });
    },
    file(name, text) {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    },
    async close() {
      for (const c of children) c.kill('SIGKILL');
      for (const t of terminals) t.kill();
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** kubectl's table: rows of cells split on its 3-space column padding */
export function tableRows(stdout: string): string[][] {
  return stdout.trimEnd().split('\n').map((l) => l.trim().split(/\s{2,}/));
}
