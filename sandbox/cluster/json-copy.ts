// Deep copies of API objects. Stored objects are JSON data (plain objects, arrays, strings,
// numbers, booleans, null); copying that by hand is about ten times faster than structuredClone,
// which serialises through V8's value serializer, and the store copies on every read and write.
// Anything else (a Date, a Map) goes through structuredClone.

export function copyJson<T>(value: T): T {
  return copy(value) as T;
}

function copy(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copy(v[i]);
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = copy((v as Record<string, unknown>)[k]);
  return out;
}
