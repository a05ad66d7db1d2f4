// DaemonSet controller: one pod per node the pod template fits (nodeSelector, tolerated taints),
// placed on it directly (spec.nodeName, as the controller did before it left binding to the
// scheduler), named <ds>-<suffix>; pods on nodes that no longer fit are deleted; status counts
// what `kubectl get ds` shows. The kind and minikube profiles run kube-proxy with it.
import type { ClusterStore, KubeObject } from '../contracts.ts';
import { EventRecorder } from './events.ts';
import { controllerRef, isControlledBy } from './owners.ts';
import { createPodFromTemplate, type PodTemplate } from './pod-template.ts';
import { isActive, isAvailable, isReady } from './pod-status.ts';
import { nsKey, splitKey, WorkQueue } from './queue.ts';
import { nodeFits } from './scheduler.ts';
import { selectorMatches, type LabelSelector } from './selector.ts';
import { queueController, type Controller } from './types.ts';

const SOURCE = { component: 'daemonset-controller' };

interface DsSpec {
  minReadySeconds?: number;
  selector?: LabelSelector;
  template?: PodTemplate;
}

export function startDaemonSetController(store: ClusterStore, events: EventRecorder): Controller {
  const queue = new WorkQueue({ name: 'daemonset', reconcile });
  const all = () => {
    for (const ds of store.list('daemonsets.apps', {}, true).items) queue.add(nsKey(ds.metadata.namespace, ds.metadata.name));
  };
  const unwatch = [
    store.watch('daemonsets.apps', {}, (e) => queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name)), true),
    store.watch('pods', {}, (e) => {
      const ref = controllerRef(e.object);
      if (ref?.kind === 'DaemonSet') queue.add(nsKey(e.object.metadata.namespace, ref.name));
    }),
    store.watch('nodes', {}, () => all()),
  ];
  all();

  function reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const ds = store.get('daemonsets.apps', namespace, name);
    if (!ds || ds.metadata.deletionTimestamp) return;
    const spec = (ds.spec ?? {}) as DsSpec;
    const template = { metadata: spec.template?.metadata ?? {}, spec: spec.template?.spec ?? {} } as unknown as KubeObject;
    const nodes = store.list('nodes').items.filter((n) => nodeFits(template, n) === undefined);
    const pods = store.list('pods', { namespace }).items.filter((p) => isControlledBy(p, ds) && selectorMatches(spec.selector, p.metadata.labels) && isActive(p));
    const onNode = (n: KubeObject) => pods.filter((p) => (p.spec as { nodeName?: string }).nodeName === n.metadata.name);
    for (const n of nodes) {
      if (onNode(n).length > 0) continue;
      pods.push(createPodFromTemplate(store, events, SOURCE, ds, spec.template, { nodeName: n.metadata.name! }));
    }
    const wanted = new Set(nodes.map((n) => n.metadata.name));
    for (const p of pods.filter((x) => !wanted.has((x.spec as { nodeName?: string }).nodeName))) {
      try {
        store.delete('pods', namespace, p.metadata.name!, { propagationPolicy: 'Background' });
        events.record(SOURCE, ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
      } catch (err) {
        if ((err as { reason?: string }).reason !== 'NotFound') throw err;
      }
    }
    const placed = pods.filter((p) => wanted.has((p.spec as { nodeName?: string }).nodeName));
    const min = spec.minReadySeconds ?? 0;
    const status = {
      currentNumberScheduled: placed.length,
      desiredNumberScheduled: nodes.length,
      numberMisscheduled: pods.length - placed.length,
      numberReady: placed.filter(isReady).length,
      updatedNumberScheduled: placed.length,
      numberAvailable: placed.filter((p) => isAvailable(p, min)).length,
      numberUnavailable: placed.length - placed.filter((p) => isAvailable(p, min)).length,
      observedGeneration: ds.metadata.generation ?? 1,
    };
    if (min && status.numberReady > status.numberAvailable) queue.addAfter(key, min * 1000);
    store.mutate('daemonsets.apps', namespace, name, (o) => {
      const old = (o.status ?? {}) as Record<string, unknown>;
      if (Object.entries(status).every(([k, v]) => (old[k] ?? 0) === v)) return undefined;
      o.status = { ...old, ...status };
      return o;
    }, { status: true });
  }

  return queueController('daemonset', queue, unwatch);
}
