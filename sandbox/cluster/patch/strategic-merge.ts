// Strategic merge patch, as kubectl's client-side apply, edit, rollout and `patch` (default
// type) send it: maps merge, lists with a patch-merge key merge item by item, and the
// directives $patch (replace|delete|merge), $retainKeys, $setElementOrder/<list> and
// $deleteFromPrimitiveList/<list> steer the rest.
import { badRequest } from '../errors.ts';
import { isMergedPrimitiveList, strategicMergeKey } from './merge-keys.ts';
import { copyJson } from '../json-copy.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** remove directive keys from a value that is being set wholesale */
function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => !(isObj(x) && x.$patch === 'delete')).map(strip);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) out[k] = strip(x);
  return out;
}

function mergeList(field: string, orig: unknown[], patch: unknown[], order: unknown[] | undefined): unknown[] {
  const key = strategicMergeKey(field, [...patch, ...orig]);
  if (patch.some((x) => isObj(x) && x.$patch === 'replace')) return strip(patch.filter((x) => !(isObj(x) && x.$patch === 'replace'))) as unknown[];
  if (!key || orig.concat(patch).some((x) => !isObj(x))) {
    if (isMergedPrimitiveList(field)) return [...new Set([...orig, ...patch])];
    return strip(patch) as unknown[];
  }
  const out = (orig as Obj[]).map((o) => copyJson(o));
  const find = (k: unknown) => out.findIndex((o) => JSON.stringify(o[key]) === JSON.stringify(k));
  for (const item of patch as Obj[]) {
    if (!(key in item)) throw badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${key}`);
    const i = find(item[key]);
    if (item.$patch === 'delete') {
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    if (i >= 0) out[i] = mergeObject(out[i], item) as Obj;
    else out.push(strip(item) as Obj);
  }
  if (order && order.length) {
    const rank = new Map(order.map((o, i) => [JSON.stringify(isObj(o) ? o[key] : o), i]));
    const pos = (o: Obj) => rank.get(JSON.stringify(o[key])) ?? Number.MAX_SAFE_INTEGER;
    out.sort((a, b) => pos(a) - pos(b));
  }
  return out;
}

function mergeObject(orig: unknown, patch: Obj): unknown {
  if (patch.$patch === 'delete') return undefined;
  if (patch.$patch === 'replace') return strip(patch);
  const out: Obj = isObj(orig) ? copyJson(orig) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) {
      delete out[k];
      continue;
    }
    if (Array.isArray(v)) {
      const order = patch[`$setElementOrder/${k}`] as unknown[] | undefined;
      out[k] = Array.isArray(out[k]) ? mergeList(k, out[k] as unknown[], v, order) : strip(v);
      continue;
    }
    if (isObj(v)) {
      const merged = mergeObject(out[k], v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
      continue;
    }
    out[k] = v;
  }
  for (const [k, v] of Object.entries(patch)) {
    const del = /^\$deleteFromPrimitiveList\/(.+)$/.exec(k);
    if (del && Array.isArray(out[del[1]]) && Array.isArray(v)) out[del[1]] = (out[del[1]] as unknown[]).filter((x) => !v.includes(x));
    const ord = /^\$setElementOrder\/(.+)$/.exec(k);
    // an order for a list the patch did not touch still reorders it
    if (ord && !(ord[1] in patch) && Array.isArray(out[ord[1]]) && Array.isArray(v))
      out[ord[1]] = mergeList(ord[1], out[ord[1]] as unknown[], [], v);
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as string[]);
    for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
  }
  return out;
}

export function applyStrategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) throw badRequest('the server rejected our request due to an error in our request: a strategic merge patch must be a JSON object');
  return mergeObject(target, patch) ?? {};
}
