// kube-controller-manager's root-ca-cert-publisher (pkg/controller/certificates/rootcacertpublisher):
// every namespace that is not terminating has a ConfigMap "kube-root-ca.crt" holding the cluster
// CA as ca.crt, with the description annotation; it is recreated when deleted and put back when
// its data or annotation are changed. Pods' kube-api-access volumes read ca.crt from it.
import type { ClusterStore, KubeObject } from '../contracts.ts';
import type { Controller } from './types.ts';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
/** the publisher's Description constant, word for word */
const DESCRIPTION = 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal ' +
  'service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export function startRootCAPublisher(store: ClusterStore, caPem: string): Controller {
  const sync = (namespace: string) => {
    const ns = store.get('namespaces', undefined, namespace);
    if (!ns || ns.metadata.deletionTimestamp) return;
    const cur = store.get('configmaps', namespace, ROOT_CA_CONFIGMAP) as (KubeObject & { data?: Record<string, string> }) | undefined;
    const opts = { fieldManager: 'kube-controller-manager' };
    try {
      if (!cur) {
        store.create('configmaps', {
          apiVersion: 'v1', kind: 'ConfigMap',
          metadata: { name: ROOT_CA_CONFIGMAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
          data: { 'ca.crt': caPem },
        }, opts);
        return;
      }
      // as the publisher's syncNamespace: only ca.crt and the annotation are its business
      const data = cur.data ?? {};
      const annotations = cur.metadata.annotations ?? {};
      if (data['ca.crt'] === caPem && Object.keys(data).length === 1 && annotations[DESCRIPTION_ANNOTATION] === DESCRIPTION) return;
      store.update('configmaps', {
        ...cur,
        metadata: { ...cur.metadata, annotations: { ...annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
        data: { 'ca.crt': caPem },
      }, opts);
    } catch {
      // a concurrent writer or a namespace that began terminating: the next event syncs again
    }
  };
  for (const ns of store.list('namespaces').items) sync(ns.metadata.name!);
  const unwatch = [
    store.watch('namespaces', {}, (e) => { if (e.type !== 'DELETED') sync(e.object.metadata.name!); }),
    store.watch('configmaps', { fieldSelector: `metadata.name=${ROOT_CA_CONFIGMAP}` }, (e) => {
      // deferred: the write is still being committed while watchers hear of it
      queueMicrotask(() => sync(e.object.metadata.namespace!));
    }),
  ];
  return { name: 'root-ca-cert-publisher', idle: () => Promise.resolve(), stop: () => { for (const u of unwatch) u(); } };
}
