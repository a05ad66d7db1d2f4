// scheduling.k8s.io/v1 PriorityClasses and the Priority admission plugin
// (plugin/pkg/admission/priority/admission.go, pkg/apis/scheduling/validation, 1.32): the two
// system classes every apiserver creates, the reserved `system-` prefix, the ceiling on a user
// class's value, one global default, and a pod's priorityClassName resolved into spec.priority
// and spec.preemptionPolicy (an unknown class refused as the plugin refuses it).
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import { fieldErr, forbidden, type FieldError } from '../errors.ts';
import { defineResource, type Obj } from './define.ts';
import type { StrategyContext } from './types.ts';
import { validateObjectMeta } from './validation.ts';

export const PRIORITY_CLASSES = 'priorityclasses.scheduling.k8s.io';

/** what the apiserver's scheduling post-start hook creates (pkg/apis/scheduling/types.go SystemPriorityClasses) */
export const SYSTEM_PRIORITY_CLASSES = [
  { name: 'system-node-critical', value: 2000001000, description: 'Used for system critical pods that must not be moved from their current node.' },
  { name: 'system-cluster-critical', value: 2000000000, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' },
] as const;

/** HighestUserDefinablePriority */
const HIGHEST_USER = 1000000000;
const POLICIES = ['Never', 'PreemptLowerPriority'];

function validatePriorityClass(obj: Obj<PriorityClass>): FieldError[] {
  const out = validateObjectMeta(obj, 'subdomain');
  const name = obj.metadata.name ?? '';
  if (name.startsWith('system-')) {
    const known = SYSTEM_PRIORITY_CLASSES.find((c) => c.name === name);
    const why = !known
      ? `${name} is not a known system priority class`
      : known.value !== obj.value
        ? `value of ${name} PriorityClass must be ${known.value}`
        : obj.globalDefault
          ? `globalDefault of ${name} PriorityClass must be false`
          : undefined;
    if (why) out.push(fieldErr.forbidden('metadata.name', `priority class names with 'system-' prefix are reserved for system use only. error: ${why}`));
  } else if (typeof obj.value === 'number' && obj.value > HIGHEST_USER) {
    out.push(fieldErr.forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER}`));
  }
  if (obj.preemptionPolicy && !POLICIES.includes(obj.preemptionPolicy)) out.push(fieldErr.notSupported('preemptionPolicy', obj.preemptionPolicy, POLICIES));
  return out;
}

/** the admission plugin's own check: only one class may be the global default */
function admitGlobalDefault(obj: Obj<PriorityClass>, ctx: StrategyContext): void {
  if (!obj.globalDefault) return;
  const other = ctx.list(PRIORITY_CLASSES).find((c) => (c as Obj<PriorityClass>).globalDefault && c.metadata.name !== obj.metadata.name);
  if (other)
    throw forbidden({ group: 'scheduling.k8s.io', resource: 'priorityclasses' }, obj.metadata.name ?? '',
      `PriorityClass ${other.metadata.name} is already marked as default. Only one default can exist`);
}

export const priorityclasses = defineResource<PriorityClass>({
  group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses', kind: 'PriorityClass', singular: 'priorityclass', namespaced: false,
  shortNames: ['pc'],
  prepareForCreate(obj, ctx) {
    obj.preemptionPolicy ??= 'PreemptLowerPriority';
    admitGlobalDefault(obj, ctx);
  },
  prepareForUpdate(obj, old, ctx) {
    obj.preemptionPolicy ??= old.preemptionPolicy ?? 'PreemptLowerPriority';
    admitGlobalDefault(obj, ctx);
  },
  validate: (obj) => validatePriorityClass(obj),
  validateUpdate(obj, old) {
    const out: FieldError[] = [];
    if (obj.value !== old.value) out.push(fieldErr.forbidden('value', 'may not be changed in an update.'));
    if (obj.preemptionPolicy !== old.preemptionPolicy) out.push(fieldErr.immutable('preemptionPolicy', obj.preemptionPolicy));
    return out;
  },
});

/**
 * The Priority admission plugin on a pod being created: priorityClassName (or the global default
 * class) gives spec.priority and spec.preemptionPolicy; no class and no default gives 0. A pod
 * that names a class which does not exist is refused. `given` is spec.priority as the client sent it.
 */
export function admitPodPriority(pod: Obj<Pod>, given: number | undefined, ctx: StrategyContext): void {
  const spec = pod.spec!;
  const classes = ctx.list(PRIORITY_CLASSES) as Obj<PriorityClass>[];
  const named = spec.priorityClassName;
  const refuse = (why: string) => {
    throw forbidden({ group: '', resource: 'pods' }, pod.metadata.name ?? pod.metadata.generateName ?? '', why);
  };
  let value = 0;
  let policy: string | undefined;
  if (named) {
    const pc = classes.find((c) => c.metadata.name === named) ?? SYSTEM_PRIORITY_CLASSES.find((c) => c.name === named && !classes.length);
    if (!pc) return refuse(`no PriorityClass with name ${named} was found`);
    value = pc.value;
    policy = 'preemptionPolicy' in pc ? pc.preemptionPolicy : 'PreemptLowerPriority';
  } else {
    const def = classes.find((c) => c.globalDefault);
    if (def) {
      spec.priorityClassName = def.metadata.name;
      value = def.value;
      policy = def.preemptionPolicy;
    }
  }
  if (given !== undefined && given !== value)
    return refuse(`the integer value of priority (${given}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`);
  spec.priority = value;
  if (policy) spec.preemptionPolicy = policy;
}
