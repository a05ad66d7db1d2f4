// The Job controller (kube-controller-manager's pkg/controller/job, 1.32): pods `<job>-<suffix>`
// from the template with the `batch.kubernetes.io/job-tracking` finalizer, as many at a time as
// parallelism allows until completions succeed; a finished pod is first listed in
// status.uncountedTerminatedPods, loses its finalizer, then is counted in succeeded/failed. More
// failures than backoffLimit, or a run longer than activeDeadlineSeconds, set FailureTarget, end
// the active pods, then set Failed; enough successes set SuccessCriteriaMet then Complete with
// completionTime (1.32 writes the second condition once no pod is left running). suspend ends the
// active pods (condition Suspended). ttlSecondsAfterFinished deletes a finished Job (the
// ttl-after-finished controller). Between failures new pods wait 1 s, 2 s, 4 s ... up to 10 s:
// the real controller's back-off (10 s doubling up to 6 min) shortened for a lab.
import type { ClusterStore, KubeObject } from '../contracts.ts';
import { copyJson } from '../json-copy.ts';
import type { EventRecorder } from './events.ts';
import { controllerRef, isControlledBy } from './owners.ts';
import { createPodFromTemplate, type PodTemplate } from './pod-template.ts';
import { isActive, isReady, isTerminal, nowIso, podPhase } from './pod-status.ts';
import { nsKey, splitKey, WorkQueue } from './queue.ts';
import { selectorMatches, type LabelSelector } from './selector.ts';
import { queueController, type Controller } from './types.ts';

const SOURCE = { component: 'job-controller' };
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 10_000;

interface JobSpec {
  parallelism?: number;
  completions?: number | null;
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  ttlSecondsAfterFinished?: number;
  suspend?: boolean;
  selector?: LabelSelector;
  template?: PodTemplate;
}

