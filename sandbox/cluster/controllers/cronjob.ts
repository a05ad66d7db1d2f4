// The CronJob controller (kube-controller-manager's cronjob-controller v2, 1.32): at each time
// the schedule names (in spec.timeZone, else the controller's zone, UTC here) it creates the Job
// `<cronjob>-<scheduled time in minutes since the epoch>` from the job template, controlled by the
// CronJob and annotated `batch.kubernetes.io/cronjob-scheduled-timestamp`; only the most recent
// missed time runs (none older than startingDeadlineSeconds). concurrencyPolicy Forbid skips a
// time while a Job is active, Replace deletes the active ones first. status.active lists the
// unfinished Jobs it controls (those of `kubectl create job --from=cronjob/...` too),
// lastScheduleTime and lastSuccessfulTime follow, finished Jobs beyond the history limits are
// deleted. `clock` is the controller's notion of now: tests put it just before a minute boundary.
import type { ClusterStore, KubeObject } from '../contracts.ts';
import { copyJson } from '../json-copy.ts';
import { parseCron, rfc3339In, type CronSchedule } from '../resources/cron.ts';
import type { EventRecorder } from './events.ts';
import { isJobFinished } from './job.ts';
import { controllerRef, isControlledBy, ownerRefTo } from './owners.ts';
import { nsKey, splitKey, WorkQueue } from './queue.ts';
import { queueController, type Controller } from './types.ts';

const SOURCE = { component: 'cronjob-controller' };
export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** the controller's own time zone, for CronJobs without spec.timeZone */
const CONTROLLER_ZONE = 'UTC';

interface CronJobSpec {
  schedule?: string;
  timeZone?: string;
  startingDeadlineSeconds?: number;
  concurrencyPolicy?: string;
  suspend?: boolean;
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
  jobTemplate?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown> };
}

interface JobCondition { type: string; status: string; lastTransitionTime?: string }

const conditionOf = (job: KubeObject, type: string) =>
  ((job.status as { conditions?: JobCondition[] } | undefined)?.conditions ?? []).find((c) => c.type === type && c.status === 'True');
const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');

