// Assembles the embedded cluster: the persistent store (seeded with the Status Quo on a fresh
// state dir), the service proxy, the pod runtimes, the API server on 127.0.0.1 and the
// controllers; writes <stateDir>/kubeconfig; and stops them in the reverse order.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { kubeconfigFor } from './api/kubeconfig.ts';
import { reconcileBootstrapPolicy } from './auth/bootstrap-policy.ts';
import { startClusterRoleAggregation } from './auth/clusterrole-aggregation.ts';
import { RbacAuthorizer } from './auth/rbac.ts';
import { startApiServer, type ApiServer } from './api/index.ts';
import type { ContainerRuntimeHost } from './contracts.ts';
import { startControllers } from './controllers/index.ts';
import { createStore, type PersistentStore } from './persistence/open-store.ts';
import { createServiceProxy, type PublishedDns } from './proxy/index.ts';
import { createRuntimeHost, type RuntimeHostOptions } from './runtimes/index.ts';
import { CLUSTER_DOMAIN, needsSeed, SERVICE_CIDR, seedStatusQuo } from './status-quo/index.ts';

export interface StartClusterOptions {
  stateDir: string;
  /** publish kube-dns on 127.0.0.1:<dnsPort> (0 picks a free port) */
  dnsPort?: number;
  onProgress?: (line: string) => void;
  /** the API port to try first; default: the one this state dir used last, else any free port */
  apiPort?: number;
  /** every container log line as it is written (bench/sandbox/timeline.ts uses it) */
  onLog?: RuntimeHostOptions['onLog'];
}

export interface RunningCluster {
  apiUrl: string;
  /** absolute path of the kubeconfig written for this cluster */
  kubeconfig: string;
  /** the port kube-dns is published on, when dnsPort was given */
  dnsPort?: number;
  store: PersistentStore;
  /** back to the Status Quo while running: every object deleted (pods stop), then seeded again */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const PORT_FILE = 'api-port';

function lastPort(stateDir: string): number | undefined {
  try {
    const n = Number(readFileSync(join(stateDir, PORT_FILE), 'utf8').trim());
    return Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
  } catch {
    return undefined;
  }
}

function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, path);
}

/**
 * Reusing the last port keeps kubectl's discovery cache (keyed by host:port) warm across
 * restarts; when it is taken, any free port will do.
 */
async function listen(store: PersistentStore, runtime: ContainerRuntimeHost, authorizer: RbacAuthorizer, preferred: number | undefined): Promise<ApiServer> {
  if (preferred) {
    try {
      return await startApiServer({ store, runtime, authorizer, host: '127.0.0.1', port: preferred });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' && (err as NodeJS.ErrnoException).code !== 'EACCES') throw err;
    }
  }
  return startApiServer({ store, runtime, authorizer, host: '127.0.0.1', port: 0 });
}

export async function startCluster(opts: StartClusterOptions): Promise<RunningCluster> {
  const stateDir = resolve(opts.stateDir);
  mkdirSync(stateDir, { recursive: true });
  const kubeconfig = join(stateDir, 'kubeconfig');
  const store = await createStore({ stateDir, serviceCIDR: SERVICE_CIDR });
  const fresh = needsSeed(store);
  if (fresh) {
    opts.onProgress?.('seeding the chapter\'s Status Quo (3 masters, 5 nodes, kube-dns)');
    seedStatusQuo(store);
  }
  // a state dir from before RBAC was enforced lacks the bootstrap roles, which kube-dns's ServiceAccount needs
  else reconcileBootstrapPolicy(store);
  const authorizer = new RbacAuthorizer(store);
  const proxy = createServiceProxy({ store });
  const runtime = createRuntimeHost({ store, proxy, kubeconfig, clusterDomain: CLUSTER_DOMAIN, onLog: opts.onLog });
  let api: ApiServer | undefined;
  let published: PublishedDns | undefined;
  try {
    api = await listen(store, runtime, authorizer, opts.apiPort ?? lastPort(stateDir));
    writeAtomically(kubeconfig, kubeconfigFor(api.url));
    writeAtomically(join(stateDir, PORT_FILE), `${api.port}\n`);
    if (opts.dnsPort !== undefined) published = await proxy.publish(opts.dnsPort);
  } catch (err) {
    await api?.close();
    authorizer.close();
    await proxy.close();
    await runtime.close();
    await store.close();
    throw err;
  }
  const controllers = startControllers(store, runtime);
  const stopAggregation = startClusterRoleAggregation(store, authorizer);
  let stopping: Promise<void> | undefined;
  return {
    apiUrl: api.url,
    kubeconfig,
    ...(published ? { dnsPort: published.port } : {}),
    store,
    async reset() {
      // the deletions reach the controllers as watch events: the kubelet stops every container,
      // then the fresh seed brings kube-dns back as on a first start
      store.reset();
      seedStatusQuo(store);
      await store.flush();
    },
    stop() {
      stopping ??= (async () => {
        await api.close();
        stopAggregation();
        authorizer.close();
        await controllers.stop();
        await published?.close();
        await proxy.close();
        await runtime.close();
        await store.flush();
        await store.close();
      })();
      return stopping;
    },
  };
}

/** `sandbox reset`: an empty store for the state dir, seeded again with the Status Quo */
export async function resetClusterState(stateDir: string): Promise<void> {
  const store = await createStore({ stateDir: resolve(stateDir), serviceCIDR: SERVICE_CIDR });
  try {
    store.reset();
    seedStatusQuo(store);
    await store.flush();
  } finally {
    await store.close();
  }
}
