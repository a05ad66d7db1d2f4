// ReplicaSet controller: keeps spec.replicas active pods that match the selector and are
// controlled by the ReplicaSet, names them <rs>-<suffix>, and reports replica counts in status.
// The same loop runs core/v1 ReplicationControllers (kube-controller-manager's
// replicationcontroller controller is the ReplicaSet one with a map selector).
import type { ClusterStore, KubeObject } from '../contracts.ts';
import { EventRecorder } from './events.ts';
import { controllerRef, isControlledBy } from './owners.ts';
import { createPodFromTemplate, type PodTemplate } from './pod-template.ts';
import { isActive, isAvailable, isReady, podPhase } from './pod-status.ts';
import { nsKey, splitKey, WorkQueue } from './queue.ts';
import { selectorMatches, type LabelSelector } from './selector.ts';
import { queueController, type Controller } from './types.ts';

interface RsSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector?: LabelSelector;
  template?: PodTemplate;
}

/** what differs between the two kinds the loop keeps */
export interface ReplicaKind {
  resource: string;
  kind: string;
  name: string;
  source: { component: string };
  selector(spec: Record<string, unknown>): LabelSelector | undefined;
}

export const REPLICA_SETS: ReplicaKind = {
  resource: 'replicasets.apps', kind: 'ReplicaSet', name: 'replicaset', source: { component: 'replicaset-controller' },
  selector: (spec) => spec.selector as LabelSelector | undefined,
};

export const REPLICATION_CONTROLLERS: ReplicaKind = {
  resource: 'replicationcontrollers', kind: 'ReplicationController', name: 'replicationcontroller', source: { component: 'replication-controller' },
  // a map selector; an RC always has one (defaulted from its template)
  selector: (spec) => ({ matchLabels: (spec.selector ?? {}) as Record<string, string> }),
};

export function startReplicaSetController(store: ClusterStore, events: EventRecorder, k: ReplicaKind = REPLICA_SETS): Controller {
  const SOURCE = k.source;
  const queue = new WorkQueue({ name: k.name, reconcile });
  const unwatch = [
    store.watch(k.resource, {}, (e) => queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name)), true),
    store.watch('pods', {}, (e) => {
      const ref = controllerRef(e.object);
      if (ref?.kind === k.kind) queue.add(nsKey(e.object.metadata.namespace, ref.name));
    }),
  ];
  for (const rs of store.list(k.resource, {}, true).items) queue.add(nsKey(rs.metadata.namespace, rs.metadata.name));

  function reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const rs = store.get(k.resource, namespace, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const owner = controllerRef(rs);
    if (owner && !ownerExists(namespace, owner)) {
      // the owner is gone and the garbage collector has not caught up: finish its job
      tryDelete(k.resource, namespace, name);
      return;
    }
    const spec = (rs.spec ?? {}) as RsSpec;
    const selector = k.selector((rs.spec ?? {}) as Record<string, unknown>);
    // read only: the pods are counted, sorted and named, never changed here
    const pods = store
      .list('pods', { namespace }, true)
      .items.filter((p) => isControlledBy(p, rs) && selectorMatches(selector, p.metadata.labels));
    const active = pods.filter(isActive);
    const want = spec.replicas ?? 1;
    if (active.length < want) {
      for (let i = active.length; i < want; i++) active.push(createPodFromTemplate(store, events, SOURCE, rs, spec.template));
    } else if (active.length > want) {
      for (const pod of [...active].sort(deletionOrder).slice(0, active.length - want)) {
        if (tryDelete('pods', namespace, pod.metadata.name!))
          events.record(SOURCE, rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
        active.splice(active.indexOf(pod), 1);
      }
    }
    const min = spec.minReadySeconds ?? 0;
    const status = {
      replicas: active.length,
      fullyLabeledReplicas: active.filter((p) => labelsContain(p.metadata.labels, spec.template?.metadata?.labels)).length,
      readyReplicas: active.filter(isReady).length,
      availableReplicas: active.filter((p) => isAvailable(p, min)).length,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    if (min && status.readyReplicas > status.availableReplicas) queue.addAfter(key, min * 1000);
    writeStatus(namespace, name, status);
  }

  function writeStatus(namespace: string, name: string, status: Record<string, number>): void {
    store.mutate(k.resource, namespace, name, (o) => {
      const old = (o.status ?? {}) as Record<string, unknown>;
      if (Object.entries(status).every(([k, v]) => (old[k] ?? 0) === v)) return undefined;
      o.status = { ...old, ...status };
      return o;
    }, { status: true });
  }

  function ownerExists(namespace: string, ref: { kind: string; name: string; uid: string }): boolean {
    if (ref.kind !== 'Deployment') return true;
    return store.get('deployments.apps', namespace, ref.name)?.metadata.uid === ref.uid;
  }

  function tryDelete(resource: string, namespace: string, name: string): boolean {
    try {
      store.delete(resource, namespace, name, { propagationPolicy: 'Background' });
      return true;
    } catch (err) {
      if ((err as { reason?: string }).reason === 'NotFound') return false;
      throw err;
    }
  }

  return queueController(k.name, queue, unwatch);
}

function labelsContain(labels: Record<string, string> | undefined, want: Record<string, string> | undefined): boolean {
  return Object.entries(want ?? {}).every(([k, v]) => labels?.[k] === v);
}

// Delete first what costs least: unscheduled, then pending, then not ready, then the youngest.
function deletionOrder(a: KubeObject, b: KubeObject): number {
  const rank = (p: KubeObject) =>
    !(p.spec as { nodeName?: string } | undefined)?.nodeName ? 0 : podPhase(p) === 'Pending' ? 1 : !isReady(p) ? 2 : 3;
  return rank(a) - rank(b) || (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '');
}
