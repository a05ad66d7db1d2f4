// The embedded provider: the whole cluster in this process (sandbox/cluster), its state in the
// state dir, which belongs to one owner at a time (sandbox/owner/lock.ts).
import { resolve } from 'node:path';
import type { Provider, SandboxHandle, SandboxStatus, UpOptions } from '../types.ts';
import { OwnerLock } from '../../owner/lock.ts';

/** the embedded handle can also reset the running cluster in place */
export interface EmbeddedHandle extends SandboxHandle {
  reset(): Promise<void>;
}

export { SandboxNotRunningError, SandboxRunningError, StateDirError } from './errors.ts';

/**
 * Start the cluster. The caller (serve, sandbox up) normally owns the state dir already; a caller
 * that does not (bench, tests) gets the lock taken here and released on stop.
 */
async function up(opts: UpOptions): Promise<EmbeddedHandle> {
  const stateDir = resolve(opts.stateDir);
  const lock = OwnerLock.heldHere(stateDir) ? null : OwnerLock.acquire(stateDir, { owner: 'sandbox up' });
  let cluster;
  try {
    // loaded here so `status`, `down` and `--help` do not pay for the cluster's imports
    const { startCluster } = await import('../../cluster/cluster.ts');
    cluster = await startCluster({ stateDir, dnsPort: opts.dnsPort, onProgress: opts.onProgress });
  } catch (err) {
    lock?.release();
    throw err;
  }
  lock?.update({ state: 'running', apiServer: cluster.apiUrl, kubeconfig: cluster.kubeconfig, dnsPort: cluster.dnsPort });
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
    reset: () => cluster.reset(),
    stop() {
      stopped ??= cluster.stop().finally(() => lock?.release());
      return stopped;
    },
  };
}

/** wipe the state dir's cluster and seed the Status Quo again; refuses while an owner runs there */
async function reset(opts: UpOptions): Promise<void> {
  const stateDir = resolve(opts.stateDir);
  const lock = OwnerLock.acquire(stateDir, {
    owner: 'sandbox reset',
    action: 'be reset underneath it',
    alternative: `or reset it in place with "coredns-lab sandbox reset --in-place --state-dir ${stateDir}"`,
  });
  try {
    const { resetClusterState } = await import('../../cluster/cluster.ts');
    await resetClusterState(stateDir);
  } finally {
    lock.release();
  }
}

export const embeddedProvider: Provider = { name: 'embedded', up, reset };
