// kube-controller-manager's resourcequota controller: every ResourceQuota's status.hard is its
// spec.hard and status.used what its namespace holds of each key (`../resources/quota.ts`, the
// same counting the admission plugin does), recomputed when a counted object changes.
import type { ClusterStore, KubeObject } from '../contracts.ts';
import { quotaUsed } from '../resources/quota.ts';
import { nsKey, splitKey, WorkQueue } from './queue.ts';
import { queueController, type Controller } from './types.ts';

const QUOTA = 'resourcequotas';
const WATCHED = ['pods', 'services', 'configmaps', 'secrets', 'persistentvolumeclaims', 'replicationcontrollers', QUOTA];

export function startResourceQuotaController(store: ClusterStore): Controller {
  const queue = new WorkQueue({ name: 'resourcequota', reconcile });
  const enqueueNamespace = (namespace: string | undefined) => {
    for (const q of store.list(QUOTA, { namespace }, true).items) queue.add(nsKey(q.metadata.namespace, q.metadata.name));
  };
  const unwatch = WATCHED.map((r) => store.watch(r, {}, (e) => enqueueNamespace(e.object.metadata.namespace), true));
  enqueueNamespace(undefined);

  const list = (resource: string, namespace?: string): KubeObject[] => {
    try {
      return store.list(resource, { namespace }).items;
    } catch {
      return []; // a count/<resource> of something the lab does not serve
    }
  };

  function reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const quota = store.get(QUOTA, namespace, name);
    if (!quota || quota.metadata.deletionTimestamp) return;
    const hard = { ...((quota.spec as { hard?: Record<string, string> } | undefined)?.hard ?? {}) };
    const used = quotaUsed(quota, list);
    const old = (quota.status ?? {}) as { hard?: unknown; used?: unknown };
    if (JSON.stringify(old.hard) === JSON.stringify(hard) && JSON.stringify(old.used) === JSON.stringify(used)) return;
    store.mutate(QUOTA, namespace, name, (o) => {
      o.status = { hard, used };
      return o;
    }, { status: true, fieldManager: 'kube-controller-manager' });
  }

  return queueController('resourcequota', queue, unwatch);
}
