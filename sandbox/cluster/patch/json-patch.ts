// RFC 6902 JSON Patch (kubectl patch --type=json).
import { badRequest, invalid } from '../errors.ts';
import { copyJson } from '../json-copy.ts';

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`the server rejected our request due to an error in our request: invalid JSON pointer ${JSON.stringify(path)}: it must start with "/"`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** a JSON object or array: what a pointer steps into */
type JsonContainer = Record<string, unknown> | unknown[];

function child(c: object, s: string): unknown {
  return Array.isArray(c) ? c[Number(s)] : (c as Record<string, unknown>)[s];
}

function parentOf(doc: unknown, segs: string[], op: string, path: string): { parent: JsonContainer; key: string } {
  let cur = doc;
  for (const s of segs.slice(0, -1)) {
    if (cur === null || typeof cur !== 'object' || !(s in cur)) throw missing(op, path);
    cur = child(cur, s);
  }
  if (cur === null || typeof cur !== 'object') throw missing(op, path);
  return { parent: cur as JsonContainer, key: segs[segs.length - 1] };
}

const missing = (op: string, path: string) => badRequest(`the server rejected our request due to an error in our request: ${op} operation does not apply: doc is missing path: "${path}": missing value`);

function get(doc: unknown, path: string, op: string): unknown {
  let cur = doc;
  for (const s of pointer(path)) {
    if (cur === null || typeof cur !== 'object' || !(s in cur)) throw missing(op, path);
    cur = child(cur, s);
  }
  return cur;
}

function arrayIndex(arr: unknown[], key: string, allowEnd: boolean, op: string, path: string): number {
  if (key === '-' && allowEnd) return arr.length;
  const i = Number(key);
  if (!Number.isInteger(i) || i < 0 || i > arr.length - (allowEnd ? 0 : 1)) throw missing(op, path);
  return i;
}

function add(doc: unknown, path: string, value: unknown, op = 'add'): unknown {
  const segs = pointer(path);
  if (segs.length === 0) return value;
  const { parent, key } = parentOf(doc, segs, op, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true, op, path), 0, value);
  else parent[key] = value;
  return doc;
}

function remove(doc: unknown, path: string, op = 'remove'): unknown {
  const segs = pointer(path);
  const { parent, key } = parentOf(doc, segs, op, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, false, op, path), 1);
  else {
    if (!(key in parent)) throw missing(op, path);
    delete parent[key];
  }
  return doc;
}

export function applyJsonPatch(target: unknown, ops: unknown, kind = 'Object', name = ''): unknown {
  if (!Array.isArray(ops)) throw badRequest('the server rejected our request due to an error in our request: json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = copyJson(target);
  for (const raw of ops as JsonPatchOp[]) {
    const { op, path } = raw ?? ({} as JsonPatchOp);
    if (typeof path !== 'string') throw badRequest(`the server rejected our request due to an error in our request: operation ${JSON.stringify(raw)} is missing "path"`);
    switch (op) {
      case 'add':
        doc = add(doc, path, copyJson(raw.value));
        break;
      case 'remove':
        doc = remove(doc, path);
        break;
      case 'replace':
        get(doc, path, 'replace');
        doc = remove(doc, path, 'replace');
        doc = add(doc, path, copyJson(raw.value), 'replace');
        break;
      case 'move': {
        const v = get(doc, raw.from ?? '', 'move');
        doc = remove(doc, raw.from ?? '', 'move');
        doc = add(doc, path, v, 'move');
        break;
      }
      case 'copy':
        doc = add(doc, path, copyJson(get(doc, raw.from ?? '', 'copy')), 'copy');
        break;
      case 'test':
        if (JSON.stringify(get(doc, path, 'test')) !== JSON.stringify(raw.value))
          throw invalid(kind, '', name, [{ type: 'FieldValueInvalid', field: path, value: raw.value, detail: 'testing value failed' }]);
        break;
      default:
        throw badRequest(`the server rejected our request due to an error in our request: Unexpected kind: ${String(op)}`);
    }
  }
  return doc;
}
