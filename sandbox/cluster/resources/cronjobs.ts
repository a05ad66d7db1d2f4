// batch/v1 CronJobs as the 1.32 apiserver stores them: defaults (concurrencyPolicy Allow, suspend
// false, history limits 3 and 1, the job template's pod spec defaulted like a pod's) and the
// validation of the schedule (robfig/cron's wording, `cron.ts`), the time zone, the policy and
// the job template (pkg/apis/batch/validation ValidateCronJobCreate/Update).
import type { CronJob } from 'kubernetes-types/batch/v1.js';
import { fieldErr, type FieldError } from '../errors.ts';
import { statusSub } from './types.ts';
import { defineResource, type Obj } from './define.ts';
import { cronError, isTimeZone } from './cron.ts';
import { validateJobSpec } from './jobs.ts';
import { defaultPodSpec } from './pod-spec.ts';
import { isObject, validateObjectMeta } from './validation.ts';

const POLICIES = ['Allow', 'Forbid', 'Replace'];
/** the Job name adds 11 characters (-<minutes since epoch>) and must stay a 63-character label value */
const MAX_NAME = 52;

function defaults(obj: Obj<CronJob>): void {
  obj.spec ??= {} as Obj<CronJob>['spec'] & object;
  const s = obj.spec!;
  s.concurrencyPolicy ??= 'Allow';
  s.suspend ??= false;
  s.successfulJobsHistoryLimit ??= 3;
  s.failedJobsHistoryLimit ??= 1;
  const jt = s.jobTemplate;
  if (isObject(jt)) {
    jt.metadata ??= {};
    (jt.metadata as { creationTimestamp?: null }).creationTimestamp ??= null;
    const t = jt.spec?.template;
    if (isObject(t)) {
      t.metadata ??= {};
      (t.metadata as { creationTimestamp?: null }).creationTimestamp ??= null;
      t.spec ??= { containers: [] };
      defaultPodSpec(t.spec, false);
    }
  }
}

function validateTimeZone(tz: unknown): FieldError[] {
  if (tz === undefined || tz === null) return [];
  if (typeof tz !== 'string' || tz === '') return [fieldErr.invalid('spec.timeZone', tz, 'timeZone must be nil or non-empty string')];
  for (const part of tz.split('/'))
    if (part === '.' || part === '..' || part.startsWith('-') || !/^[A-Za-z.\-_0-9+]{1,14}$/.test(part))
      return [fieldErr.invalid('spec.timeZone', tz, `unknown time zone ${tz}`)];
  if (tz.toLowerCase() === 'local') return [fieldErr.invalid('spec.timeZone', tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  if (!isTimeZone(tz)) return [fieldErr.invalid('spec.timeZone', tz, `unknown time zone ${tz}`)];
  return [];
}

function validateCronJob(obj: Obj<CronJob>, allowTZInSchedule: boolean): FieldError[] {
  const out = validateObjectMeta(obj, 'subdomain');
  const name = obj.metadata.name ?? '';
  if (name.length > MAX_NAME) out.push(fieldErr.invalid('metadata.name', name, `must be no more than ${MAX_NAME} characters`));
  const spec = obj.spec as Record<string, unknown> | undefined;
  if (!isObject(spec)) return [...out, fieldErr.required('spec')];
  const schedule = spec.schedule;
  if (typeof schedule !== 'string' || schedule === '') out.push(fieldErr.required('spec.schedule'));
  else {
    const why = cronError(schedule);
    if (why) out.push(fieldErr.invalid('spec.schedule', schedule, why));
    if (allowTZInSchedule && schedule.includes('TZ') && spec.timeZone !== undefined)
      out.push(fieldErr.invalid('spec.schedule', schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
    else if (!allowTZInSchedule && schedule.includes('TZ'))
      out.push(fieldErr.invalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  out.push(...validateTimeZone(spec.timeZone));
  if (spec.concurrencyPolicy !== undefined && !POLICIES.includes(spec.concurrencyPolicy as string))
    out.push(fieldErr.notSupported('spec.concurrencyPolicy', spec.concurrencyPolicy, POLICIES));
  for (const f of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) {
    const v = spec[f];
    if (v !== undefined && v !== null && (typeof v !== 'number' || v < 0)) out.push(fieldErr.invalid(`spec.${f}`, v, 'must be greater than or equal to 0'));
  }
  const jt = spec.jobTemplate as { spec?: Record<string, unknown> } | undefined;
  if (!isObject(jt)) return [...out, fieldErr.required('spec.jobTemplate')];
  out.push(...validateJobSpec(jt.spec, 'spec.jobTemplate.spec'));
  if (isObject(jt.spec) && jt.spec.selector !== undefined)
    out.push({ ...fieldErr.invalid('spec.jobTemplate.spec.selector', null, '`selector` will be auto-generated'), valueText: 'v1.LabelSelector{...}' });
  if (isObject(jt.spec) && jt.spec.manualSelector === true)
    out.push(fieldErr.notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
  return out;
}

export const cronjobs = defineResource<CronJob>({
  group: 'batch',
  version: 'v1',
  resource: 'cronjobs',
  kind: 'CronJob',
  singular: 'cronjob',
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  hasGeneration: true,
  statusSubresource: true,
  subresources: [statusSub('CronJob')],
  prepareForCreate(obj) {
    defaults(obj);
    obj.status = {};
  },
  prepareForUpdate: (obj) => defaults(obj),
  validate: (obj) => validateCronJob(obj, false),
  // an existing schedule with TZ= may stay, as on a cluster upgraded from before 1.27
  validateUpdate: (obj, old) => validateCronJob(obj, (old.spec?.schedule ?? '').includes('TZ') && obj.spec?.schedule === old.spec?.schedule),
});
