// The serviceaccounts controller of kube-controller-manager: every namespace that is not being
// deleted has a ServiceAccount "default", recreated if someone deletes it, so pods that name no
// ServiceAccount are always admitted.
import type { ClusterStore } from '../contracts.ts';
import type { Controller } from './types.ts';

const DEFAULT = 'default';

export function startServiceAccountsController(store: ClusterStore): Controller {
  const ensure = (namespace: string) => {
    const ns = store.get('namespaces', undefined, namespace);
    if (!ns || ns.metadata.deletionTimestamp || store.get('serviceaccounts', namespace, DEFAULT)) return;
    try {
      store.create('serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT, namespace } }, { fieldManager: 'kube-controller-manager' });
    } catch {
      // created meanwhile, or the namespace began terminating: nothing to do
    }
  };
  for (const ns of store.list('namespaces').items) ensure(ns.metadata.name!);
  const unwatch = [
    store.watch('namespaces', {}, (e) => { if (e.type !== 'DELETED') ensure(e.object.metadata.name!); }),
    store.watch('serviceaccounts', {}, (e) => {
      // deferred: the delete is still being committed while watchers hear of it
      if (e.type === 'DELETED' && e.object.metadata.name === DEFAULT) queueMicrotask(() => ensure(e.object.metadata.namespace!));
    }),
  ];
  return { name: 'serviceaccounts', idle: () => Promise.resolve(), stop: () => { for (const u of unwatch) u(); } };
}
