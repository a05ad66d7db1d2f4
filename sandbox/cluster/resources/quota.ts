// ResourceQuota usage and the ResourceQuota admission plugin, cheaply: object counts (`pods`,
// `services`, `configmaps`, `secrets`, `persistentvolumeclaims`, `replicationcontrollers`,
// `resourcequotas`, `services.loadbalancers`, `services.nodeports`, `count/<resource>[.<group>]`)
// and the compute resources of pods that are not finished (`requests.cpu`/`cpu`,
// `requests.memory`/`memory`, `limits.cpu`, `limits.memory`), plus `requests.storage` of claims.
// Usage is computed from the store at the moment it is needed (the real plugin keeps it in
// status.used and updates it as it admits); the quota controller writes it to status.
// Refusals as plugin/pkg/admission/resourcequota words them: `exceeded quota: q, requested: pods=1,
// used: pods=2, limited: pods=2` and `failed quota: q: must specify limits.cpu for: c`.
import type { KubeObject } from '../contracts.ts';
import { forbidden } from '../errors.ts';
import { resourceName, type ResourceDef, type StrategyContext } from './types.ts';

const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** a resource.Quantity as a number of base units ("500m" = 0.5, "1Gi" = 2^30); NaN when unreadable */
export function quantityValue(q: unknown): number {
  const m = /^([+-]?\d+(?:\.\d*)?|[+-]?\.\d+)(?:([eE][+-]?\d+)|([a-zA-Z]*))$/.exec(String(q ?? '').trim());
  if (!m) return NaN;
  if (m[2]) return Number(`${m[1]}${m[2]}`);
  const f = SUFFIX[m[3] ?? ''];
  return f === undefined ? NaN : Number(m[1]) * f;
}

/** a value in the style of `like` (binary suffixes if it has one, millis for fractions), as Quantity.String() would */
export function formatQuantity(v: number, like: unknown): string {
  if (v === 0) return '0';
  if (!Number.isInteger(v)) {
    const milli = Math.round(v * 1000);
    return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
  }
  const binary = /i$/.test(String(like ?? ''));
  const steps = binary ? ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'] : ['E', 'P', 'T', 'G', 'M', 'k'];
  for (const s of steps) if (v % SUFFIX[s]! === 0) return `${v / SUFFIX[s]!}${s}`;
  return String(v);
}

type Container = { name?: string; resources?: { requests?: Record<string, string>; limits?: Record<string, string> } };
const containersOf = (pod: KubeObject) => ((pod.spec as { containers?: Container[] } | undefined)?.containers ?? []);
const finished = (pod: KubeObject) => ['Succeeded', 'Failed'].includes(String((pod.status as { phase?: string } | undefined)?.phase));

/** a compute key ("requests.cpu", "cpu", "limits.memory") as [where, resource] */
function computeKey(key: string): ['requests' | 'limits', string] | undefined {
  if (key === 'cpu' || key === 'memory') return ['requests', key];
  const m = /^(requests|limits)\.(cpu|memory)$/.exec(key);
  return m ? [m[1] as 'requests' | 'limits', m[2]!] : undefined;
}

const CLASSIC: Record<string, string> = {
  pods: 'pods', services: 'services', configmaps: 'configmaps', secrets: 'secrets', persistentvolumeclaims: 'persistentvolumeclaims',
  replicationcontrollers: 'replicationcontrollers', resourcequotas: 'resourcequotas',
};

/** how much one object of `resource` adds to a quota key (0 when the key does not count it) */
export function usageOf(resource: string, obj: KubeObject, key: string): number {
  if (resource === 'pods' && finished(obj)) return 0;
  if (CLASSIC[key] === resource || key === `count/${resource}`) return 1;
  if (resource === 'services') {
    const spec = (obj.spec ?? {}) as { type?: string; ports?: unknown[] };
    if (key === 'services.loadbalancers') return spec.type === 'LoadBalancer' ? 1 : 0;
    if (key === 'services.nodeports') return spec.type === 'NodePort' || spec.type === 'LoadBalancer' ? (spec.ports ?? []).length : 0;
  }
  if (resource === 'persistentvolumeclaims' && key === 'requests.storage')
    return quantityValue((obj.spec as { resources?: { requests?: { storage?: string } } } | undefined)?.resources?.requests?.storage) || 0;
  const ck = computeKey(key);
  if (resource === 'pods' && ck) return containersOf(obj).reduce((sum, c) => sum + (quantityValue(c.resources?.[ck[0]]?.[ck[1]]) || 0), 0);
  return 0;
}

/** a pod without any request or limit (QoS BestEffort) */
function bestEffort(pod: KubeObject): boolean {
  const empty = (m: Record<string, string> | undefined) => Object.keys(m ?? {}).length === 0;
  return containersOf(pod).every((c) => empty(c.resources?.requests) && empty(c.resources?.limits));
}

