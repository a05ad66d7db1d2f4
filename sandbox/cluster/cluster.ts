// Assembles the embedded cluster: the persistent store (seeded with the Status Quo on a fresh
// state dir), the service proxy, the pod runtimes, the API server (HTTPS on 127.0.0.1, with the
// state dir's CA and tokens from auth/) and the controllers; writes <stateDir>/kubeconfig; and
// stops them in the reverse order.
import { readFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tightenStateDir, writePrivateFile } from '../private-state.ts';
import { kubeconfigFor } from './api/kubeconfig.ts';
import { reconcileBootstrapPolicy } from './auth/bootstrap-policy.ts';
import { startClusterRoleAggregation } from './auth/clusterrole-aggregation.ts';
import { RbacAuthorizer } from './auth/rbac.ts';
import { startApiServer, type ApiServer, type ApiServerOptions } from './api/index.ts';
import { secureApiOptions, stateDirCredentials } from './auth/credentials.ts';
import { podCredentials } from './auth/tokens.ts';
import type { ContainerRuntimeHost } from './contracts.ts';
import { startControllers } from './controllers/index.ts';
import { createStore, type PersistentStore } from './persistence/open-store.ts';
import { createServiceProxy, type PublishedDns } from './proxy/index.ts';
import { createRuntimeHost, resolvConfNameservers, type RuntimeHostOptions, type UpstreamNameserver } from './runtimes/index.ts';
import { CLUSTER_DOMAIN, ensureApiserverObjects, KUBEADM_NODES, NETWORKS, needsSeed, seededProfile, seedStatusQuo, type ClusterProfile } from './status-quo/index.ts';

export type { ClusterProfile } from './status-quo/index.ts';

export interface StartClusterOptions {
  stateDir: string;
  /** publish kube-dns on 127.0.0.1:<dnsPort> (0 picks a free port) */
  dnsPort?: number;
  onProgress?: (line: string) => void;
  /** the API port to try first; default: the one this state dir used last, else any free port */
  apiPort?: number;
  /** every container log line as it is written (bench/sandbox/timeline.ts uses it) */
  onLog?: RuntimeHostOptions['onLog'];
  /** the fresh cluster a new state dir is seeded as (default kops, the chapter's); a seeded one must match */
  profile?: ClusterProfile;
  /**
   * where the nodes' resolver forwards names outside the cluster and the nodes (what `dnsPolicy:
   * Default` pods and `forward . /etc/resolv.conf` reach); default: the nameservers of this
   * machine's /etc/resolv.conf, as a kubelet hands a node's resolv.conf to them. Tests point it
   * at a server of their own on 127.0.0.1.
   */
  nodeUpstreams?: UpstreamNameserver[];
  /** how long the nodes' resolver waits for nodeUpstreams before answering SERVFAIL (default 1.5 s) */
  nodeUpstreamTimeoutMs?: number;
  /** the CronJob controller's clock (tests: a clock just before a minute boundary, so a `* * * * *` CronJob fires at once) */
  cronJobClock?: () => Date;
}

/** the host's nameservers (its /etc/resolv.conf; the local machine's when it names none or cannot be read) */
export function hostNameservers(path = '/etc/resolv.conf'): UpstreamNameserver[] {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    // no resolv.conf: the resolver library uses the local machine's server, and so does the node
  }
  return resolvConfNameservers(text);
}

export interface RunningCluster {
  apiUrl: string;
  /** absolute path of the kubeconfig written for this cluster */
  kubeconfig: string;
  /** the port kube-dns is published on, when dnsPort was given */
  dnsPort?: number;
  store: PersistentStore;
  /** the fresh cluster it plays */
  profile: ClusterProfile;
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
  writePrivateFile(tmp, text);
  renameSync(tmp, path);
}

/**
 * Reusing the last port keeps kubectl's discovery cache (keyed by host:port) warm across
 * restarts; when it is taken, any free port will do.
 */
async function listen(store: PersistentStore, runtime: ContainerRuntimeHost, preferred: number | undefined, auth: Pick<ApiServerOptions, 'authenticator' | 'tls' | 'authorizer' | 'inClusterHosts'>): Promise<ApiServer> {
  if (preferred) {
    try {
      return await startApiServer({ store, runtime, host: '127.0.0.1', port: preferred, ...auth });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' && (err as NodeJS.ErrnoException).code !== 'EACCES') throw err;
    }
  }
  return startApiServer({ store, runtime, host: '127.0.0.1', port: 0, ...auth });
}

export class ProfileMismatchError extends Error {
  readonly code = 'LAB_ERR_PROFILE_MISMATCH';
  constructor(stateDir: string, seeded: ClusterProfile, asked: ClusterProfile) {
    super(
      `${stateDir} holds a ${seeded} cluster, not a ${asked} one; start it without --profile, ` +
        `or make it a fresh ${asked} cluster with "coredns-lab sandbox reset --profile ${asked} --state-dir ${stateDir}"`,
    );
    this.name = 'ProfileMismatchError';
  }
}

