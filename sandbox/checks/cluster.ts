// Reads the cluster through @kubernetes/client-node: one KubeConfig per check run, loaded from
// the context's kubeconfig file, so any provider's kubeconfig works (certificates, tokens, exec
// plugins, and the embedded API's own CA and bearer token). Also what "ready"
// means, written once for every check kind.
import { existsSync, statSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import type { KubectlResult } from './kubectl.ts';

export type Pod = k8s.V1Pod;
export type Service = k8s.V1Service;

/** the API could not be reached or the kubeconfig could not be used: checks report status error */
export class ClusterUnreachableError extends Error {
  readonly code = 'LAB_ERR_CLUSTER_UNREACHABLE';
  constructor(readonly server: string, detail: string) {
    super(`the Kubernetes API${server ? ` at ${server}` : ''} does not answer (${detail})`);
    this.name = 'ClusterUnreachableError';
  }
}

/**
 * client-node makes a new Agent for every request (KubeConfig.applySecurityAuthentication), so
 * each API call of a check paid a full TLS handshake, on both ends when the API is the lab's own
 * process. This one makes the first request's agent again with keep-alive and hands that to
 * every later request: same CA, client certificate and verification, one handshake per socket.
 * Proxy agents (a kubeconfig's proxy-url) are left as client-node makes them.
 */
class KeepAliveKubeConfig extends k8s.KubeConfig {
  private shared?: http.Agent;

  override async applySecurityAuthentication(context: k8s.RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const made = context.getAgent();
    if (!made || (made.constructor !== https.Agent && made.constructor !== http.Agent)) return;
    const Made = made.constructor as typeof https.Agent;
    // options are read only at construction: the CA, certificate and key client-node put there
    this.shared ??= new Made({ ...(made as https.Agent).options, keepAlive: true, maxSockets: 8 });
    context.setAgent(this.shared);
    made.destroy();
  }
}

/** the last Cluster made for a kubeconfig, while that file is unchanged (a restart rewrites it with a new port and token) */
const cache = new Map<string, { stamp: string; cluster: Cluster }>();

export class Cluster {
  /**
   * The Cluster for a kubeconfig file, kept between check runs so that its keep-alive sockets
   * are reused; a new one once the file changes.
   */
  static for(kubeconfig: string): Cluster {
    let stamp = '';
    try {
      const st = statSync(kubeconfig);
      stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      // missing: the constructor says so
    }
    const hit = cache.get(kubeconfig);
    if (hit && stamp && hit.stamp === stamp) return hit.cluster;
    const cluster = new Cluster(kubeconfig);
    // a handful of kubeconfigs at most (one per provider context); the oldest goes first
    if (cache.size >= 8) cache.delete(cache.keys().next().value!);
    cache.set(kubeconfig, { stamp, cluster });
    return cluster;
  }

  readonly server: string;
  private readonly core: k8s.CoreV1Api;
  private readonly apps: k8s.AppsV1Api;
  private readonly discovery: k8s.DiscoveryV1Api;
  private readonly execs: k8s.Exec;
  private readonly apis: k8s.ApisApi;
  private readonly groupResources: k8s.CustomObjectsApi;
  private readonly objects: k8s.KubernetesObjectApi;
  /** the kind names discovery offers, as kubectl resolves them; fetched on the first lookup */
  private kinds?: { at: number; map: Promise<Map<string, KindTarget>> };

  constructor(readonly kubeconfig: string) {
    if (!existsSync(kubeconfig)) throw new ClusterUnreachableError('', `no kubeconfig at ${kubeconfig}`);
    const kc = new KeepAliveKubeConfig();
    try {
      kc.loadFromFile(kubeconfig);
    } catch (err) {
      throw new ClusterUnreachableError('', `the kubeconfig ${kubeconfig} cannot be read: ${(err as Error).message}`);
    }
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new ClusterUnreachableError('', `the kubeconfig ${kubeconfig} has no current context`);
    this.server = cluster.server;
    this.core = kc.makeApiClient(k8s.CoreV1Api);
    this.apps = kc.makeApiClient(k8s.AppsV1Api);
    this.discovery = kc.makeApiClient(k8s.DiscoveryV1Api);
    this.execs = new k8s.Exec(kc);
    this.apis = kc.makeApiClient(k8s.ApisApi);
    this.groupResources = kc.makeApiClient(k8s.CustomObjectsApi);
    this.objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  }

  /**
   * Whether `kubectl get <kind> <name> -n <namespace>` would find the object, without a kubectl
   * process: the kind is resolved as kubectl resolves what a learner types (plural, singular,
   * short name or kind, any case, optionally `<resource>.<group>`) through the API's discovery,
   * then the object is read. An unknown kind gets kubectl's own error.
   */
  async objectExists(kind: string, namespace: string, name: string): Promise<{ found: boolean } | { error: string }> {
    let target = (await this.kindMap(false)).get(kind.toLowerCase());
    // a kind the cached discovery lacks may be new (a CRD applied since): look once more
    if (!target) target = (await this.kindMap(true)).get(kind.toLowerCase());
    if (!target) return { error: `error: the server doesn't have a resource type "${kind}"` };
    const metadata = target.namespaced ? { name, namespace } : { name };
    try {
      await this.call(() => this.objects.read({ apiVersion: target.apiVersion, kind: target.kind, metadata }));
      return { found: true };
    } catch (err) {
      if (!(err instanceof k8s.ApiException)) throw err;
      if (err.code === 404) return { found: false };
      const status = parseStatus(err.body);
      return { error: `Error from server (${status?.reason ?? err.code}): ${status?.message ?? String(err.body)}` };
    }
  }

  private kindMap(refresh: boolean): Promise<Map<string, KindTarget>> {
    // a refresh at most every 10 s: a mistyped kind in a lesson must not fetch discovery per check
    if (!this.kinds || (refresh && Date.now() - this.kinds.at > 10_000)) {
      const map = this.call(() => this.fetchKinds());
      this.kinds = { at: Date.now(), map };
      // a failed fetch is not kept: the next lookup tries again
      map.catch(() => (this.kinds = undefined));
    }
    return this.kinds.map;
  }

  private async fetchKinds(): Promise<Map<string, KindTarget>> {
    const [core, groups] = await Promise.all([this.core.getAPIResources(), this.apis.getAPIVersions()]);
    const lists: Array<{ apiVersion: string; resources: k8s.V1APIResource[] }> = [{ apiVersion: 'v1', resources: core.resources }];
    const grouped = await Promise.allSettled(
      groups.groups.flatMap((g) => {
        const v = g.preferredVersion ?? g.versions[0];
        if (!v) return [];
        const list = this.groupResources.getAPIResources({ group: g.name, version: v.version });
        return [list.then((l) => ({ apiVersion: v.groupVersion, resources: l.resources }))];
      }),
    );
    // a group whose list fails (an aggregated API such as metrics.k8s.io with its server down
    // answers 503) is left out, as kubectl leaves it out with a warning: the others still resolve
    for (const g of grouped) if (g.status === 'fulfilled') lists.push(g.value);
    // the first list that offers a name keeps it: the core group, then the groups in the server's order, as kubectl prefers
    const map = new Map<string, KindTarget>();
    for (const { apiVersion, resources } of lists) {
      const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
      for (const r of resources) {
        if (r.name.includes('/')) continue; // subresources (pods/log) are not kinds to get
        const target: KindTarget = { apiVersion, kind: r.kind, namespaced: r.namespaced };
        const names = [r.name, r.singularName, r.kind, ...(r.shortNames ?? [])].filter(Boolean).map((n) => n.toLowerCase());
        for (const n of names) {
          if (!map.has(n)) map.set(n, target);
          if (group && !map.has(`${n}.${group}`)) map.set(`${n}.${group}`, target);
        }
      }
    }
    return map;
  }

  listNodes(): Promise<k8s.V1Node[]> {
    return this.call(async () => (await this.core.listNode()).items);
  }

  /** the pod, or undefined when it does not exist */
  readPod(namespace: string, name: string): Promise<Pod | undefined> {
    return this.orNotFound(() => this.core.readNamespacedPod({ namespace, name }));
  }

  listPods(namespace: string, labelSelector: string): Promise<Pod[]> {
    return this.call(async () => (await this.core.listNamespacedPod({ namespace, labelSelector })).items);
  }

  readService(namespace: string, name: string): Promise<Service | undefined> {
    return this.orNotFound(() => this.core.readNamespacedService({ namespace, name }));
  }

  readDeployment(namespace: string, name: string): Promise<k8s.V1Deployment | undefined> {
    return this.orNotFound(() => this.apps.readNamespacedDeployment({ namespace, name }));
  }

  /** a container's whole log; "" when the container has not started (the API answers 400 then) */
  async podLog(namespace: string, name: string, container: string): Promise<string> {
    try {
      return await this.call(() => this.core.readNamespacedPodLog({ namespace, name, container }));
    } catch (err) {
      if (err instanceof k8s.ApiException && (err.code === 400 || err.code === 404)) return '';
      throw err;
    }
  }

  /**
   * The Service's ready endpoints: from its EndpointSlices (discovery.k8s.io/v1, label
   * kubernetes.io/service-name), or from core/v1 Endpoints when there are no slices (older
   * clusters, or a controller that writes only Endpoints). IPs are deduplicated across ports.
   */
  async readyEndpoints(namespace: string, service: string): Promise<Endpoint[]> {
    const found = new Map<string, Endpoint>();
    const slices = await this.orNotFound(() => this.discovery.listNamespacedEndpointSlice({ namespace, labelSelector: `kubernetes.io/service-name=${service}` }));
    if (slices && slices.items.length > 0) {
      for (const slice of slices.items) {
        for (const ep of slice.endpoints ?? []) {
          // a nil ready condition means ready (the API's documented default)
          if (ep.conditions?.ready === false) continue;
          for (const ip of ep.addresses ?? []) if (!found.has(ip)) found.set(ip, { ip, pod: ep.targetRef?.kind === 'Pod' ? ep.targetRef.name : undefined });
        }
      }
      return [...found.values()];
    }
    const eps = await this.orNotFound(() => this.core.readNamespacedEndpoints({ namespace, name: service }));
    for (const subset of eps?.subsets ?? []) {
      for (const a of subset.addresses ?? []) if (!found.has(a.ip)) found.set(a.ip, { ip: a.ip, pod: a.targetRef?.kind === 'Pod' ? a.targetRef.name : undefined });
    }
    return [...found.values()];
  }

  /**
   * Runs a command in a pod's container through the API's exec endpoint (WebSocket, as kubectl
   * exec speaks it) and reports it as kubectl would: the exit code from the Status the kubelet
   * sends, `command terminated with exit code N` or `error: <message>` on stderr. It spares each
   * exec check a kubectl process (about 50 ms of CPU, most of an exec check's cost).
   */
  async exec(pod: Pod, command: string[], timeoutMs: number, signal?: AbortSignal): Promise<KubectlResult> {
    const namespace = pod.metadata?.namespace ?? 'default';
    const name = pod.metadata?.name ?? '';
    // kubectl's choice: the default-container annotation, else the first container
    const container = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'] ?? pod.spec?.containers[0]?.name ?? '';
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const sink = (into: Buffer[]) => new Writable({ write: (chunk: Buffer, _enc, cb) => (into.push(chunk), cb()) });
    let status: k8s.V1Status | undefined;
    const onStatus = (s: k8s.V1Status) => (status = s);
    const open = () => this.execs.exec(namespace, name, container, command, sink(out), sink(err), null, false, onStatus);
    const ws = await this.call(open).catch((e: Error) => {
      if (e instanceof ClusterUnreachableError) throw e;
      return e;
    });
    if (ws instanceof Error) return { code: 1, stdout: '', stderr: `error: unable to upgrade connection: ${ws.message}\n` };
    const ended = await new Promise<'closed' | 'timeout' | 'aborted'>((resolve) => {
      const done = (how: 'closed' | 'timeout' | 'aborted') => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (how !== 'closed') ws.terminate();
        resolve(how);
      };
      const onAbort = () => done('aborted');
      const timer = setTimeout(() => done('timeout'), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) return done('aborted');
      if (ws.readyState === ws.CLOSED) return done('closed');
      ws.once('close', () => done('closed'));
    });
    // the runner reports an AbortError as a cancelled check, as it did for a kubectl it killed
    if (ended === 'aborted') throw Object.assign(new Error('the check was cancelled'), { name: 'AbortError' });
    const stdout = Buffer.concat(out).toString('utf8');
    let stderr = Buffer.concat(err).toString('utf8');
    if (ended === 'timeout') return { code: 1, stdout, stderr: `${stderr}error: the command did not finish in ${timeoutMs / 1000} s\n` };
    if (!status || status.status === 'Success') return { code: 0, stdout, stderr };
    const exit = status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message;
    if (exit !== undefined && /^\d+$/.test(exit)) {
      stderr += `command terminated with exit code ${exit}\n`;
      return { code: Number(exit), stdout, stderr };
    }
    return { code: 1, stdout, stderr: `${stderr}error: ${status.message ?? 'the exec failed'}\n` };
  }

  private async orNotFound<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await this.call(fn);
    } catch (err) {
      if (err instanceof k8s.ApiException && err.code === 404) return undefined;
      throw err;
    }
  }

  /** turns "could not connect" into ClusterUnreachableError; API answers (ApiException) pass through */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof k8s.ApiException) throw err;
      const e = err as { code?: string; errno?: string; cause?: { code?: string }; message?: string; type?: string };
      const code = e.code ?? e.cause?.code ?? e.errno;
      if (e.type === 'system' || (typeof code === 'string' && /^E[A-Z]+/.test(code)) || /fetch failed|request to .* failed/.test(e.message ?? '')) {
        throw new ClusterUnreachableError(this.server, code ?? e.message ?? 'no answer');
      }
      throw err;
    }
  }
}