export function startCronJobController(store: ClusterStore, events: EventRecorder, clock: () => Date = () => new Date()): Controller {
  const queue = new WorkQueue({ name: 'cronjob', reconcile });
  const schedules = new Map<string, CronSchedule>();
  const unwatch = [
    store.watch('cronjobs.batch', {}, (e) => queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name)), true),
    store.watch('jobs.batch', {}, (e) => {
      const ref = controllerRef(e.object);
      if (ref?.kind === 'CronJob') queue.add(nsKey(e.object.metadata.namespace, ref.name));
    }),
  ];
  for (const c of store.list('cronjobs.batch', {}, true).items) queue.add(nsKey(c.metadata.namespace, c.metadata.name));

  function schedule(text: string): CronSchedule | undefined {
    let s = schedules.get(text);
    if (!s) {
      try {
        s = parseCron(text);
      } catch {
        return undefined;
      }
      schedules.set(text, s);
    }
    return s;
  }

  function deleteJob(cj: KubeObject, job: KubeObject): void {
    try {
      store.delete('jobs.batch', job.metadata.namespace, job.metadata.name!, { propagationPolicy: 'Background' });
      events.record(SOURCE, cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
    } catch (err) {
      if ((err as { reason?: string }).reason !== 'NotFound') throw err;
    }
  }

  function reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const cj = store.get('cronjobs.batch', namespace, name);
    if (!cj || cj.metadata.deletionTimestamp) return;
    const spec = (cj.spec ?? {}) as CronJobSpec;
    type Status = { active?: Array<{ name?: string; uid?: string }>; lastScheduleTime?: string; lastSuccessfulTime?: string };
    const status = copyJson((cj.status ?? {}) as Status);
    const jobs = store.list('jobs.batch', { namespace }).items.filter((j) => isControlledBy(j, cj) && !j.metadata.deletionTimestamp);
    let active = jobs.filter((j) => !isJobFinished(j));
    const wasActive = new Set((status.active ?? []).map((r) => r.uid));
    for (const j of jobs.filter(isJobFinished)) {
      const done = conditionOf(j, 'Complete') ? 'Complete' : 'Failed';
      if (wasActive.has(j.metadata.uid)) events.record(SOURCE, cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${done}`);
      const at = (j.status as { completionTime?: string } | undefined)?.completionTime;
      if (done === 'Complete' && at && (!status.lastSuccessfulTime || at > status.lastSuccessfulTime)) status.lastSuccessfulTime = at;
    }
    // history limits: the oldest finished Jobs beyond them go
    const byStart = (a: KubeObject, b: KubeObject) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '');
    const succeeded = jobs.filter((j) => conditionOf(j, 'Complete')).sort(byStart);
    const failed = jobs.filter((j) => conditionOf(j, 'Failed')).sort(byStart);
    for (const j of succeeded.slice(0, Math.max(0, succeeded.length - (spec.successfulJobsHistoryLimit ?? 3)))) deleteJob(cj, j);
    for (const j of failed.slice(0, Math.max(0, failed.length - (spec.failedJobsHistoryLimit ?? 1)))) deleteJob(cj, j);

    const sched = spec.suspend ? undefined : schedule(spec.schedule ?? '');
    if (sched) {
      const zone = spec.timeZone ?? CONTROLLER_ZONE;
      const now = clock();
      let earliest = Date.parse(status.lastScheduleTime ?? cj.metadata.creationTimestamp ?? '') || now.getTime();
      if (spec.startingDeadlineSeconds !== undefined) earliest = Math.max(earliest, now.getTime() - spec.startingDeadlineSeconds * 1000);
      let due: Date | undefined;
      let missed = 0;
      for (let t = sched.next(new Date(earliest), zone); t.getTime() <= now.getTime(); t = sched.next(t, zone)) {
        due = t;
        if (++missed > 100) {
          events.record(SOURCE, cj, 'Warning', 'TooManyMissedTimes',
            'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
          due = undefined;
          break;
        }
      }
      if (due) {
        if (spec.concurrencyPolicy === 'Forbid' && active.length > 0) {
          events.record(SOURCE, cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
        } else {
          if (spec.concurrencyPolicy === 'Replace') {
            for (const j of active) deleteJob(cj, j);
            active = [];
          }
          const job = createJob(cj, spec, due, zone);
          if (job) active.push(job);
          status.lastScheduleTime = isoSeconds(due);
        }
      }
      const next = sched.next(now, zone).getTime();
      if (!Number.isNaN(next)) queue.addAfter(key, Math.max(10, next - now.getTime() + 100));
    }

    status.active = active.map((j) => ({
      kind: 'Job', namespace: j.metadata.namespace, name: j.metadata.name, uid: j.metadata.uid, apiVersion: 'batch/v1', resourceVersion: j.metadata.resourceVersion,
    }));
    const out: Record<string, unknown> = {};
    if (status.active.length) out.active = status.active;
    if (status.lastScheduleTime) out.lastScheduleTime = status.lastScheduleTime;
    if (status.lastSuccessfulTime) out.lastSuccessfulTime = status.lastSuccessfulTime;
    store.mutate('cronjobs.batch', namespace, name, (o) => {
      const strip = (s: unknown) => JSON.stringify(s, (k, v: unknown) => (k === 'resourceVersion' ? undefined : v));
      if (strip(o.status ?? {}) === strip(out)) return undefined;
      o.status = out;
      return o;
    }, { status: true, fieldManager: 'kube-controller-manager' });
  }

  function createJob(cj: KubeObject, spec: CronJobSpec, at: Date, zone: string): KubeObject | undefined {
    const t = copyJson(spec.jobTemplate ?? {});
    const jobName = `${cj.metadata.name}-${Math.floor(at.getTime() / 60_000)}`;
    try {
      const job = store.create('jobs.batch', {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
          name: jobName,
          namespace: cj.metadata.namespace,
          ...(t.metadata?.labels ? { labels: t.metadata.labels } : {}),
          annotations: { ...(t.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP_ANNOTATION]: rfc3339In(at, zone) },
          ownerReferences: [ownerRefTo(cj)],
        },
        spec: t.spec ?? {},
      }, { fieldManager: 'kube-controller-manager' });
      events.record(SOURCE, cj, 'Normal', 'SuccessfulCreate', `Created job ${jobName}`);
      return job;
    } catch (err) {
      // made already (a restart of the controller): that time is done
      if ((err as { reason?: string }).reason === 'AlreadyExists') return store.get('jobs.batch', cj.metadata.namespace, jobName);
      events.record(SOURCE, cj, 'Warning', 'FailedCreate', `Error creating job: ${(err as Error).message}`);
      return undefined;
    }
  }

  return queueController('cronjob', queue, unwatch);
}
