// managedFields: which manager owns which fields, in the FieldsV1 format
// ({"f:spec":{"f:replicas":{}}}). Updates take ownership of what they change;
// server-side apply (apply.ts) owns exactly what it sends.
import type { KubeObject } from '../contracts.ts';
import { keyOfItem, listMapKeys } from './merge-keys.ts';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface ManagerRef {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource?: string;
}

const SEP = '\u0000';
/** metadata that the server owns, never a manager */
const SYSTEM_META = new Set(['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'name', 'namespace', 'generateName']);

/** every leaf path of an object, as FieldsV1 segments joined by SEP */
export function fieldPaths(obj: KubeObject, part: 'main' | 'status' | 'all' = 'main'): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown, prefix: string[], field: string) => {
    if (Array.isArray(v)) {
      const keys = listMapKeys(field, v);
      if (!keys || v.some((x) => typeof x !== 'object' || x === null)) return void out.add(prefix.join(SEP));
      for (const item of v as Record<string, unknown>[]) {
        const p = [...prefix, keyOfItem(item, keys)];
        out.add([...p, '.'].join(SEP));
        for (const [k, x] of Object.entries(item)) walk(x, [...p, `f:${k}`], k);
      }
      return;
    }
    if (v && typeof v === 'object' && Object.keys(v).length > 0) {
      for (const [k, x] of Object.entries(v)) walk(x, [...prefix, `f:${k}`], k);
      return;
    }
    out.add(prefix.join(SEP));
  };
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if (part === 'main' && k === 'status') continue;
    if (part === 'status' && k !== 'status') continue;
    if (k === 'metadata') {
      for (const [mk, mv] of Object.entries((v ?? {}) as Record<string, unknown>)) if (!SYSTEM_META.has(mk)) walk(mv, ['f:metadata', `f:${mk}`], mk);
      continue;
    }
    walk(v, [`f:${k}`], k);
  }
  return out;
}

export function toFieldsV1(paths: Set<string>): Record<string, unknown> {
  type Node = { [seg: string]: Node };
  const root: Node = {};
  for (const p of [...paths].sort()) {
    let node = root;
    for (const seg of p.split(SEP)) node = node[seg] ??= {};
  }
  return root;
}

export function fromFieldsV1(f: Record<string, unknown> | undefined): Set<string> {
  const out = new Set<string>();
  const walk = (node: Record<string, unknown>, prefix: string[]) => {
    const entries = Object.entries(node);
    if (entries.length === 0 && prefix.length) out.add(prefix.join(SEP));
    for (const [k, v] of entries) walk((v ?? {}) as Record<string, unknown>, [...prefix, k]);
  };
  walk(f ?? {}, []);
  return out;
}

/** the value at a path, or a marker when the path is absent */
export function valueAt(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const seg of path.split(SEP)) {
    if (seg === '.') return cur;
    if (cur === undefined || cur === null) return undefined;
    if (seg.startsWith('f:')) cur = (cur as Record<string, unknown>)[seg.slice(2)];
    else if (seg.startsWith('k:')) {
      const key = JSON.parse(seg.slice(2)) as Record<string, unknown>;
      cur = Array.isArray(cur) ? cur.find((it) => it && keyOfItem(it, Object.keys(key)) === seg) : undefined;
    }
  }
  return cur;
}

export function pathToDisplay(path: string): string {
  return path
    .split(SEP)
    .filter((s) => s !== '.')
    .map((s) => (s.startsWith('f:') ? `.${s.slice(2)}` : `[${s.slice(2).replace(/^\{|\}$/g, '').replace(/"([^"]+)":/g, '$1=')}]`))
    .join('');
}

const nowISO = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const same = (a: ManagedFieldsEntry, r: ManagerRef) => a.manager === r.manager && a.operation === r.operation && (a.subresource ?? '') === (r.subresource ?? '');

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const differs = (a: unknown, b: unknown) => a !== b && JSON.stringify(a) !== JSON.stringify(b);

