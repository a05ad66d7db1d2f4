// The embedded provider: the whole cluster in this process (sandbox/cluster), its state in the
// state dir, which belongs to one owner at a time (sandbox/owner/lock.ts).
import { resolve } from 'node:path';
import type { Detection, DownOptions, Provider, SandboxHandle, SandboxStatus, UpOptions } from '../types.ts';
import { OwnerLock } from '../../owner/lock.ts';
import { readProviderRecord, writeProviderRecord } from '../record.ts';

/** the context sandbox/cluster/api/kubeconfig.ts writes */
export const EMBEDDED_CONTEXT = 'coredns-lab';

export { SandboxNotRunningError, SandboxRunningError, StateDirError } from './errors.ts';

function detect(): Detection {
  return { provider: 'embedded', canRun: true, startsIn: 'about 1 s' };
}

/**
 * Start the cluster. The caller (serve, sandbox up) normally owns the state dir already; a caller
 * that does not (bench, tests) gets the lock taken here and released on stop.
 */
async function up(opts: UpOptions): Promise<SandboxHandle> {
  const stateDir = resolve(opts.stateDir);
  const lock = OwnerLock.heldHere(stateDir) ? null : OwnerLock.acquire(stateDir, { owner: 'sandbox up' });
  let cluster;
  try {
    // loaded here so `status`, `down` and `--help` do not pay for the cluster's imports
    const { startCluster } = await import('../../cluster/cluster.ts');
    cluster = await startCluster({ stateDir, dnsPort: opts.dnsPort, onProgress: opts.onProgress, profile: opts.profile });
    writeProviderRecord(stateDir, { provider: 'embedded', context: EMBEDDED_CONTEXT, profile: cluster.profile });
  } catch (err) {
    lock?.release();
    throw err;
  }
  lock?.update({ state: 'running', apiServer: cluster.apiUrl, kubeconfig: cluster.kubeconfig, dnsPort: cluster.dnsPort });
  let stopped: Promise<void> | undefined;
  return {
    provider: 'embedded',
    kubeconfig: cluster.kubeconfig,
    context: EMBEDDED_CONTEXT,
    async status(): Promise<SandboxStatus> {
      return {
        provider: 'embedded',
        state: stopped ? 'stopped' : 'running',
        kubeconfig: cluster.kubeconfig,
        context: EMBEDDED_CONTEXT,
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

/** without its owner the embedded cluster is not running: it lives in that process */
async function status(opts: { stateDir: string }): Promise<SandboxStatus> {
  const stateDir = resolve(opts.stateDir);
  return { provider: 'embedded', state: 'stopped', kubeconfig: resolve(stateDir, 'kubeconfig'), context: EMBEDDED_CONTEXT, message: `no sandbox is running on ${stateDir}` };
}

/** the lock an offline `sandbox reset` holds (any provider): refused while an owner runs there, who can reset in place */
export function lockForOfflineReset(stateDir: string): OwnerLock {
  return OwnerLock.acquire(stateDir, {
    owner: 'sandbox reset',
    action: 'be reset underneath it',
    alternative: `or reset it in place with "coredns-lab sandbox reset --in-place --state-dir ${stateDir}"`,
  });
}

/** wipe the state dir's cluster and seed its starting state again; refuses while an owner runs there */
async function reset(opts: UpOptions): Promise<void> {
  const stateDir = resolve(opts.stateDir);
  const lock = lockForOfflineReset(stateDir);
  try {
    const { resetClusterState } = await import('../../cluster/cluster.ts');
    await resetClusterState(stateDir, opts.profile ?? readProviderRecord(stateDir)?.profile);
  } finally {
    lock.release();
  }
}

/** the embedded cluster lives in its owner's process: stopping the owner is all there is to take down */
async function down(opts: DownOptions): Promise<string> {
  const stateDir = resolve(opts.stateDir);
  return opts.restore
    ? `the embedded cluster has nothing to restore (it was made for the lab); "sandbox reset --state-dir ${stateDir}" returns it to its starting state`
    : `the embedded cluster's state is kept in ${stateDir}`;
}

export const embeddedProvider: Provider = { name: 'embedded', detect, up, status, reset, down };
