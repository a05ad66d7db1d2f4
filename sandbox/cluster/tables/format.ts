// Cell formats shared by several kinds: label maps, label selectors, "a,b,c + N more...",
// container names/images on one line.
import { isIPv6 } from 'node:net';

type Labels = Record<string, string> | undefined | null;

/** labels.FormatLabels: sorted "k=v" joined by ",", "<none>" when empty */
export function formatLabels(labels: Labels): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/**
 * A LabelSelector as labels.Selector.String() renders it: requirements sorted by key,
 * "k=v", "k in (a,b)", "k notin (a,b)", "k", "!k". Empty for a nil or empty selector.
 */
export function selectorString(sel: LabelSelector | undefined | null): string {
  if (!sel) return '';
  const reqs: Array<{ key: string; text: string }> = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${v}` });
  for (const e of sel.matchExpressions ?? []) {
    const values = [...new Set(e.values ?? [])].sort().join(',');
    switch (e.operator) {
      case 'In': reqs.push({ key: e.key, text: `${e.key} in (${values})` }); break;
      case 'NotIn': reqs.push({ key: e.key, text: `${e.key} notin (${values})` }); break;
      case 'Exists': reqs.push({ key: e.key, text: e.key }); break;
      case 'DoesNotExist': reqs.push({ key: e.key, text: `!${e.key}` }); break;
      default: return '<invalid>';
    }
  }
  // a stable sort by key keeps matchLabels before expressions on the same key, as Go's does
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(',');
}

/** metav1.FormatLabelSelector: like selectorString, but "<none>" when empty and "<error>" when unparseable */
export function formatLabelSelector(sel: LabelSelector | undefined | null): string {
  const s = selectorString(sel);
  if (s === '<invalid>') return '<error>';
  return s || '<none>';
}

/** the first `max` items, then " + N more..."; "<unset>" for an empty list */
export function listWithMore(items: string[], max = 3): string {
  if (items.length === 0) return '<unset>';
  const shown = items.slice(0, max).join(',');
  return items.length > max ? `${shown} + ${items.length - max} more...` : shown;
}

export function joinHostPort(host: string, port: number | string): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

interface Container { name?: string; image?: string }

/** container names and images, each joined by "," in spec order */
export function containerCells(containers: Container[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}
