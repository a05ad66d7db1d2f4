// What a running cluster-proportional-autoscaler pod (kube-dns-autoscaler) does: it reads the
// "linear" parameters from its ConfigMap (--configmap, in --namespace) and keeps the replicas of
// its --target at max(ceil(cores / coresPerReplica), ceil(nodes / nodesPerReplica)), each held
// between min and max, and at least 2 on more than one node with preventSinglePointFailure
// (linear_controller.go). It polls every --poll-period-seconds (default 10), as the real one does,
// so `kubectl scale deployment kube-dns --replicas=1` holds for up to 10 s, then is undone.
// Nothing happens while no autoscaler pod is available (its Deployment scaled to 0 or deleted).
import type { ClusterStore, KubeObject } from '../contracts.ts';
import type { Controller } from './types.ts';

export interface LinearParams {
  coresPerReplica?: number;
  nodesPerReplica?: number;
  min?: number;
  max?: number;
  preventSinglePointFailure?: boolean;
  includeUnschedulableNodes?: boolean;
}

function fromParam(resources: number, perReplica: number | undefined, p: LinearParams): number {
  if (!perReplica) return 1;
  let r = Math.ceil(resources / perReplica);
  if (p.max) r = Math.min(p.max, r);
  return Math.max(p.min ?? 0, r);
}

/** linear_controller.go's getExpectedReplicasFromParams */
export function linearReplicas(p: LinearParams, nodes: number, cores: number): number {
  const fromCores = fromParam(cores, p.coresPerReplica, p);
  let fromNodes = fromParam(nodes, p.nodesPerReplica, p);
  if (p.preventSinglePointFailure && nodes > 1 && fromNodes < 2) fromNodes = 2;
  return Math.max(fromCores, fromNodes);
}

interface Autoscaler {
  namespace: string;
  configmap: string;
  kind: string;
  name: string;
  defaultParams?: LinearParams;
}

type Spec = { template?: { spec?: { containers?: Array<{ image?: string; command?: string[]; args?: string[] }> } } };

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
  let defaultParams: LinearParams | undefined;
  try {
    defaultParams = (JSON.parse(flags.get('default-params') ?? 'null') as { linear?: LinearParams } | null)?.linear;
  } catch {
    defaultParams = undefined;
  }
  return { namespace: flags.get('namespace') ?? d.metadata.namespace!, configmap: flags.get('configmap')!, kind: kind.toLowerCase(), name, defaultParams };
}

/** cores as the autoscaler counts them: whole CPUs of each node's capacity */
function cpus(n: KubeObject): number {
  const cpu = String((n as { status?: { capacity?: Record<string, string> } }).status?.capacity?.cpu ?? '0');
  return cpu.endsWith('m') ? Number(cpu.slice(0, -1)) / 1000 : Number(cpu) || 0;
}

/** cluster-proportional-autoscaler's --poll-period-seconds default */
export const POLL_PERIOD_MS = 10_000;

export function startDnsAutoscaler(store: ClusterStore, pollMs = POLL_PERIOD_MS): Controller {
  const sync = () => {
    for (const d of store.list('deployments.apps').items) {
      const a = autoscalerOf(d);
      if (!a || (a.kind !== 'deployment' && a.kind !== 'deployments')) continue;
      const cm = store.get('configmaps', a.namespace, a.configmap) as (KubeObject & { data?: Record<string, string> }) | undefined;
      let params: LinearParams | undefined = a.defaultParams;
      if (cm?.data?.linear) {
        try {
          params = JSON.parse(cm.data.linear) as LinearParams;
        } catch {
          continue; // the real one logs the parse error and keeps the replicas as they are
        }
      }
      if (!params) continue;
      const all = store.list('nodes').items;
      const schedulable = (n: KubeObject) => !(n as { spec?: { unschedulable?: boolean } }).spec?.unschedulable;
      const nodes = params.includeUnschedulableNodes ? all : all.filter(schedulable);
      const want = linearReplicas(params, nodes.length, nodes.reduce((s, n) => s + cpus(n), 0));
      const target = store.get('deployments.apps', a.namespace, a.name) as (KubeObject & { spec?: { replicas?: number } }) | undefined;
      if (!target || target.spec?.replicas === want) continue;
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
