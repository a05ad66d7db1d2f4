// What a running cluster-proportional-autoscaler pod (kube-dns-autoscaler) does: it reads its
// ConfigMap (--configmap, in --namespace; created from --default-params when missing) and keeps
// the replicas of its --target at what the ConfigMap's mode asks for (autoscaler-params.ts):
// `linear`, max(ceil(cores / coresPerReplica), ceil(nodes / nodesPerReplica)) held between min
// and max, at least 2 on more than one node with preventSinglePointFailure; or `ladder`, the
// larger of the coresToReplicas and nodesToReplicas steps. It polls every --poll-period-seconds
// (default 10), as the real one does, so `kubectl scale deployment kube-dns --replicas=1` holds for
// up to 10 s, then is undone.
// Nothing happens while no autoscaler pod is available (its Deployment scaled to 0 or deleted).
// What it decides is printed in the autoscaler pod's log, in the real one's words (its
// k8sclient.go and *_controller.go glog lines), so `kubectl logs` shows why kube-dns was scaled.
import type { ClusterStore, ContainerRuntimeHost, KubeObject } from '../contracts.ts';
import { defaultParamsData, expectedReplicas, parseScalingParams, type ClusterStatus } from './autoscaler-params.ts';
import type { Controller } from './types.ts';
import { selectorMatches, type LabelSelector } from './selector.ts';

export { linearReplicas, ladderReplicas, type LinearParams } from './autoscaler-params.ts';

interface Autoscaler {
  /** the autoscaler's own Deployment and container, whose pod's log gets its lines */
  deployment: KubeObject;
  container: string;
  namespace: string;
  configmap: string;
  kind: string;
  name: string;
  /** --default-params as ConfigMap data: the ConfigMap it creates when there is none */
  defaultData?: Record<string, string>;
}

type Spec = {
  selector?: LabelSelector;
  template?: { spec?: { containers?: Array<{ name?: string; image?: string; command?: string[]; args?: string[] }> } };
};

function autoscalerOf(d: KubeObject): Autoscaler | undefined {
  const status = (d as { status?: { availableReplicas?: number } }).status;
  if (!status?.availableReplicas) return undefined;
  const c = ((d as { spec?: Spec }).spec?.template?.spec?.containers ?? []).find((x) => /cluster-proportional-autoscaler/.test(x.image ?? ''));
  if (!c) return undefined;
  const flags = new Map<string, string>();
  for (const a of [...(c.command ?? []), ...(c.args ?? [])]) {
    const m = /^--?([a-z-]+)=(.*)$/.exec(a);
    if (m) flags.set(m[1]!, m[2]!);
  }
  const [kind, name] = (flags.get('target') ?? '').split('/');
  if (!kind || !name || !flags.get('configmap')) return undefined;
  return {
    deployment: d, container: c.name ?? '',
    namespace: flags.get('namespace') ?? d.metadata.namespace!, configmap: flags.get('configmap')!, kind: kind.toLowerCase(), name,
    defaultData: defaultParamsData(flags.get('default-params')),
  };
}

/** millicores of a CPU quantity ("2", "1500m") */
function millicores(q: unknown): number {
  const s = String(q ?? '0');
  return s.endsWith('m') ? Number(s.slice(0, -1)) || 0 : (Number(s) || 0) * 1000;
}

/** k8sclient.go GetClusterStatus: every node, the schedulable ones, and their allocatable CPUs as whole cores (Quantity.Value rounds up) */
export function clusterStatus(nodes: KubeObject[]): ClusterStatus {
  const cpu = (n: KubeObject) => {
    const st = (n as { status?: { allocatable?: Record<string, string>; capacity?: Record<string, string> } }).status;
    return millicores(st?.allocatable?.cpu ?? st?.capacity?.cpu);
  };
  const schedulable = nodes.filter((n) => !(n as { spec?: { unschedulable?: boolean } }).spec?.unschedulable);
  const cores = (list: KubeObject[]) => Math.ceil(list.reduce((s, n) => s + cpu(n), 0) / 1000);
  return { totalNodes: nodes.length, schedulableNodes: schedulable.length, totalCores: cores(nodes), schedulableCores: cores(schedulable) };
}

