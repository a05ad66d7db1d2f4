// What Deployments, ReplicaSets and DaemonSets share: a selector that must match the
// template's labels and may not change, and a pod template defaulted like a pod.
import { fieldErr, type FieldError } from '../errors.ts';
import { defaultPodSpec, validatePodSpec } from './pod-spec.ts';
import { goLabelSelector, selectorMatches, type LabelSelectorObject } from './label-selector.ts';
import { isObject, validateLabels, validateObjectMeta } from './validation.ts';
import type { KubeObject } from '../contracts.ts';

/** what Deployments, ReplicaSets and DaemonSets have in common */
type Workload = { spec?: { selector?: LabelSelectorObject } };

/** defaults the spec and its pod template in place and returns the spec */
export function defaultTemplate<S extends { template?: unknown }>(obj: { spec?: S }): S {
  // a workload without a spec is defaulted like an empty one; validation then names what it lacks
  obj.spec ??= {} as S;
  const t = obj.spec.template;
  if (isObject(t)) {
    t.metadata ??= {};
    t.metadata.creationTimestamp ??= null;
    t.spec ??= {};
    defaultPodSpec(t.spec, false);
  }
  return obj.spec;
}

export function validateWorkload(obj: KubeObject, kindLabel: string, withReplicas: boolean): FieldError[] {
  const out = validateObjectMeta(obj, 'subdomain');
  const spec = obj.spec;
  if (!isObject(spec)) return [...out, fieldErr.required('spec')];
  const sel = spec.selector as LabelSelectorObject | undefined;
  if (!isObject(sel)) out.push(fieldErr.required('spec.selector'));
  else if (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)
    out.push({ ...fieldErr.invalid('spec.selector', sel, `empty selector is invalid for ${kindLabel}`), valueText: goLabelSelector(sel) });
  if (withReplicas && spec.replicas !== undefined && (!Number.isInteger(spec.replicas) || spec.replicas < 0))
    out.push(fieldErr.invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  const t = spec.template;
  if (!isObject(t)) out.push(fieldErr.required('spec.template'));
  else {
    const labels = t.metadata?.labels;
    out.push(...validateLabels(labels, 'spec.template.metadata.labels'));
    if (isObject(sel) && !selectorMatches(sel, labels)) out.push(fieldErr.invalid('spec.template.metadata.labels', labels ?? {}, '`selector` does not match template `labels`'));
    out.push(...validatePodSpec(t.spec, 'spec.template.spec'));
    if (t.spec?.restartPolicy !== undefined && t.spec.restartPolicy !== 'Always')
      out.push(fieldErr.notSupported('spec.template.spec.restartPolicy', t.spec.restartPolicy, ['Always']));
  }
  return out;
}

export function validateSelectorUnchanged(obj: Workload, old: Workload): FieldError[] {
  if (JSON.stringify(obj.spec?.selector ?? null) !== JSON.stringify(old.spec?.selector ?? null))
    return [{ ...fieldErr.immutable('spec.selector', obj.spec?.selector), valueText: goLabelSelector(obj.spec?.selector) }];
  return [];
}
