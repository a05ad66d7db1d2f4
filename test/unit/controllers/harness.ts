// A store with the chapter's nodes and every controller running against a FakeRuntime.
import type { Event as CoreEvent } from 'kubernetes-types/core/v1.js';
import type { Obj } from '../../../sandbox/cluster/resources/define.ts';
import { createStore } from '../../../sandbox/cluster/persistence/open-store.ts';
import type { ClusterStore, KubeObject } from '../../../sandbox/cluster/contracts.ts';
import { startControllers, type ControllerManager } from '../../../sandbox/cluster/controllers/index.ts';
import { NODES, nodeObject } from '../../../sandbox/cluster/status-quo/nodes.ts';
import { FakeRuntime } from './fake-runtime.ts';
import type { HashStyle } from '../../../sandbox/cluster/controllers/names.ts';

export interface Harness {
  store: Awaited<ReturnType<typeof createStore>>;
  runtime: FakeRuntime;
  controllers: ControllerManager;
  /**
   * resolves once every controller has worked off what the store's writes so far woke: how a test
   * asserts that something did NOT happen, without sleeping. Not for a reconcile that is blocked.
   */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  readyOnStart?: boolean;
  mountRetryMs?: number;
  podTemplateHash?: HashStyle;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const store = await createStore({});
  const now = new Date().toISOString();
  for (const row of NODES) store.create('nodes', nodeObject(row, now) as unknown as KubeObject);
  const runtime = new FakeRuntime();
  if (opts.readyOnStart === false) runtime.readyOnStart = false;
  const controllers = startControllers(store, runtime, {
    kubelet: { readinessPollMs: 20, mountRetryMs: opts.mountRetryMs ?? 50, shutdownGraceMs: 0 },
    podTemplateHash: opts.podTemplateHash,
  });
  return {
    store,
    runtime,
    controllers,
    async settled() {
      // a reconcile's writes wake other controllers (deployment -> replicaset -> scheduler -> kubelet
      // -> endpoints): each round waits for every queue, and the chain is never deeper than this
      for (let round = 0; round < 8; round++) {
        await Promise.all(controllers.controllers.map((c) => c.idle()));
        await new Promise((r) => setImmediate(r));
      }
    },
    async stop() {
      await controllers.stop();
      await store.close();
    },
  };
}

export function deployment(
  name: string,
  replicas: number,
  extra: { image?: string; strategy?: unknown; namespace?: string } = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: extra.namespace ?? 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      ...(extra.strategy ? { strategy: extra.strategy } : {}),
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: extra.image ?? 'nginx:1.27', ports: [{ name: 'http', containerPort: 8080 }] }] },
      },
    },
  };
}

export function pod(name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels }, spec: { containers: [{ name: 'main', image: 'busybox:1.28' }], ...spec } };
}

export function podsOf(store: ClusterStore, prefix: string): KubeObject[] {
  return store.list('pods').items.filter((p) => p.metadata.name!.startsWith(prefix));
}

export function status<T = Record<string, any>>(o: KubeObject | undefined): T {
  return (o?.status ?? {}) as T;
}

export function eventsFor(store: ClusterStore, name: string): Array<{ reason: string; message: string; type: string }> {
  return store
    .list('events')
    .items.map((e) => e as Obj<CoreEvent>)
    .filter((e) => e.involvedObject.name === name)
    .map((e) => ({ reason: e.reason!, message: e.message!, type: e.type! }));
}
