// The embedded provider: the whole cluster in this process (sandbox/cluster), its state in the
// state dir, guarded by a pid file so one state dir has at most one running sandbox.
import { resolve } from 'node:path';
import type { Provider, SandboxHandle, SandboxStatus, UpOptions } from '../types.ts';

/** the embedded handle can also reset the running cluster in place */
export interface EmbeddedHandle extends SandboxHandle {
  reset(): Promise<void>;
}
import { SandboxNotRunningError, SandboxRunningError } from './errors.ts';
import { readLock, SandboxLock } from './lock.ts';
import { probeApi } from './probe.ts';
import { stateDirClientCredentials } from '../../cluster/auth/credentials.ts';

export { SandboxNotRunningError, SandboxRunningError, StateDirError } from './errors.ts';

async function up(opts: UpOptions): Promise<EmbeddedHandle> {
  const stateDir = resolve(opts.stateDir);
  const lock = SandboxLock.acquire(stateDir);
  let cluster;
  try {
    // loaded here so `status`, `down` and `--help` do not pay for the cluster's imports
    const { startCluster } = await import('../../cluster/cluster.ts');
    cluster = await startCluster({ stateDir, dnsPort: opts.dnsPort, onProgress: opts.onProgress });
  } catch (err) {
    lock.release();
    throw err;
  }
  lock.update({ state: 'running', apiServer: cluster.apiUrl, kubeconfig: cluster.kubeconfig, dnsPort: cluster.dnsPort });
  let stopped: Promise<void> | undefined;
  return {
    provider: 'embedded',
    kubeconfig: cluster.kubeconfig,
    async status(): Promise<SandboxStatus> {
      return {
        provider: 'embedded',
        state: stopped ? 'stopped' : 'running',
        kubeconfig: cluster.kubeconfig,
        apiServer: cluster.apiUrl,
        ...(cluster.dnsPort !== undefined ? { dnsPort: cluster.dnsPort } : {}),
      };
    },
    async reset() {
      await cluster.reset();
      lock.update({ resetAt: new Date().toISOString() });
    },
    stop() {
      stopped ??= cluster.stop().finally(() => lock.release());
      return stopped;
    },
  };
}

/** wipe the state dir's cluster and seed the Status Quo again; refuses while a sandbox runs there */
async function reset(opts: UpOptions): Promise<void> {
  const stateDir = resolve(opts.stateDir);
  const lock = SandboxLock.acquire(stateDir, 'be reset underneath it', `or reset it in place with "coredns-lab sandbox reset --in-place --state-dir ${stateDir}"`);
  try {
    const { resetClusterState } = await import('../../cluster/cluster.ts');
    await resetClusterState(stateDir);
  } finally {
    lock.release();
  }
}

/** what `sandbox status` reports: from the pid file, confirmed by asking the API server */
export async function embeddedStatus(stateDirInput: string): Promise<SandboxStatus> {
  const stateDir = resolve(stateDirInput);
  const kubeconfig = resolve(stateDir, 'kubeconfig');
  const lock = readLock(stateDir);
  if (!lock) return { provider: 'embedded', state: 'stopped', kubeconfig, message: `no sandbox is running on ${stateDir}` };
  if (lock.state === 'starting' || !lock.apiServer)
    return { provider: 'embedded', state: 'starting', kubeconfig, message: `pid ${lock.pid} is starting` };
  const probe = await probeApi(lock.apiServer, stateDirClientCredentials(stateDir));
  return {
    provider: 'embedded',
    state: probe.ok ? 'running' : 'error',
    kubeconfig: lock.kubeconfig ?? kubeconfig,
    apiServer: lock.apiServer,
    ...(lock.dnsPort !== undefined ? { dnsPort: lock.dnsPort } : {}),
    message: probe.ok ? `pid ${lock.pid}, Kubernetes ${probe.version}` : `pid ${lock.pid} is alive but its API server does not answer: ${probe.error}`,
  };
}

/** `sandbox down`: SIGTERM to the running instance, then wait until it has let go of the state dir */
export async function stopRunning(stateDirInput: string, timeoutMs = 15_000): Promise<number> {
  const stateDir = resolve(stateDirInput);
  const lock = readLock(stateDir);
  if (!lock) throw new SandboxNotRunningError(stateDir);
  if (lock.pid === process.pid) throw new SandboxRunningError(stateDir, lock.pid, 'be stopped from itself');
  process.kill(lock.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!readLock(stateDir)) return lock.pid;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sandbox pid ${lock.pid} did not stop within ${timeoutMs / 1000}s; stop it with "kill ${lock.pid}"`);
}

/** `sandbox reset --in-place`: ask the running instance (SIGUSR2) to reset itself, and wait until it has */
export async function resetRunning(stateDirInput: string, timeoutMs = 20_000): Promise<number> {
  const stateDir = resolve(stateDirInput);
  const lock = readLock(stateDir);
  if (!lock || lock.state !== 'running') throw new SandboxNotRunningError(stateDir);
  const before = lock.resetAt;
  process.kill(lock.pid, 'SIGUSR2');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const now = readLock(stateDir);
    if (!now) throw new SandboxNotRunningError(stateDir);
    if (now.resetAt && now.resetAt !== before) return lock.pid;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sandbox pid ${lock.pid} did not confirm the reset within ${timeoutMs / 1000}s; see its terminal`);
}

export const embeddedProvider: Provider = { name: 'embedded', up, reset };