interface KindTarget {
  apiVersion: string;
  kind: string;
  namespaced: boolean;
}

/** the Status object of an API error's body, when it is one */
function parseStatus(body: unknown): { reason?: string; message?: string } | undefined {
  try {
    const s = (typeof body === 'string' ? JSON.parse(body) : body) as { kind?: string; reason?: string; message?: string };
    return s?.kind === 'Status' ? s : undefined;
  } catch {
    return undefined;
  }
}

export interface Endpoint {
  ip: string;
  /** the pod behind the address, when the endpoint names one */
  pod?: string;
}

/** Running with a Ready condition True: what kubectl shows as "n/n Running" and what a Service sends traffic to */
export function isPodReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** "Running, 1/1 ready", "Pending, 0/3 ready", as a learner reads it in `kubectl get pods` */
export function podState(pod: Pod): string {
  const statuses = pod.status?.containerStatuses ?? [];
  const total = pod.spec?.containers.length ?? statuses.length;
  const ready = statuses.filter((s) => s.ready).length;
  const waiting = statuses.map((s) => s.state?.waiting?.reason).find((r) => r);
  return `${waiting ?? pod.status?.phase ?? 'Unknown'}, ${ready}/${total} ready`;
}

export function podName(pod: Pod): string {
  return pod.metadata?.name ?? '?';
}

/** a selector map written as kubectl -l takes it: "k8s-app=coredns,version=v1" */
export function selectorText(sel: Record<string, string> | undefined): string {
  if (!sel || Object.keys(sel).length === 0) return '(none)';
  return Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',');
}

/** "k8s-app=coredns, a=b" -> {k8s-app: coredns, a: b}; only equality terms, as the lessons write them */
export function parseSelector(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const term of text.split(',').map((t) => t.trim()).filter(Boolean)) {
    const m = /^([^=!\s]+)\s*==?\s*(\S*)$/.exec(term);
    if (!m) throw new Error(`selector term "${term}" is not key=value`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

/** namespace/name as kubectl prints it, without the namespace for cluster-scoped objects */
export function refText(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}
