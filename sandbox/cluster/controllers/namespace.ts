// The namespace controller of kube-controller-manager: a namespace being deleted (Terminating,
// held by its `kubernetes` finalizer) has its content deleted; once nothing is left in it, the
// controller removes the finalizer through the finalize subresource and the store lets the
// namespace go.
import type { Namespace } from 'kubernetes-types/core/v1.js';
import { NAMESPACE_FINALIZER as FINALIZER, type ClusterStore, type KubeObject } from '../contracts.ts';
import { WorkQueue } from './queue.ts';
import { queueController, type Controller } from './types.ts';

const MANAGER = { fieldManager: 'namespace-controller' };

const finalizersOf = (ns: KubeObject) => (ns as Namespace).spec?.finalizers ?? [];

/** `namespaced`: every stored namespaced resource (plural.group), as the real controller finds them through discovery */
export function startNamespaceController(store: ClusterStore, namespaced: readonly string[]): Controller {
  const terminating = new Set<string>();
  const queue = new WorkQueue({ name: 'namespace', reconcile });
  const observe = (ns: KubeObject, gone: boolean) => {
    const name = ns.metadata.name!;
    if (gone || !ns.metadata.deletionTimestamp) terminating.delete(name);
    else {
      terminating.add(name);
      queue.add(name);
    }
  };
  const unwatch = [
    store.watch('namespaces', {}, (e) => observe(e.object, e.type === 'DELETED')),
    // the last object going lets a terminating namespace finish
    ...namespaced.map((r) => store.watch(r, {}, (e) => {
      const ns = e.object.metadata.namespace;
      if (e.type === 'DELETED' && ns && terminating.has(ns)) queue.add(ns);
    })),
  ];
  for (const ns of store.list('namespaces').items) observe(ns, false);

  function reconcile(name: string): void {
    const ns = store.get('namespaces', undefined, name);
    if (!ns?.metadata.deletionTimestamp || !finalizersOf(ns).includes(FINALIZER)) return;
    let left = 0;
    for (const r of namespaced) {
      for (const o of store.list(r, { namespace: name }).items) {
        left++;
        if (o.metadata.deletionTimestamp) continue;
        try {
          store.delete(r, name, o.metadata.name!, { ...MANAGER, propagationPolicy: 'Background' });
        } catch (err) {
          if ((err as { reason?: string }).reason !== 'NotFound') throw err;
        }
      }
    }
    // objects still terminating (pods in their grace period, finalizers) send DELETED later
    if (left > 0 && namespaced.some((r) => store.list(r, { namespace: name }).items.length > 0)) return;
    store.mutate('namespaces', undefined, name, (o) => {
      o.spec = { ...(o as Namespace).spec, finalizers: finalizersOf(o).filter((f) => f !== FINALIZER) };
      return o;
    }, { ...MANAGER, subresource: 'finalize' });
  }

  return queueController('namespace', queue, unwatch);
}
