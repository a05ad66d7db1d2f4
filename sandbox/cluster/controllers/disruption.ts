// kube-controller-manager's disruption controller, cheaply: each PodDisruptionBudget's status from
// the pods its selector matches in its namespace (terminating ones left out). expectedPods is
// their number (the real controller asks the pods' controllers for their scale; for pods of a
// Deployment, ReplicaSet or StatefulSet that settles to the same number), currentHealthy the Ready
// ones, desiredHealthy from minAvailable or maxUnavailable (percentages rounded up, as
// GetScaledValueFromIntOrPercent does), disruptionsAllowed = currentHealthy - desiredHealthy
// (never below 0), and the DisruptionAllowed condition (SufficientPods / InsufficientPods).
import type { ClusterStore, KubeObject } from '../contracts.ts';
import { isReady } from './pod-status.ts';
import { nsKey, splitKey, WorkQueue } from './queue.ts';
import { selectorMatches, type LabelSelector } from './selector.ts';
import { queueController, type Controller } from './types.ts';

const PDB = 'poddisruptionbudgets.policy';

type Budget = KubeObject & {
  spec?: { selector?: LabelSelector; minAvailable?: number | string; maxUnavailable?: number | string };
  status?: { conditions?: Array<{ type: string; status: string; lastTransitionTime?: string; observedGeneration?: number }> }
    & Record<string, unknown>;
};

/** an int-or-percent against a total, percentages rounded up */
function scaled(v: number | string, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  return m ? Math.ceil((Number(m[1]) * total) / 100) : 0;
}

export function startDisruptionController(store: ClusterStore): Controller {
  const queue = new WorkQueue({ name: 'disruption', reconcile });
  const enqueueNamespace = (namespace: string | undefined) => {
    for (const b of store.list(PDB, { namespace }, true).items) queue.add(nsKey(b.metadata.namespace, b.metadata.name));
  };
  const unwatch = [
    store.watch(PDB, {}, (e) => { if (e.type !== 'DELETED') queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name)); }),
    store.watch('pods', {}, (e) => enqueueNamespace(e.object.metadata.namespace), true),
  ];
  enqueueNamespace(undefined);

  function reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const pdb = store.get(PDB, namespace, name) as Budget | undefined;
    if (!pdb || pdb.metadata.deletionTimestamp) return;
    const sel = pdb.spec?.selector;
    // a nil selector matches nothing, an empty one everything (policy/v1)
    const pods = !sel ? [] : store.list('pods', { namespace }).items
      .filter((p) => !p.metadata.deletionTimestamp && selectorMatches(sel, p.metadata.labels));
    const expected = pods.length;
    const healthy = pods.filter((p) => isReady(p)).length;
    const { minAvailable, maxUnavailable } = pdb.spec ?? {};
    const desired = maxUnavailable !== undefined ? Math.max(0, expected - scaled(maxUnavailable, expected))
      : minAvailable !== undefined ? scaled(minAvailable, expected) : 0;
    const allowed = Math.max(0, healthy - desired);
    const status = {
      currentHealthy: healthy, desiredHealthy: desired, disruptionsAllowed: allowed, expectedPods: expected,
      observedGeneration: pdb.metadata.generation ?? 1,
    };
    const cond = { type: 'DisruptionAllowed', status: allowed > 0 ? 'True' : 'False', reason: allowed > 0 ? 'SufficientPods' : 'InsufficientPods', message: '' };
    const before = pdb.status?.conditions?.find((c) => c.type === cond.type);
    const same = before?.status === cond.status && Object.entries(status).every(([k, v]) => pdb.status?.[k] === v);
    if (same) return;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    store.mutate(PDB, namespace, name, (o) => {
      (o as Budget).status = {
        ...status,
        conditions: [{
          ...cond,
          lastTransitionTime: before && before.status === cond.status ? before.lastTransitionTime : now,
          observedGeneration: status.observedGeneration,
        }],
      };
      return o;
    }, { status: true, fieldManager: 'kube-controller-manager' });
  }

  return queueController('disruption', queue, unwatch);
}