/**
 * whether a quota's scopes take in an object: no scopes, everything; the BestEffort, NotBestEffort,
 * Terminating and NotTerminating scopes, pods of that kind only. Other scopes (PriorityClass
 * selectors, CrossNamespacePodAffinity) are not evaluated: such a quota counts and refuses nothing.
 */
export function quotaSelects(quota: KubeObject, resource: string, obj: KubeObject): boolean {
  type Scoped = { scopes?: string[]; scopeSelector?: { matchExpressions?: Array<{ scopeName?: string; operator?: string }> } };
  const spec = (quota.spec ?? {}) as Scoped;
  const selected = (spec.scopeSelector?.matchExpressions ?? []).map((e) => (e.operator === 'Exists' ? e.scopeName : '?'));
  const scopes = [...(spec.scopes ?? []), ...selected];
  if (scopes.length === 0) return true;
  if (resource !== 'pods') return false;
  const deadline = (obj.spec as { activeDeadlineSeconds?: number } | undefined)?.activeDeadlineSeconds !== undefined;
  return scopes.every((s) =>
    s === 'BestEffort' ? bestEffort(obj) : s === 'NotBestEffort' ? !bestEffort(obj) : s === 'Terminating' ? deadline : s === 'NotTerminating' ? !deadline : false);
}

/** the resources whose objects a quota key counts */
export function resourcesCounted(key: string): string[] {
  if (CLASSIC[key]) return [CLASSIC[key]];
  if (key.startsWith('count/')) return [key.slice(6)];
  if (key.startsWith('services.')) return ['services'];
  if (key === 'requests.storage') return ['persistentvolumeclaims'];
  return computeKey(key) ? ['pods'] : [];
}

/** status.used of a quota: every hard key's usage in its namespace */
export function quotaUsed(quota: KubeObject, list: (resource: string, namespace?: string) => KubeObject[]): Record<string, string> {
  const hard = ((quota.spec as { hard?: Record<string, string> } | undefined)?.hard) ?? {};
  const used: Record<string, string> = {};
  for (const [key, limit] of Object.entries(hard)) {
    let total = 0;
    for (const r of resourcesCounted(key))
      for (const o of list(r, quota.metadata.namespace)) if (quotaSelects(quota, r, o)) total += usageOf(r, o, key);
    used[key] = formatQuantity(total, limit);
  }
  return used;
}

const pretty = (m: Record<string, string>) => Object.keys(m).sort().map((k) => `${k}=${m[k]}`).join(',');

/** the ResourceQuota admission plugin on a create in a namespace */
export function admitQuota(def: ResourceDef, obj: KubeObject, ctx: StrategyContext): void {
  const resource = resourceName(def);
  if (!def.namespaced || resource === 'events') return;
  const ns = obj.metadata.namespace;
  for (const quota of ctx.list('resourcequotas', ns)) {
    const hard = ((quota.spec as { hard?: Record<string, string> } | undefined)?.hard) ?? {};
    const keys = Object.keys(hard).filter((k) => resourcesCounted(k).includes(resource)).sort();
    if (keys.length === 0 || !quotaSelects(quota, resource, obj)) continue;
    const name = obj.metadata.name ?? obj.metadata.generateName ?? '';
    const refuse = (why: string) => {
      throw forbidden({ group: def.group, resource: def.resource }, name, why);
    };
    if (resource === 'pods' && !finished(obj)) {
      const missing = keys.flatMap((k) => {
        const ck = computeKey(k);
        if (!ck) return [];
        const without = containersOf(obj).filter((c) => c.resources?.[ck[0]]?.[ck[1]] === undefined).map((c) => c.name ?? '');
        return without.length ? [`${k} for: ${without.join(',')}`] : [];
      });
      if (missing.length) refuse(`failed quota: ${quota.metadata.name}: must specify ${missing.join('; ')}`);
    }
    const requested: Record<string, string> = {};
    const used: Record<string, string> = {};
    const limited: Record<string, string> = {};
    for (const k of keys) {
      const add = usageOf(resource, obj, k);
      if (add === 0) continue;
      let now = 0;
      for (const o of ctx.list(resource, ns)) if (quotaSelects(quota, resource, o)) now += usageOf(resource, o, k);
      if (now + add > quantityValue(hard[k])) {
        requested[k] = formatQuantity(add, hard[k]);
        used[k] = formatQuantity(now, hard[k]);
        limited[k] = String(hard[k]);
      }
    }
    if (Object.keys(requested).length)
      refuse(`exceeded quota: ${quota.metadata.name}, requested: ${pretty(requested)}, used: ${pretty(used)}, limited: ${pretty(limited)}`);
  }
}