/** cluster-proportional-autoscaler's --poll-period-seconds default */
export const POLL_PERIOD_MS = 10_000;

/** the autoscaler Deployment's running pods (its selector), where its log lines go */
function runningPods(store: ClusterStore, d: KubeObject): KubeObject[] {
  const selector = (d as { spec?: Spec }).spec?.selector;
  return store.list('pods', { namespace: d.metadata.namespace }).items.filter((p) =>
    selectorMatches(selector, p.metadata.labels) &&
    (p as { status?: { phase?: string } }).status?.phase === 'Running' && !p.metadata.deletionTimestamp);
}

export function startDnsAutoscaler(store: ClusterStore, runtime?: Pick<ContainerRuntimeHost, 'logAs'>, pollMs = POLL_PERIOD_MS): Controller {
  /** the ConfigMap version each autoscaler last read, by its Deployment (the real one logs a change) */
  const versions = new Map<string, string>();
  const sync = () => {
    for (const d of store.list('deployments.apps').items) {
      const a = autoscalerOf(d);
      if (!a || (a.kind !== 'deployment' && a.kind !== 'deployments')) continue;
      let pods: KubeObject[] | undefined;
      const log = (source: string, message: string, severity: 'I' | 'E' = 'I') => {
        pods ??= runningPods(store, a.deployment);
        for (const p of pods) runtime?.logAs?.(p, a.container, source, message, severity);
      };
      let cm = store.get('configmaps', a.namespace, a.configmap) as (KubeObject & { data?: Record<string, string> }) | undefined;
      // syncConfigWithServer: a missing ConfigMap is created from --default-params
      if (!cm && a.defaultData) {
        const created = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: a.configmap, namespace: a.namespace }, data: a.defaultData };
        cm = store.create('configmaps', created) as KubeObject & { data?: Record<string, string> };
      }
      if (!cm) continue;
      const version = cm.metadata.resourceVersion ?? '';
      const key = `${d.metadata.namespace}/${d.metadata.name}`;
      const seen = versions.get(key);
      versions.set(key, version);
      let want: number;
      const status = clusterStatus(store.list('nodes').items);
      try {
        const params = parseScalingParams(cm.data);
        // the first read is in the container's start-up lines already
        if (seen !== undefined && seen !== version) {
          const mode = cm.data?.ladder !== undefined ? 'ladder' : 'linear';
          log(`${mode}_controller.go:55`, `ConfigMap version change (old: ${seen} new: ${version}) - rebuilding params`);
          log(`${mode}_controller.go:56`, `Params from apiserver: \n${cm.data?.[mode] ?? ''}`);
        }
        want = expectedReplicas(params, status);
      } catch (err) {
        // the real one logs the error at every poll, and keeps the replicas as they are
        log('autoscaler_server.go:105', (err as Error).message, 'E');
        continue;
      }
      const target = store.get('deployments.apps', a.namespace, a.name) as (KubeObject & { spec?: { replicas?: number } }) | undefined;
      if (!target || target.spec?.replicas === want) continue;
      log('k8sclient.go:272', `Cluster status: SchedulableNodes[${status.schedulableNodes}], SchedulableCores[${status.schedulableCores}]`);
      log('k8sclient.go:273', `Replicas are not as expected : updating replicas from ${target.spec?.replicas ?? 1} to ${want}`);
      try {
        store.update('deployments.apps', { ...target, spec: { ...target.spec, replicas: want } }, { fieldManager: 'cluster-proportional-autoscaler' });
      } catch {
        // a concurrent write: the next poll tries again
      }
    }
  };
  const poll = () => {
    try {
      sync();
    } catch {
      // as the real one after a failed poll: try again next period
    }
  };
  const timer = setInterval(poll, pollMs);
  timer.unref();
  return { name: 'kube-dns-autoscaler', idle: () => Promise.resolve(), stop: () => clearInterval(timer) };
}