interface Condition {
  type: string;
  status: string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

interface JobStatus {
  conditions?: Condition[];
  startTime?: string;
  completionTime?: string;
  active?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  uncountedTerminatedPods?: { succeeded?: string[]; failed?: string[] };
  ready?: number;
}

const hasCondition = (s: JobStatus, type: string) => (s.conditions ?? []).some((c) => c.type === type && c.status === 'True');

export function isJobFinished(job: KubeObject): boolean {
  const s = (job.status ?? {}) as JobStatus;
  return hasCondition(s, 'Complete') || hasCondition(s, 'Failed');
}

function condition(type: string, reason: string, message: string, status = 'True'): Condition {
  const now = nowIso();
  return { type, status, lastProbeTime: now, lastTransitionTime: now, reason, message };
}

export function startJobController(store: ClusterStore, events: EventRecorder): Controller {
  const queue = new WorkQueue({ name: 'job', reconcile });
  /** when each Job last counted a failed pod: the back-off before its next pod */
  const lastFailure = new Map<string, number>();
  const unwatch = [
    store.watch('jobs.batch', {}, (e) => {
      const key = nsKey(e.object.metadata.namespace, e.object.metadata.name);
      if (e.type === 'DELETED') lastFailure.delete(key);
      queue.add(key);
    }),
    store.watch('pods', {}, (e) => {
      const ref = controllerRef(e.object);
      if (ref?.kind === 'Job' && ref.apiVersion === 'batch/v1') queue.add(nsKey(e.object.metadata.namespace, ref.name));
    }),
  ];
  for (const j of store.list('jobs.batch', {}, true).items) queue.add(nsKey(j.metadata.namespace, j.metadata.name));

  function releasePods(pods: KubeObject[]): void {
    for (const p of pods) {
      if (!p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER)) continue;
      store.mutate('pods', p.metadata.namespace, p.metadata.name!, (o) => {
        if (!o.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER)) return undefined;
        const rest = o.metadata.finalizers.filter((f) => f !== JOB_TRACKING_FINALIZER);
        if (rest.length) o.metadata.finalizers = rest;
        else delete o.metadata.finalizers;
        return o;
      }, { fieldManager: 'kube-controller-manager' });
    }
  }

  function deletePod(job: KubeObject, pod: KubeObject): void {
    try {
      store.delete('pods', pod.metadata.namespace, pod.metadata.name!, { propagationPolicy: 'Background' });
      events.record(SOURCE, job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    } catch (err) {
      if ((err as { reason?: string }).reason !== 'NotFound') throw err;
    }
  }

  function writeStatus(namespace: string, name: string, status: JobStatus): void {
    // the order of batch/v1 JobStatus's fields, as the apiserver serializes them
    const ordered: Record<string, unknown> = {};
    for (const k of ['conditions', 'startTime', 'completionTime', 'active', 'succeeded', 'failed', 'terminating', 'uncountedTerminatedPods', 'ready'] as const) {
      const v = status[k];
      if (v === undefined || ((k === 'active' || k === 'succeeded' || k === 'failed') && v === 0)) continue;
      if (k === 'conditions' && (v as Condition[]).length === 0) continue;
      ordered[k] = v;
    }
    store.mutate('jobs.batch', namespace, name, (o) => {
      if (JSON.stringify(o.status ?? {}) === JSON.stringify(ordered)) return undefined;
      o.status = ordered;
      return o;
    }, { status: true, fieldManager: 'kube-controller-manager' });
  }

  function reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const job = store.get('jobs.batch', namespace, name);
    const owned = store.list('pods', { namespace }).items.filter((p) => {
      const ref = controllerRef(p);
      return ref?.kind === 'Job' && ref.name === name;
    });
    if (!job || job.metadata.deletionTimestamp) {
      // the Job is gone or going: its pods keep no finalizer of it (the garbage collector deletes them)
      releasePods(owned.filter((p) => !job || isControlledBy(p, job)));
      return;
    }
    const spec = (job.spec ?? {}) as JobSpec;
    const pods = owned.filter((p) => isControlledBy(p, job) && selectorMatches(spec.selector, p.metadata.labels));
    const status = copyJson((job.status ?? {}) as JobStatus);
    status.succeeded ??= 0;
    status.failed ??= 0;

    // finished pods not yet counted: uncountedTerminatedPods, finalizer off, then the counters
    const tracked = pods.filter((p) => p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER));
    const doneOk = tracked.filter((p) => podPhase(p) === 'Succeeded');
    const doneFailed = tracked.filter((p) => podPhase(p) === 'Failed' || (p.metadata.deletionTimestamp && !isTerminal(p)));
    if (doneOk.length + doneFailed.length > 0) {
      status.uncountedTerminatedPods = {
        ...(doneOk.length ? { succeeded: doneOk.map((p) => p.metadata.uid!) } : {}),
        ...(doneFailed.length ? { failed: doneFailed.map((p) => p.metadata.uid!) } : {}),
      };
      writeStatus(namespace, name, status);
      releasePods([...doneOk, ...doneFailed]);
      status.succeeded += doneOk.length;
      status.failed += doneFailed.length;
      if (doneFailed.length) lastFailure.set(key, Date.now());
    }
    status.uncountedTerminatedPods = {};

    const active = pods.filter(isActive);
    const terminating = pods.filter((p) => p.metadata.deletionTimestamp && !isTerminal(p));
    const finish = (s: JobStatus) => {
      s.active = active.length;
      s.ready = active.filter(isReady).length;
      s.terminating = terminating.length;
      writeStatus(namespace, name, s);
    };

    if (isJobFinished(job)) {
      finish(status);
      expireAfterFinished(job, status, key);
      return;
    }

    const suspended = spec.suspend === true;
    const conds = (status.conditions ??= []);
    if (!suspended && !status.startTime) status.startTime = nowIso();

    let target = conds.find((c) => (c.type === 'FailureTarget' || c.type === 'SuccessCriteriaMet') && c.status === 'True');
    if (!target) {
      const completions = spec.completions ?? null;
      const deadline = spec.activeDeadlineSeconds;
      const started = status.startTime ? Date.parse(status.startTime) : undefined;
      if (status.failed > (spec.backoffLimit ?? 6)) {
        target = condition('FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
        events.record(SOURCE, job, 'Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
      } else if (!suspended && deadline !== undefined && started !== undefined && Date.now() - started >= deadline * 1000) {
        target = condition('FailureTarget', 'DeadlineExceeded', 'Job was active longer than specified deadline');
        events.record(SOURCE, job, 'Warning', 'DeadlineExceeded', 'Job was active longer than specified deadline');
      } else if (completions !== null ? status.succeeded >= completions : status.succeeded > 0 && active.length === 0) {
        target = condition('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods');
      }
      if (target) conds.push(target);
      else if (!suspended && deadline !== undefined && started !== undefined)
        queue.addAfter(key, started + deadline * 1000 - Date.now() + 10);
    }

    if (target) {
      for (const p of active) deletePod(job, p);
      if (active.length === 0 && terminating.length === 0) {
        const final = target.type === 'FailureTarget' ? 'Failed' : 'Complete';
        conds.push(condition(final, target.reason!, target.message!));
        if (final === 'Complete') {
          status.completionTime = nowIso();
          events.record(SOURCE, job, 'Normal', 'Completed', 'Job completed');
        }
        active.length = 0;
        finish(status);
        expireAfterFinished(job, status, key);
        return;
      }
      active.length = 0;
      finish(status);
      return;
    }

    const suspendedCond = conds.find((c) => c.type === 'Suspended');
    if (suspended) {
      for (const p of active) deletePod(job, p);
      active.length = 0;
      if (suspendedCond?.status !== 'True') {
        const c = condition('Suspended', 'JobSuspended', 'Job suspended');
        if (suspendedCond) Object.assign(suspendedCond, c);
        else conds.push(c);
        events.record(SOURCE, job, 'Normal', 'Suspended', 'Job suspended');
      }
      finish(status);
      return;
    }
    if (suspendedCond?.status === 'True') {
      Object.assign(suspendedCond, condition('Suspended', 'JobResumed', 'Job resumed', 'False'));
      events.record(SOURCE, job, 'Normal', 'Resumed', 'Job resumed');
    }

    const parallelism = spec.parallelism ?? 1;
    const want = spec.completions !== undefined && spec.completions !== null
      ? Math.max(0, Math.min(parallelism, spec.completions - status.succeeded))
      : status.succeeded > 0 ? active.length : parallelism;
    if (active.length < want) {
      const failedAt = lastFailure.get(key);
      const wait = failedAt === undefined || status.failed === 0
        ? 0
        : Math.min(BACKOFF_BASE_MS * 2 ** (status.failed - 1), BACKOFF_MAX_MS) - (Date.now() - failedAt);
      if (wait > 0) queue.addAfter(key, wait);
      else
        for (let i = active.length; i < want; i++)
          active.push(createPodFromTemplate(store, events, SOURCE, job, spec.template, {}, [JOB_TRACKING_FINALIZER]));
    } else if (active.length > want) {
      const extra = [...active].sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '')).slice(0, active.length - want);
      for (const p of extra) {
        deletePod(job, p);
        active.splice(active.indexOf(p), 1);
      }
    }
    finish(status);
  }

  /** the ttl-after-finished controller: a finished Job goes ttlSecondsAfterFinished after it finished */
  function expireAfterFinished(job: KubeObject, status: JobStatus, key: string): void {
    const ttl = (job.spec as JobSpec | undefined)?.ttlSecondsAfterFinished;
    if (ttl === undefined || ttl === null) return;
    const finished = (status.conditions ?? []).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
    const at = Date.parse(status.completionTime ?? finished?.lastTransitionTime ?? '') + ttl * 1000;
    if (Number.isNaN(at)) return;
    if (Date.now() < at) {
      queue.addAfter(key, at - Date.now() + 10);
      return;
    }
    try {
      store.delete('jobs.batch', job.metadata.namespace, job.metadata.name!, { propagationPolicy: 'Background' });
    } catch (err) {
      if ((err as { reason?: string }).reason !== 'NotFound') throw err;
    }
  }

  return queueController('job', queue, unwatch);
}
