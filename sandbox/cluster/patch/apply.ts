// Server-side apply (application/apply-patch+yaml): the applier owns exactly the fields it
// sends. Fields another manager set to a different value conflict (409) unless force=true;
// fields the applier sent last time and no longer sends are removed, unless someone else
// also owns them.
import type { KubeObject } from '../contracts.ts';
import { applyConflict, type StatusCause } from '../errors.ts';
import { fieldPaths, fromFieldsV1, pathToDisplay, toFieldsV1, valueAt, type ManagedFieldsEntry } from './managed-fields.ts';
import { keyOfItem, listMapKeys } from './merge-keys.ts';
import { copyJson } from '../json-copy.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const SEP = '\u0000';

function mergeApplied(live: unknown, applied: unknown, field: string): unknown {
  if (Array.isArray(applied)) {
    const keys = listMapKeys(field, applied);
    if (!keys || !Array.isArray(live) || applied.some((x) => !isObj(x)) || live.some((x) => !isObj(x))) return copyJson(applied);
    const out = (live as Obj[]).map((x) => copyJson(x));
    for (const item of applied as Obj[]) {
      const k = keyOfItem(item, keys);
      const i = out.findIndex((o) => keyOfItem(o, keys) === k);
      if (i >= 0) out[i] = mergeApplied(out[i], item, '') as Obj;
      else out.push(copyJson(item));
    }
    return out;
  }
  if (!isObj(applied)) return copyJson(applied);
  const out: Obj = isObj(live) ? copyJson(live) : {};
  for (const [k, v] of Object.entries(applied)) out[k] = mergeApplied(out[k], v, k);
  return out;
}

function removePath(obj: Obj, path: string): void {
  const segs = path.split(SEP);
  const last = segs[segs.length - 1] === '.' ? segs.length - 1 : segs.length;
  let cur: unknown = obj;
  for (let i = 0; i < last - 1; i++) {
    cur = valueAt(cur, segs[i]);
    if (cur === undefined || cur === null) return;
  }
  const seg = segs[last - 1];
  if (seg.startsWith('f:') && isObj(cur)) delete cur[seg.slice(2)];
  else if (seg.startsWith('k:') && Array.isArray(cur)) {
    const i = cur.findIndex((it) => isObj(it) && keyOfItem(it, Object.keys(JSON.parse(seg.slice(2)))) === seg);
    if (i >= 0) cur.splice(i, 1);
  }
}

export interface ApplyRequest {
  live?: KubeObject;
  applied: KubeObject;
  manager: string;
  force: boolean;
  apiVersion: string;
  subresource?: string;
}

export function serverSideApply(req: ApplyRequest): { object: KubeObject; managedFields: ManagedFieldsEntry[] } {
  const { live, applied, manager, force } = req;
  const part = req.subresource === 'status' ? 'status' : 'main';
  const mine = fieldPaths(applied, part);
  const entries = copyJson((live?.metadata.managedFields ?? []) as ManagedFieldsEntry[]);
  const isMe = (e: ManagedFieldsEntry) => e.manager === manager && e.operation === 'Apply' && (e.subresource ?? '') === (req.subresource ?? '');

  const conflicts: Array<{ entry: ManagedFieldsEntry; path: string }> = [];
  if (live) {
    for (const e of entries) {
      if (isMe(e)) continue;
      const theirs = fromFieldsV1(e.fieldsV1);
      for (const p of mine) {
        if (!theirs.has(p) || p.endsWith(`${SEP}.`)) continue;
        if (JSON.stringify(valueAt(live, p)) !== JSON.stringify(valueAt(applied, p))) conflicts.push({ entry: e, path: p });
      }
    }
  }
  if (conflicts.length && !force) {
    const causes: StatusCause[] = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.entry.manager}"${c.entry.operation === 'Update' ? ` using ${c.entry.apiVersion}` : ''}`, field: pathToDisplay(c.path) }));
    const n = causes.length;
    const byMgr = [...new Set(causes.map((c) => c.message))];
    const msg =
      n === 1
        ? `Apply failed with 1 conflict: ${causes[0].message}: ${causes[0].field}`
        : `Apply failed with ${n} conflicts: ${byMgr.map((m) => `${m.replace(/^conflict/, 'conflicts')}:\n${causes.filter((c) => c.message === m).map((c) => `- ${c.field}`).join('\n')}`).join('\n')}`;
    throw applyConflict(msg, causes);
  }

  let object = mergeApplied(live ?? {}, applied, '') as KubeObject;
  // what I applied before and dropped now goes away, unless another manager holds it
  const prev = entries.find(isMe);
  if (live && prev) {
    const others = new Set<string>();
    for (const e of entries) if (!isMe(e)) for (const p of fromFieldsV1(e.fieldsV1)) others.add(p);
    for (const p of fromFieldsV1(prev.fieldsV1)) if (!mine.has(p) && !others.has(p)) removePath(object as Obj, p);
  }
  object = object as KubeObject;

  const conflicted = new Set(conflicts.map((c) => c.path));
  const out: ManagedFieldsEntry[] = [];
  for (const e of entries) {
    if (isMe(e)) continue;
    const theirs = fromFieldsV1(e.fieldsV1);
    for (const p of conflicted) theirs.delete(p);
    if (theirs.size) out.push({ ...e, fieldsV1: toFieldsV1(theirs) });
  }
  out.push({
    manager, operation: 'Apply', apiVersion: req.apiVersion, time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(mine), ...(req.subresource ? { subresource: req.subresource } : {}),
  });
  return { object, managedFields: out };
}
