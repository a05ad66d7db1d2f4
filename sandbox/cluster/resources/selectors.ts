// Label selectors ("app=x,tier!=y,env in (a,b),!legacy") and field selectors
// ("metadata.name=x,status.phase!=Running") as the API parses them.
import type { KubeObject } from '../contracts.ts';
import { badRequest } from '../errors.ts';
import type { ResourceDef } from './types.ts';

export type Matcher = (o: KubeObject) => boolean;

interface Requirement {
  key: string;
  op: 'in' | 'notin' | 'exists' | '!exists' | '=' | '!=';
  values: string[];
}

/** split on commas that are not inside parentheses */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t.length > 0);
}

export function parseLabelSelector(sel: string | undefined): Requirement[] {
  if (!sel || !sel.trim()) return [];
  return splitTerms(sel).map((term) => {
    let m = /^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (m) return { key: m[1], op: m[2] as 'in' | 'notin', values: m[3].split(',').map((v) => v.trim()).filter(Boolean) };
    m = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(term);
    if (m) return { key: m[1], op: m[2] === '!=' ? '!=' : '=', values: [m[3]] };
    m = /^!\s*([^\s!=()]+)$/.exec(term);
    if (m) return { key: m[1], op: '!exists', values: [] };
    m = /^([^\s!=()]+)$/.exec(term);
    if (m) return { key: m[1], op: 'exists', values: [] };
    throw badRequest(`unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`);
  });
}

export function labelMatcher(sel: string | undefined): Matcher {
  const reqs = parseLabelSelector(sel);
  if (reqs.length === 0) return () => true;
  return (o) => {
    const labels = o.metadata?.labels ?? {};
    return reqs.every((r) => {
      const has = Object.prototype.hasOwnProperty.call(labels, r.key);
      const v = labels[r.key];
      switch (r.op) {
        case 'exists':
          return has;
        case '!exists':
          return !has;
        case '=':
          return has && v === r.values[0];
        case '!=':
          return !has || v !== r.values[0];
        case 'in':
          return has && r.values.includes(v);
        case 'notin':
          return !has || !r.values.includes(v);
      }
    });
  };
}

function fieldValue(def: ResourceDef, field: string): ((o: KubeObject) => string | undefined) | undefined {
  if (field === 'metadata.name') return (o) => o.metadata.name;
  if (field === 'metadata.namespace') return (o) => o.metadata.namespace ?? '';
  return def.fieldLabels?.[field];
}

export function fieldMatcher(def: ResourceDef, sel: string | undefined): Matcher {
  if (!sel || !sel.trim()) return () => true;
  const terms = splitTerms(sel).map((term) => {
    const m = /^([^!=]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${sel}'; can't understand '${term}'`);
    const get = fieldValue(def, m[1]);
    if (!get) {
      throw badRequest(`field label not supported: ${m[1]}`);
    }
    return { get, neg: m[2] === '!=', value: m[3] };
  });
  return (o) => terms.every((t) => ((t.get(o) ?? '') === t.value) !== t.neg);
}
