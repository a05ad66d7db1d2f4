// The controllers that finish deletions: without them the store only marks objects as being
// deleted, so every store that serves deletes (the sandbox, the API tests and benches) starts these.
import type { ClusterStore } from '../contracts.ts';
import { RESOURCES, resourceName } from '../resources/index.ts';
import { startGarbageCollector } from './garbage-collector.ts';
import { startNamespaceController } from './namespace.ts';
import type { Controller } from './types.ts';

export function startDeletionControllers(store: ClusterStore): Controller {
  const stored = RESOURCES.filter((d) => !d.virtual);
  const controllers = [
    startGarbageCollector(store, stored.map(resourceName)),
    startNamespaceController(store, stored.filter((d) => d.namespaced).map(resourceName)),
  ];
  return {
    name: 'deletion',
    // one controller's work can queue the other's (a namespace's content, then its dependents)
    async idle() {
      do for (const c of controllers) await c.idle();
      while (controllers.some((c) => c.busy?.()));
    },
    busy: () => controllers.some((c) => c.busy?.()),
    stop() {
      for (const c of controllers) void c.stop();
    },
  };
}
