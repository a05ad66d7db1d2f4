// Node heartbeats as kubelets send them today: one Lease per node in kube-node-lease, renewed
// every 10 s, so `kubectl describe node` shows a live Lease rather than "Failed to get lease".
import type { ClusterStore, KubeObject } from '../contracts.ts';
import type { Controller } from './types.ts';

const NAMESPACE = 'kube-node-lease';
const RENEW_MS = 10_000;
const LEASE_SECONDS = 40;

function microTime(d = new Date()): string {
  return d.toISOString().replace('Z', '000Z');
}

export function startNodeLeases(store: ClusterStore, renewMs = RENEW_MS): Controller {
  const renew = () => {
    for (const node of store.list('nodes').items) {
      const name = node.metadata.name!;
      try {
        const existing = store.get('leases.coordination.k8s.io', NAMESPACE, name);
        if (!existing) {
          store.create('leases.coordination.k8s.io', lease(node), { fieldManager: 'kubelet' });
          continue;
        }
        store.mutate('leases.coordination.k8s.io', NAMESPACE, name, (l) => {
          (l.spec as Record<string, unknown>).renewTime = microTime();
          return l;
        });
      } catch {
        // a missed heartbeat is harmless: the next one retries
      }
    }
  };
  renew();
  const timer = setInterval(renew, renewMs);
  timer.unref();
  return { name: 'node-lease', idle: () => Promise.resolve(), stop: () => clearInterval(timer) };
}

function lease(node: KubeObject): KubeObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: node.metadata.name,
      namespace: NAMESPACE,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.metadata.name!, uid: node.metadata.uid! }],
    },
    spec: { holderIdentity: node.metadata.name, leaseDurationSeconds: LEASE_SECONDS, renewTime: microTime() },
  };
}
