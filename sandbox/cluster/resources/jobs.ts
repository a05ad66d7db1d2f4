// batch/v1 Jobs as the 1.32 apiserver stores them (pkg/registry/batch/job/strategy.go,
// pkg/apis/batch/v1/defaults.go, pkg/apis/batch/validation): defaults (parallelism and
// completions 1, backoffLimit 6, completionMode NonIndexed, suspend false, podReplacementPolicy),
// the generated selector on the new uid with the four job labels on the template (unless
// manualSelector), the template's labels as the Job's own when it has none, and validation of
// the common cases worded as the apiserver words them.
import type { Job, JobSpec } from 'kubernetes-types/batch/v1.js';
import { fieldErr, type FieldError } from '../errors.ts';
import { statusSub } from './types.ts';
import { defineResource, type Obj } from './define.ts';
import { goLabelSelector, selectorMatches, type LabelSelectorObject } from './label-selector.ts';
import { validatePodSpec } from './pod-spec.ts';
import { isObject, validateLabels, validateObjectMeta } from './validation.ts';
import { defaultTemplate } from './workload.ts';

export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';

const nonNegative = (v: unknown, field: string): FieldError[] =>
  v !== undefined && v !== null && (typeof v !== 'number' || v < 0) ? [fieldErr.invalid(field, v, 'must be greater than or equal to 0')] : [];

/** SetDefaults_Job: what a Job's spec gets on the way in */
function defaults(obj: Obj<Job>): void {
  const s = defaultTemplate(obj) as JobSpec & Record<string, unknown>;
  if (s.completions === undefined && s.parallelism === undefined) {
    s.completions = 1;
    s.parallelism = 1;
  }
  s.parallelism ??= 1;
  s.backoffLimit ??= s.backoffLimitPerIndex === undefined ? 6 : 2147483647;
  s.completionMode ??= 'NonIndexed';
  s.suspend ??= false;
  s.podReplacementPolicy ??= s.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
}

/** generateSelector: the template gets job-name and controller-uid labels, the selector the uid */
function generateSelector(obj: Obj<Job>): void {
  const s = obj.spec!;
  if (!isObject(s.template)) return;
  s.template.metadata ??= {};
  const labels = (s.template.metadata.labels ??= {});
  for (const k of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) labels[k] ??= obj.metadata.name!;
  for (const k of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) labels[k] ??= obj.metadata.uid!;
  s.selector ??= {};
  s.selector.matchLabels ??= {};
  s.selector.matchLabels[CONTROLLER_UID_LABEL] ??= obj.metadata.uid!;
}

/** validateJobSpec and the template rules a CronJob's jobTemplate shares (`path`: "spec" or "spec.jobTemplate.spec") */
export function validateJobSpec(spec: unknown, path: string): FieldError[] {
  if (!isObject(spec)) return [fieldErr.required(path)];
  const out: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished'])
    out.push(...nonNegative(spec[f], `${path}.${f}`));
  if (spec.completionMode !== undefined && spec.completionMode !== 'NonIndexed' && spec.completionMode !== 'Indexed')
    out.push(fieldErr.notSupported(`${path}.completionMode`, spec.completionMode, ['NonIndexed', 'Indexed']));
  if (spec.completionMode === 'Indexed' && spec.completions === undefined)
    out.push(fieldErr.required(`${path}.completions`, 'when completion mode is Indexed'));
  if (spec.podReplacementPolicy !== undefined && !['TerminatingOrFailed', 'Failed'].includes(spec.podReplacementPolicy))
    out.push(fieldErr.notSupported(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, ['Failed', 'TerminatingOrFailed']));
  const t = spec.template;
  if (!isObject(t)) return [...out, fieldErr.required(`${path}.template`)];
  out.push(...validateLabels(t.metadata?.labels, `${path}.template.metadata.labels`));
  out.push(...validatePodSpec(t.spec, `${path}.template.spec`));
  const policy = t.spec?.restartPolicy;
  // the pod template's restartPolicy was defaulted to Always when it was left out
  if (policy === 'Always' || policy === undefined || policy === '')
    out.push(fieldErr.required(`${path}.template.spec.restartPolicy`, 'valid values: "OnFailure", "Never"'));
  else if (policy !== 'OnFailure' && policy !== 'Never')
    out.push(fieldErr.notSupported(`${path}.template.spec.restartPolicy`, policy, ['OnFailure', 'Never']));
  return out;
}

function validateJob(obj: Obj<Job>): FieldError[] {
  const out = validateObjectMeta(obj, 'subdomain');
  const spec = obj.spec as Record<string, unknown> | undefined;
  const sel = spec?.selector as LabelSelectorObject | undefined;
  if (isObject(spec)) {
    if (!isObject(sel)) out.push(fieldErr.required('spec.selector'));
    else if (isObject(spec.template)) {
      const labels = (spec.template as { metadata?: { labels?: Record<string, string> } }).metadata?.labels;
      if (!selectorMatches(sel, labels)) out.push(fieldErr.invalid('spec.template.metadata.labels', labels ?? {}, '`selector` does not match template `labels`'));
    }
  }
  return [...out, ...validateJobSpec(spec, 'spec')];
}

function immutable(obj: Obj<Job>, old: Obj<Job>): FieldError[] {
  const out: FieldError[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (!same(obj.spec?.selector, old.spec?.selector))
    out.push({ ...fieldErr.immutable('spec.selector', obj.spec?.selector), valueText: goLabelSelector(obj.spec?.selector) });
  if (!same(obj.spec?.completions, old.spec?.completions)) out.push(fieldErr.immutable('spec.completions', obj.spec?.completions));
  if (!same(obj.spec?.completionMode, old.spec?.completionMode)) out.push(fieldErr.immutable('spec.completionMode', obj.spec?.completionMode));
  if (!same(obj.spec?.template, old.spec?.template)) out.push({ ...fieldErr.immutable('spec.template', null), valueText: 'core.PodTemplateSpec{...}' });
  return out;
}

export const jobs = defineResource<Job>({
  group: 'batch',
  version: 'v1',
  resource: 'jobs',
  kind: 'Job',
  singular: 'job',
  namespaced: true,
  categories: ['all'],
  hasGeneration: true,
  statusSubresource: true,
  subresources: [statusSub('Job')],
  fieldLabels: { 'status.successful': (o) => String(o.status?.succeeded ?? 0) },
  prepareForCreate(obj) {
    defaults(obj);
    if (obj.spec!.manualSelector !== true) generateSelector(obj);
    // SetDefaults_Job: a Job without labels of its own shows its template's
    const tl = obj.spec!.template?.metadata?.labels;
    if (tl && Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...tl };
    obj.status = {};
  },
  prepareForUpdate: (obj) => defaults(obj),
  validate: (obj) => validateJob(obj),
  validateUpdate: (obj, old) => [...validateJob(obj), ...immutable(obj, old)],
});
