// What every seeded cluster starts with whatever its tool: the API server's own `kubernetes`
// Service in default (port 443 in front of the masters' port), its Endpoints and EndpointSlice,
// and the service account controller's `default` in each namespace. The kops Status Quo and the
// kubeadm clusters differ only in the addresses and the port.
import type { ClusterStore, KubeObject } from '../contracts.ts';
import { PRIORITY_CLASSES, SYSTEM_PRIORITY_CLASSES } from '../resources/priorityclasses.ts';

/** one object to seed, with the manager that wrote it in the real cluster */
export interface Seeded {
  resource: string;
  obj: KubeObject;
  fieldManager: string;
}

export const serviceAccount = (name: string, namespace: string, fieldManager: string): Seeded => ({
  resource: 'serviceaccounts',
  fieldManager,
  obj: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } },
});

/** the `kubernetes` Service at clusterIP and its endpoints: the API servers at `ips`, listening on `port` */
export function kubernetesServiceObjects(clusterIP: string, ips: string[], port: number): Seeded[] {
  const api = 'kube-apiserver';
  return [
    {
      resource: 'services',
      fieldManager: api,
      obj: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
        spec: { type: 'ClusterIP', clusterIP, sessionAffinity: 'None', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: port }] },
      },
    },
    {
      resource: 'endpoints',
      fieldManager: api,
      obj: {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
        subsets: [{ addresses: ips.map((ip) => ({ ip })), ports: [{ name: 'https', port, protocol: 'TCP' }] }],
      },
    },
    {
      resource: 'endpointslices.discovery.k8s.io',
      fieldManager: api,
      obj: {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
        addressType: 'IPv4',
        endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
        ports: [{ name: 'https', port, protocol: 'TCP' }],
      },
    },
  ];
}

/** the service account controller's `default` in each namespace a fresh cluster has */
export function defaultServiceAccounts(): Seeded[] {
  return ['default', 'kube-system', 'kube-public', 'kube-node-lease'].map((ns) => serviceAccount('default', ns, 'kube-controller-manager'));
}

/**
 * What kube-apiserver itself keeps in every cluster, whatever tool made it: the two system
 * PriorityClasses (its scheduling post-start hook) and the ComponentStatuses its health checks
 * report. Created when missing, on a fresh seed and on every start.
 */
export function ensureApiserverObjects(store: ClusterStore): void {
  for (const pc of SYSTEM_PRIORITY_CLASSES) {
    if (store.get(PRIORITY_CLASSES, undefined, pc.name)) continue;
    store.create(PRIORITY_CLASSES, {
      apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: pc.name },
      value: pc.value, globalDefault: false, description: pc.description, preemptionPolicy: 'PreemptLowerPriority',
    } as KubeObject, { fieldManager: 'kube-apiserver' });
  }
  for (const name of ['scheduler', 'controller-manager', 'etcd-0']) {
    if (store.get('componentstatuses', undefined, name)) continue;
    store.create('componentstatuses', {
      apiVersion: 'v1', kind: 'ComponentStatus', metadata: { name },
      conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }],
    } as KubeObject, { fieldManager: 'kube-apiserver' });
  }
}
