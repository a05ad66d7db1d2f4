// Scheduler: binds each unscheduled pod to a node that is Ready, schedulable, whose taints
// the pod tolerates and whose labels match its nodeSelector; among those, the node with the
// fewest pods of the same owner, then the fewest pods, then the first by name.
import type { ClusterStore, KubeObject } from '../contracts.ts';
import { EventRecorder } from './events.ts';
import { controllerRef } from './owners.ts';
import { byPodCidr } from './pod-ip.ts';
import { isActive, nowIso } from './pod-status.ts';
import { nsKey, splitKey, WorkQueue } from './queue.ts';
import { queueController, type Controller } from './types.ts';

const SOURCE = { component: 'default-scheduler' };
const RETRY_MS = 2000;

interface Taint {
  key: string;
  value?: string;
  effect: string;
}
interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
}
interface PodSpec {
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  schedulerName?: string;
}

export function tolerates(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (!t.key) return t.operator === 'Exists';
    if (t.key !== taint.key) return false;
    return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
  });
}

export function nodeFits(pod: KubeObject, node: KubeObject): string | undefined {
  const spec = (pod.spec ?? {}) as PodSpec;
  const nodeSpec = (node.spec ?? {}) as { unschedulable?: boolean; taints?: Taint[] };
  const conditions = ((node.status as { conditions?: Array<{ type: string; status: string }> })?.conditions) ?? [];
  if (!conditions.some((c) => c.type === 'Ready' && c.status === 'True')) return 'node(s) were not ready';
  if (nodeSpec.unschedulable) return 'node(s) were unschedulable';
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {}))
    if (node.metadata.labels?.[k] !== v) return "node(s) didn't match Pod's node affinity/selector";
  for (const t of nodeSpec.taints ?? []) {
    if (t.effect !== 'NoSchedule' && t.effect !== 'NoExecute') continue;
    if (!tolerates(spec.tolerations, t)) return `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;
  }
  return undefined;
}

export function startScheduler(store: ClusterStore, events: EventRecorder): Controller {
  const queue = new WorkQueue({ name: 'scheduler', reconcile });
  const unwatch = [
    store.watch('pods', {}, (e) => {
      if (e.type !== 'DELETED' && !(e.object.spec as PodSpec | undefined)?.nodeName)
        queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name));
    }),
    // a node that changes may make room for pods that did not fit
    store.watch('nodes', {}, () => enqueueUnscheduled()),
  ];
  enqueueUnscheduled();

  function enqueueUnscheduled(): void {
    for (const p of store.list('pods').items)
      if (!(p.spec as PodSpec | undefined)?.nodeName && isActive(p)) queue.add(nsKey(p.metadata.namespace, p.metadata.name));
  }

  function reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const pod = store.get('pods', namespace, name);
    if (!pod || !isActive(pod)) return;
    const spec = (pod.spec ?? {}) as PodSpec;
    if (spec.nodeName) return;
    if (spec.schedulerName && spec.schedulerName !== 'default-scheduler') return;
    const nodes = store.list('nodes').items.sort(byPodCidr);
    // the VolumeBinding plugin's PreFilter: a missing claim, or an unbound one whose class binds Immediately
    const claimProblem = unusableClaim(pod);
    if (claimProblem) {
      const message = `0/${nodes.length} nodes are available: ${claimProblem}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`;
      markUnschedulable(namespace, name, message);
      events.record(SOURCE, pod, 'Warning', 'FailedScheduling', message);
      queue.addAfter(key, RETRY_MS);
      return;
    }
    const reasons = new Map<string, number>();
    const fit = nodes.filter((n) => {
      const why = nodeFits(pod, n);
      if (why) reasons.set(why, (reasons.get(why) ?? 0) + 1);
      return !why;
    });
    if (fit.length === 0) {
      const detail = [...reasons].map(([r, n]) => `${n} ${r}`).sort().join(', ');
      const message = `0/${nodes.length} nodes are available: ${detail}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`;
      markUnschedulable(namespace, name, message);
      events.record(SOURCE, pod, 'Warning', 'FailedScheduling', message);
      queue.addAfter(key, RETRY_MS);
      return;
    }
    const node = pickNode(pod, fit, store.list('pods').items.filter((p) => isActive(p) && (p.spec as PodSpec).nodeName));
    const bound = bind(namespace, name, node.metadata.name!);
    if (bound) events.record(SOURCE, bound, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${node.metadata.name}`);
  }

  /** why the pod's PersistentVolumeClaims keep it off every node, if they do */
  function unusableClaim(pod: KubeObject): string | undefined {
    const volumes = ((pod.spec ?? {}) as PodSpec & { volumes?: Array<{ persistentVolumeClaim?: { claimName?: string } }> }).volumes ?? [];
    for (const v of volumes) {
      const claimName = v.persistentVolumeClaim?.claimName;
      if (!claimName) continue;
      const claim = store.get('persistentvolumeclaims', pod.metadata.namespace, claimName);
      if (!claim) return `persistentvolumeclaim "${claimName}" not found`;
      if (claim.metadata.deletionTimestamp) return `persistentvolumeclaim "${claimName}" is being deleted`;
      const spec = (claim.spec ?? {}) as { volumeName?: string; storageClassName?: string };
      if (spec.volumeName) continue;
      const cls = spec.storageClassName ? store.get('storageclasses.storage.k8s.io', undefined, spec.storageClassName) : undefined;
      if ((cls as { volumeBindingMode?: string } | undefined)?.volumeBindingMode !== 'WaitForFirstConsumer') return 'pod has unbound immediate PersistentVolumeClaims';
    }
    return undefined;
  }

  function bind(namespace: string, name: string, nodeName: string): KubeObject | undefined {
    // in-process stand-in for the pods/binding subresource: set spec.nodeName and PodScheduled
    return store.mutate('pods', namespace, name, (p) => {
      const spec = p.spec as PodSpec;
      if (spec.nodeName || p.metadata.deletionTimestamp) return undefined;
      spec.nodeName = nodeName;
      const status = (p.status ?? {}) as { phase?: string; conditions?: Array<Record<string, unknown>> };
      status.phase = status.phase ?? 'Pending';
      status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== 'PodScheduled'), { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: nowIso() }];
      p.status = status;
      return p;
    });
  }

  function markUnschedulable(namespace: string, name: string, message: string): void {
    store.mutate('pods', namespace, name, (p) => {
      const status = (p.status ?? {}) as { phase?: string; conditions?: Array<Record<string, unknown>> };
      const prev = status.conditions?.find((c) => c.type === 'PodScheduled');
      if (prev?.message === message) return undefined;
      status.phase = 'Pending';
      status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== 'PodScheduled'), { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: nowIso() }];
      p.status = status;
      return p;
    }, { status: true });
  }

  return queueController('scheduler', queue, unwatch);
}

export function pickNode(pod: KubeObject, nodes: KubeObject[], placed: KubeObject[]): KubeObject {
  const owner = controllerRef(pod)?.uid;
  const score = (n: KubeObject) => {
    const on = placed.filter((p) => (p.spec as PodSpec).nodeName === n.metadata.name);
    const siblings = owner ? on.filter((p) => controllerRef(p)?.uid === owner).length : 0;
    return [siblings, on.length];
  };
  return [...nodes].sort((a, b) => {
    const [sa, ta] = score(a);
    const [sb, tb] = score(b);
    return sa - sb || ta - tb;
  })[0]!;
}
