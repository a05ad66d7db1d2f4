// @peculiar/x509 registers its algorithms through tsyringe, which insists on a Reflect metadata
// polyfill (it reads "design:paramtypes", which nothing here ever writes). These three functions
// are all tsyringe calls; the reflect-metadata package would do the same at 40 kB. Installed only
// when no polyfill is present, so a real one always wins.
type Meta = Map<unknown, unknown>;
const store = new WeakMap<object, Meta>();

interface ReflectMetadata {
  getMetadata?: (key: unknown, target: object) => unknown;
  getOwnMetadata?: (key: unknown, target: object) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: object) => void;
}

export function installReflectMetadata(): void {
  const r = Reflect as unknown as ReflectMetadata;
  if (r.getMetadata) return;
  r.getOwnMetadata = (key, target) => store.get(target)?.get(key);
  r.getMetadata = (key, target) => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
      const m = store.get(t);
      if (m?.has(key)) return m.get(key);
    }
    return undefined;
  };
  r.defineMetadata = (key, value, target) => {
    let m = store.get(target);
    if (!m) store.set(target, (m = new Map()));
    m.set(key, value);
  };
}
