// EndpointSlice controller: per Service with a selector, one slice per distinct port set
// (usually one), labelled kubernetes.io/service-name and owned by the Service. kubectl 1.32
// reads these, not Endpoints, for the Endpoints lines of `describe svc`.
import type { ClusterStore, KubeObject } from '../contracts.ts';
import { randomSuffix } from './names.ts';
import { controllerRef, ownerRefTo } from './owners.ts';
import { nsKey, splitKey, WorkQueue } from './queue.ts';
import { HEADLESS_LABEL, isHeadless, managesEndpoints, serviceBackends, targetRef, type Backend } from './service-backends.ts';
import { queueController, type Controller } from './types.ts';

export const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const SERVICE_NAME = 'kubernetes.io/service-name';

interface SliceBody {
  endpoints: unknown[];
  ports: Backend['ports'] | null;
}

/**
 * A slice's ports. discovery/v1's EndpointPort.name is a pointer the controller always sets, so an
 * unnamed Service port is `name: ""` (core/v1 Endpoints omit it); kubectl 1.32's describe svc
 * dereferences it and panics on a slice without it.
 */
function slicePorts(ports: Backend['ports']): Backend['ports'] {
  return ports.map((p) => ({ name: p.name ?? '', ...p }));
}

export function buildSlices(backends: Backend[], zoneOf: (node?: string) => string | undefined): SliceBody[] {
  const groups = new Map<string, SliceBody>();
  for (const b of backends) {
    const sig = JSON.stringify(b.ports);
    const g = groups.get(sig) ?? { endpoints: [], ports: slicePorts(b.ports) };
    groups.set(sig, g);
    const zone = zoneOf(b.nodeName);
    g.endpoints.push({
      addresses: [b.ip],
      conditions: { ready: b.ready, serving: b.serving, terminating: b.terminating },
      ...(b.hostname ? { hostname: b.hostname } : {}),
      ...(b.nodeName ? { nodeName: b.nodeName } : {}),
      targetRef: targetRef(b.pod),
      ...(zone ? { zone } : {}),
    });
  }
  // a Service without endpoints keeps one empty slice, as the real controller does
  if (groups.size === 0) return [{ endpoints: [], ports: null }];
  return [...groups.values()];
}

export function startEndpointSliceController(store: ClusterStore): Controller {
  const queue = new WorkQueue({ name: 'endpointslices', reconcile });
  const unwatch = [
    store.watch('services', {}, (e) => queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name)), true),
    store.watch('pods', {}, (e) => enqueueNamespace(e.object.metadata.namespace), true),
    store.watch('endpointslices.discovery.k8s.io', {}, (e) => {
      const svc = e.object.metadata.labels?.[SERVICE_NAME];
      if (svc && e.object.metadata.labels?.[MANAGED_BY] === CONTROLLER_NAME) queue.add(nsKey(e.object.metadata.namespace, svc));
    }),
  ];
  for (const s of store.list('services', {}, true).items) queue.add(nsKey(s.metadata.namespace, s.metadata.name));

  function enqueueNamespace(namespace: string | undefined): void {
    for (const s of store.list('services', { namespace }, true).items) queue.add(nsKey(s.metadata.namespace, s.metadata.name));
  }

  function zoneOf(nodeName?: string): string | undefined {
    if (!nodeName) return undefined;
    return store.get('nodes', undefined, nodeName)?.metadata.labels?.['topology.kubernetes.io/zone'];
  }

  function reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const svc = store.get('services', namespace, name);
    const existing = store
      .list('endpointslices.discovery.k8s.io', { namespace })
      .items.filter((s) => s.metadata.labels?.[SERVICE_NAME] === name && s.metadata.labels?.[MANAGED_BY] === CONTROLLER_NAME);
    if (!svc || !managesEndpoints(svc)) {
      for (const s of existing) remove(s);
      return;
    }
    const wanted = buildSlices(serviceBackends(store, svc), zoneOf);
    const labels: Record<string, string> = { ...svc.metadata.labels, [SERVICE_NAME]: name, [MANAGED_BY]: CONTROLLER_NAME };
    if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
    // keep slice names stable: reuse existing slices in order, create or delete the difference
    const owned = existing.filter((s) => controllerRef(s)?.uid === svc.metadata.uid);
    for (const s of existing) if (!owned.includes(s)) remove(s);
    wanted.forEach((body, i) => {
      const slice = owned[i];
      if (!slice) {
        store.create('endpointslices.discovery.k8s.io', {
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: { name: `${name}-${randomSuffix()}`, namespace, labels, ownerReferences: [ownerRefTo(svc)] },
          addressType: 'IPv4',
          endpoints: body.endpoints,
          ports: body.ports,
        }, { fieldManager: 'kube-controller-manager' });
        return;
      }
      store.mutate('endpointslices.discovery.k8s.io', namespace, slice.metadata.name!, (o) => {
        const same = JSON.stringify(o.endpoints ?? []) === JSON.stringify(body.endpoints)
          && JSON.stringify(o.ports ?? null) === JSON.stringify(body.ports)
          && JSON.stringify(o.metadata.labels ?? {}) === JSON.stringify(labels);
        if (same) return undefined;
        o.metadata.labels = labels;
        o.endpoints = body.endpoints;
        o.ports = body.ports;
        return o;
      });
    });
    for (const s of owned.slice(wanted.length)) remove(s);
  }

  function remove(slice: KubeObject): void {
    try {
      store.delete('endpointslices.discovery.k8s.io', slice.metadata.namespace, slice.metadata.name!);
    } catch (err) {
      if ((err as { reason?: string }).reason !== 'NotFound') throw err;
    }
  }

  return queueController('endpointslices', queue, unwatch);
}