/**
 * The leaf paths of `part` of obj (as fieldPaths lists them) whose value differs from old's at
 * the same path: one walk over both objects, where looking each path up in old took a walk per path
 * and a scan of each list per item (an eighth of a lab's start-up went to that).
 */
function changedPaths(old: KubeObject | undefined, obj: KubeObject, part: 'main' | 'status'): Set<string> {
  const out = new Set<string>();
  // `had`: old had the key, so that a key set to undefined counts as changed only when it is new
  const walk = (v: unknown, was: unknown, had: boolean, prefix: string, field: string) => {
    if (Array.isArray(v)) {
      const keys = listMapKeys(field, v);
      if (!keys || v.some((x) => typeof x !== 'object' || x === null)) {
        if (differs(was, v)) out.add(prefix);
        return;
      }
      const before = new Map<string, unknown>();
      // the first item with a key, as a lookup by key finds it
      for (const it of Array.isArray(was) ? was : []) {
        if (!isObject(it)) continue;
        const k = keyOfItem(it, keys);
        if (!before.has(k)) before.set(k, it);
      }
      for (const item of v as Record<string, unknown>[]) {
        const key = keyOfItem(item, keys);
        const p = `${prefix}${SEP}${key}`;
        const prev = before.get(key);
        if (differs(prev, item)) out.add(`${p}${SEP}.`);
        for (const [k, x] of Object.entries(item)) walk(x, isObject(prev) ? prev[k] : undefined, isObject(prev) && k in prev, `${p}${SEP}f:${k}`, k);
      }
      return;
    }
    if (isObject(v) && Object.keys(v).length > 0) {
      for (const [k, x] of Object.entries(v)) walk(x, isObject(was) ? was[k] : undefined, isObject(was) && k in was, `${prefix}${SEP}f:${k}`, k);
      return;
    }
    if (!had || differs(was, v)) out.add(prefix);
  };
  const prev = (old ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if ((part === 'main') === (k === 'status')) continue;
    if (k === 'metadata') {
      const was = isObject(prev.metadata) ? prev.metadata : {};
      for (const [mk, mv] of Object.entries((v ?? {}) as Record<string, unknown>)) {
        if (!SYSTEM_META.has(mk)) walk(mv, was[mk], mk in was, `f:metadata${SEP}f:${mk}`, mk);
      }
      continue;
    }
    walk(v, prev[k], k in prev, `f:${k}`, k);
  }
  return out;
}

/** managedFields after an Update (or a create) by `by`: it owns what it changed */
export function recordManagedFields(old: KubeObject | undefined, obj: KubeObject, by: ManagerRef): ManagedFieldsEntry[] {
  const part = by.subresource === 'status' ? 'status' : 'main';
  const entries = (old?.metadata.managedFields ?? []) as ManagedFieldsEntry[];
  const now = fieldPaths(obj, 'all');
  const changed = changedPaths(old, obj, part);
  const out: ManagedFieldsEntry[] = [];
  for (const e of entries) {
    if (same(e, by)) continue;
    const mine = fromFieldsV1(e.fieldsV1);
    for (const p of mine) if (!now.has(p) || changed.has(p)) mine.delete(p);
    // a new fieldsV1 (never the stored one: the stored object is not shared); the rest are strings
    if (mine.size) out.push({ ...e, fieldsV1: toFieldsV1(mine) });
  }
  const prev = entries.find((e) => same(e, by));
  const mine = prev ? fromFieldsV1(prev.fieldsV1) : new Set<string>();
  for (const p of mine) if (!now.has(p)) mine.delete(p);
  for (const p of changed) mine.add(p);
  if (mine.size)
    out.push({
      manager: by.manager, operation: by.operation, apiVersion: by.apiVersion, time: changed.size || !prev ? nowISO() : prev.time,
      fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(mine), ...(by.subresource ? { subresource: by.subresource } : {}),
    });
  return out;
}
