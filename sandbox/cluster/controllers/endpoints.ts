// Endpoints controller: one Endpoints object per Service with a selector, named like the
// Service, with ready pods under addresses and unready ones under notReadyAddresses.
import type { ClusterStore } from '../contracts.ts';
import { nsKey, splitKey, WorkQueue } from './queue.ts';
import { HEADLESS_LABEL, isHeadless, managesEndpoints, serviceBackends, targetRef, type Backend } from './service-backends.ts';
import { queueController, type Controller } from './types.ts';

export function buildSubsets(backends: Backend[]): Array<Record<string, unknown>> {
  const groups = new Map<string, { ports: Backend['ports']; addresses: unknown[]; notReadyAddresses: unknown[] }>();
  for (const b of backends) {
    if (b.terminating || b.ports.length === 0) continue;
    const sig = JSON.stringify(b.ports);
    const g = groups.get(sig) ?? { ports: b.ports, addresses: [], notReadyAddresses: [] };
    groups.set(sig, g);
    const address = {
      ip: b.ip,
      ...(b.hostname ? { hostname: b.hostname } : {}),
      ...(b.nodeName ? { nodeName: b.nodeName } : {}),
      targetRef: targetRef(b.pod),
    };
    (b.ready ? g.addresses : g.notReadyAddresses).push(address);
  }
  return [...groups.values()].map((g) => ({
    ...(g.addresses.length ? { addresses: g.addresses } : {}),
    ...(g.notReadyAddresses.length ? { notReadyAddresses: g.notReadyAddresses } : {}),
    ports: g.ports,
  }));
}

export function startEndpointsController(store: ClusterStore): Controller {
  const queue = new WorkQueue({ name: 'endpoints', reconcile });
  const unwatch = [
    store.watch('services', {}, (e) => queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name)), true),
    store.watch('pods', {}, (e) => enqueueNamespace(e.object.metadata.namespace), true),
    // someone deleting or editing a managed Endpoints object: put it back
    store.watch('endpoints', {}, (e) => queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name)), true),
  ];
  for (const s of store.list('services', {}, true).items) queue.add(nsKey(s.metadata.namespace, s.metadata.name));

  function enqueueNamespace(namespace: string | undefined): void {
    for (const s of store.list('services', { namespace }, true).items) queue.add(nsKey(s.metadata.namespace, s.metadata.name));
  }

  function reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const svc = store.get('services', namespace, name);
    const existing = store.get('endpoints', namespace, name);
    if (!svc) {
      if (existing) remove(namespace, name);
      return;
    }
    if (!managesEndpoints(svc)) return;
    const subsets = buildSubsets(serviceBackends(store, svc));
    const labels: Record<string, string> = { ...svc.metadata.labels };
    if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
    if (!existing) {
      store.create('endpoints', {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name, namespace, labels },
        ...(subsets.length ? { subsets } : {}),
      }, { fieldManager: 'kube-controller-manager' });
      return;
    }
    store.mutate('endpoints', namespace, name, (ep) => {
      const same =
        JSON.stringify(ep.subsets ?? []) === JSON.stringify(subsets) && JSON.stringify(ep.metadata.labels ?? {}) === JSON.stringify(labels);
      if (same) return undefined;
      ep.metadata.labels = labels;
      if (subsets.length) ep.subsets = subsets;
      else delete ep.subsets;
      return ep;
    });
  }

  function remove(namespace: string, name: string): void {
    try {
      store.delete('endpoints', namespace, name);
    } catch (err) {
      if ((err as { reason?: string }).reason !== 'NotFound') throw err;
    }
  }

  return queueController('endpoints', queue, unwatch);
}
