// A served version that is not the storage version (autoscaling/v1 HorizontalPodAutoscalers are
// stored as v2): the handler works on a view of the store that converts every object on the way
// in (toStorage) and on the way out (fromStorage), as the apiserver's codec does between the
// request's version and the storage version.
import type { KubeObject, WatchEvent } from '../contracts.ts';
import type { Conversion } from '../resources/index.ts';
import type { MemoryStore } from '../store.ts';

export function convertingStore<S extends MemoryStore>(store: S, c: Conversion): S {
  const out = (o: KubeObject) => c.fromStorage(o);
  const maybe = (o: KubeObject | undefined) => (o ? out(o) : o);
  const overrides: Partial<Record<keyof MemoryStore, unknown>> = {
    get: (...a: Parameters<MemoryStore['get']>) => maybe(store.get(...a)),
    getOrThrow: (...a: Parameters<MemoryStore['getOrThrow']>) => out(store.getOrThrow(...a)),
    list: (...a: Parameters<MemoryStore['list']>) => {
      const l = store.list(...a);
      return { ...l, items: l.items.map(out) };
    },
    create: (resource: string, obj: KubeObject, opts?: Parameters<MemoryStore['create']>[2]) => out(store.create(resource, c.toStorage(obj), opts)),
    update: (resource: string, obj: KubeObject, opts?: Parameters<MemoryStore['update']>[2]) => out(store.update(resource, c.toStorage(obj), opts)),
    updateStatus: (resource: string, obj: KubeObject, opts?: Parameters<MemoryStore['updateStatus']>[2]) => out(store.updateStatus(resource, c.toStorage(obj), opts)),
    delete: (...a: Parameters<MemoryStore['delete']>) => maybe(store.delete(...a)),
    deleteCollection: (...a: Parameters<MemoryStore['deleteCollection']>) => store.deleteCollection(...a).map(out),
    watchFrom: (resource: string, opts: Parameters<MemoryStore['watchFrom']>[1], rv: string, onEvent: (e: WatchEvent) => void, readOnly?: boolean) =>
      store.watchFrom(resource, opts, rv, (e) => onEvent(e.type === 'BOOKMARK' ? e : { ...e, object: out(e.object) }), readOnly),
  };
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && prop in overrides) return overrides[prop as keyof MemoryStore];
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...args: unknown[]) => unknown).bind(target) : v;
    },
  });
}
