// The LimitRanger admission plugin (plugin/pkg/admission/limitranger), for the Container limits
// of the LimitRanges in a pod's namespace: a container without a limit or request for a resource
// gets the range's default / defaultRequest, noted in the pod's `kubernetes.io/limit-ranger`
// annotation as the plugin writes it; a request or limit outside min/max is refused with the
// plugin's words. `defaultLimitRange` is SetDefaults_LimitRangeItem (default from max,
// defaultRequest from default, then from min), which the limitranges strategy applies.
import type { KubeObject } from '../contracts.ts';
import { forbidden } from '../errors.ts';
import { formatQuantity, quantityValue } from './quota.ts';
import type { StrategyContext } from './types.ts';

type Amounts = Record<string, string>;
interface RangeItem { type?: string; default?: Amounts; defaultRequest?: Amounts; min?: Amounts; max?: Amounts }
interface Container { name?: string; resources?: { requests?: Amounts; limits?: Amounts } }

export function admitLimitRanges(pod: KubeObject, ctx: StrategyContext): void {
  const ranges = ctx.list('limitranges', pod.metadata.namespace);
  if (ranges.length === 0) return;
  const spec = (pod.spec ?? {}) as { containers?: Container[]; initContainers?: Container[] };
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  const notes: string[] = [];
  for (const range of ranges) {
    const items = ((range.spec as { limits?: RangeItem[] } | undefined)?.limits ?? []).filter((l) => l.type === 'Container');
    for (const item of items) {
      for (const c of containers) {
        const res = (c.resources ??= {});
        // mergeContainerResources: limits from default, requests from defaultRequest, noted per container
        const setLimits = Object.entries(item.default ?? {}).filter(([k]) => res.limits?.[k] === undefined);
        const setRequests = Object.entries(item.defaultRequest ?? {}).filter(([k]) => res.requests?.[k] === undefined);
        if (setLimits.length) res.limits = { ...res.limits, ...Object.fromEntries(setLimits) };
        if (setRequests.length) res.requests = { ...res.requests, ...Object.fromEntries(setRequests) };
        if (setRequests.length) notes.push(`${setRequests.map(([k]) => k).sort().join(', ')} request for container ${c.name}`);
        if (setLimits.length) notes.push(`${setLimits.map(([k]) => k).sort().join(', ')} limit for container ${c.name}`);
        const refuse = (why: string) => {
          throw forbidden({ group: '', resource: 'pods' }, pod.metadata.name ?? pod.metadata.generateName ?? '', why);
        };
        for (const [k, max] of Object.entries(item.max ?? {})) {
          const limit = res.limits?.[k];
          if (limit === undefined) refuse(`maximum ${k} usage per Container is ${max}.  No limit is specified`);
          else if (quantityValue(limit) > quantityValue(max))
            refuse(`maximum ${k} usage per Container is ${max}, but limit is ${formatQuantity(quantityValue(limit), limit)}`);
        }
        for (const [k, min] of Object.entries(item.min ?? {})) {
          const request = res.requests?.[k];
          if (request === undefined) refuse(`minimum ${k} usage per Container is ${min}.  No request is specified`);
          else if (quantityValue(request) < quantityValue(min))
            refuse(`minimum ${k} usage per Container is ${min}, but request is ${formatQuantity(quantityValue(request), request)}`);
        }
      }
    }
  }
  if (notes.length)
    pod.metadata.annotations = { ...pod.metadata.annotations, 'kubernetes.io/limit-ranger': `LimitRanger plugin set: ${notes.join('; ')}` };
}

/** SetDefaults_LimitRangeItem for Container items */
export function defaultLimitRange(obj: KubeObject): void {
  for (const item of (obj.spec as { limits?: RangeItem[] } | undefined)?.limits ?? []) {
    if (item.type !== 'Container') continue;
    const def = (item.default ??= {});
    const req = (item.defaultRequest ??= {});
    for (const [k, v] of Object.entries(item.max ?? {})) def[k] ??= v;
    for (const [k, v] of Object.entries(def)) req[k] ??= v;
    for (const [k, v] of Object.entries(item.min ?? {})) req[k] ??= v;
  }
}