/** how pods address the API: the kubernetes Service's ClusterIP (in-cluster config) and its names */
function inClusterHosts(kubernetesIP: string): string[] {
  // every name the apiserver's serving certificate carries, as `curl https://kubernetes.default` from a pod uses them
  const names = [kubernetesIP, 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${CLUSTER_DOMAIN}`];
  return names.flatMap((n) => [n, `${n}:443`]);
}

export async function startCluster(opts: StartClusterOptions): Promise<RunningCluster> {
  const stateDir = resolve(opts.stateDir);
  // 0700, and a state dir an older lab left 0755/0644 is tightened before anything is read
  tightenStateDir(stateDir);
  const kubeconfig = join(stateDir, 'kubeconfig');
  const profile = opts.profile ?? 'kops';
  const net = NETWORKS[profile];
  const [store, creds] = await Promise.all([createStore({ stateDir, serviceCIDR: net.serviceCIDR }), stateDirCredentials(stateDir)]);
  const seeded = seededProfile(store);
  if (seeded !== undefined && seeded !== profile) {
    await store.close();
    throw new ProfileMismatchError(stateDir, seeded, profile);
  }
  const fresh = needsSeed(store);
  if (fresh) {
    opts.onProgress?.(profile === 'kops' ? 'seeding the chapter\'s Status Quo (3 masters, 5 nodes, kube-dns)' : `seeding a fresh ${profile} cluster (1 node, kubeadm's CoreDNS)`);
    seedStatusQuo(store, profile);
  }
  // a state dir from before RBAC was enforced lacks the bootstrap roles, which kube-dns's ServiceAccount needs
  else {
    reconcileBootstrapPolicy(store);
    ensureApiserverObjects(store);
  }
  const authorizer = new RbacAuthorizer(store);
  const proxy = createServiceProxy({ store });
  let api: ApiServer | undefined;
  const credentials = podCredentials({ caPem: creds.pki.caPem, serviceAccounts: creds.serviceAccounts, store, apiServer: () => ({ host: '127.0.0.1', port: api?.port ?? 0 }) });
  const runtime = createRuntimeHost({
    store,
    proxy,
    kubeconfig,
    credentials,
    clusterDomain: CLUSTER_DOMAIN,
    onLog: opts.onLog,
    clusterCIDRs: [net.serviceCIDR, net.podCIDR],
    // kind's and minikube's node: its Docker network's gateway (profiles.ts); kops's: the AWS VPC's resolver (the runtime's default)
    nodeResolvConf: profile === 'kops' ? undefined : () => KUBEADM_NODES[profile].resolvConf,
    nodeUpstreams: opts.nodeUpstreams ?? hostNameservers(),
    nodeUpstreamTimeoutMs: opts.nodeUpstreamTimeoutMs,
  });
  let published: PublishedDns | undefined;
  try {
    api = await listen(store, runtime, opts.apiPort ?? lastPort(stateDir), {
      ...secureApiOptions(creds, store),
      authorizer,
      inClusterHosts: inClusterHosts(net.kubernetesIP),
    });
    writeAtomically(kubeconfig, kubeconfigFor({ server: api.url, caPem: creds.pki.caPem, token: creds.adminToken }));
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
  const controllers = startControllers(store, runtime, {
    caPem: creds.pki.caPem,
    cronJobClock: opts.cronJobClock,
    // kops plays the chapter's 2017 cluster and its transcripts (kube-dns-1311260920-d8bkh); kind and minikube are today's
    podTemplateHash: profile === 'kops' ? 'decimal' : 'encoded',
  });
  const stopAggregation = startClusterRoleAggregation(store, authorizer);
  await clusterDnsReady(store);
  let stopping: Promise<void> | undefined;
  return {
    apiUrl: api.url,
    kubeconfig,
    ...(published ? { dnsPort: published.port } : {}),
    store,
    profile,
    async reset() {
      // the deletions reach the controllers as watch events: the kubelet stops every container,
      // then the fresh seed brings kube-dns back as on a first start
      store.reset();
      seedStatusQuo(store, profile);
      await store.flush();
      await clusterDnsReady(store);
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

/** the longest a start or reset waits for the cluster's DNS to pass its readiness probe */
const DNS_READY_TIMEOUT_MS = 30_000;

/**
 * The Status Quo includes a cluster DNS that answers: kube-dns passes its readiness probe only
 * after the probe's initial delay (3 s in the kops manifest), as on a real kubelet, so a start or
 * a reset is done once the kube-dns Service has a ready endpoint (or after the timeout, when the
 * pods' own events say why not).
 */
async function clusterDnsReady(store: Pick<PersistentStore, 'get'>): Promise<void> {
  const deadline = Date.now() + DNS_READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const ep = store.get('endpoints', 'kube-system', 'kube-dns') as { subsets?: Array<{ addresses?: unknown[] }> } | undefined;
    if (ep?.subsets?.some((s) => (s.addresses?.length ?? 0) > 0)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `sandbox reset`: an empty store for the state dir, seeded again with the profile's starting state */
export async function resetClusterState(stateDir: string, profile: ClusterProfile = 'kops'): Promise<void> {
  const store = await createStore({ stateDir: resolve(stateDir), serviceCIDR: NETWORKS[profile].serviceCIDR });
  try {
    store.reset();
    seedStatusQuo(store, profile);
    await store.flush();
  } finally {
    await store.close();
  }
}
