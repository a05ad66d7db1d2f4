// Deployment controller: one ReplicaSet per pod template (named <deployment>-<pod-template-hash>),
// rolling or recreating between them, revision annotations, and the status and conditions that
// `kubectl rollout status` reads.
import type { ClusterStore, KubeObject } from '../contracts.ts';
import { EventRecorder } from './events.ts';
import { podTemplateHash, type HashStyle } from './names.ts';
import { controllerRef, isControlledBy, ownerRefTo } from './owners.ts';
import { nowIso } from './pod-status.ts';
import { nsKey, splitKey, WorkQueue } from './queue.ts';
import { nextNewReplicas, shrinkOld, surgeAndUnavailable, type RsCounts } from './rollout-math.ts';
import type { LabelSelector } from './selector.ts';
import { queueController, type Controller } from './types.ts';
import { copyJson } from '../json-copy.ts';

const SOURCE = { component: 'deployment-controller' };
const REVISION = 'deployment.kubernetes.io/revision';
const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX = 'deployment.kubernetes.io/max-replicas';
const HASH = 'pod-template-hash';

interface DeploymentSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: unknown };
  strategy?: { type?: 'RollingUpdate' | 'Recreate'; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
  progressDeadlineSeconds?: number;
}

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

export function startDeploymentController(store: ClusterStore, events: EventRecorder, hashStyle: HashStyle = 'decimal'): Controller {
  const queue = new WorkQueue({ name: 'deployment', reconcile });
  const unwatch = [
    store.watch('deployments.apps', {}, (e) => queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name)), true),
    store.watch('replicasets.apps', {}, (e) => {
      const ref = controllerRef(e.object);
      if (ref?.kind === 'Deployment') queue.add(nsKey(e.object.metadata.namespace, ref.name));
    }),
  ];
  for (const d of store.list('deployments.apps', {}, true).items) queue.add(nsKey(d.metadata.namespace, d.metadata.name));

  function reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const d = store.get('deployments.apps', namespace, name);
    if (!d || d.metadata.deletionTimestamp) return;
    const spec = (d.spec ?? {}) as DeploymentSpec;
    const desired = spec.replicas ?? 1;
    const owned = store.list('replicasets.apps', { namespace }).items.filter((rs) => isControlledBy(rs, d));
    const status = (d.status ?? {}) as { collisionCount?: number };
    const hash = podTemplateHash(spec.template, status.collisionCount ?? 0, hashStyle);
    const labelled = (h: string) => owned.find((rs) => rs.metadata.labels?.[HASH] === h);
    // a ReplicaSet made before the style changed (a state dir from an older lab) is still the current one
    let newRs = labelled(hash) ?? labelled(podTemplateHash(spec.template, status.collisionCount ?? 0, hashStyle === 'encoded' ? 'decimal' : 'encoded'));
    const old = owned.filter((rs) => rs !== newRs).sort(byAge);
    const maxRevision = Math.max(0, ...owned.map(revisionOf));
    let created = false;
    const { surge, unavailable } = surgeAndUnavailable(
      desired,
      spec.strategy?.rollingUpdate?.maxSurge,
      spec.strategy?.rollingUpdate?.maxUnavailable,
    );
    const recreate = spec.strategy?.type === 'Recreate';

    if (!newRs && !spec.paused) {
      const counts = owned.map(counts0);
      const first = recreate
        ? old.some((rs) => replicasOf(rs) > 0 || statusOf(rs).replicas > 0) ? 0 : desired
        : nextNewReplicas(desired, surge, { name: '', replicas: 0, available: 0 }, counts);
      newRs = createReplicaSet(d, spec, hash, maxRevision + 1, first, desired + (recreate ? 0 : surge));
      if (!newRs) return; // hash collision: the status write re-queues us with a new collisionCount
      created = true;
      if (first > 0) events.record(SOURCE, d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${newRs.metadata.name} to ${first}`);
    } else if (newRs && revisionOf(newRs) < maxRevision) {
      // rolling back to an older template makes its ReplicaSet the newest revision again
      newRs = store.mutate('replicasets.apps', namespace, newRs.metadata.name!, (rs) => {
        rs.metadata.annotations = { ...rs.metadata.annotations, [REVISION]: String(maxRevision + 1) };
        return rs;
      }) ?? newRs;
    }

    if (newRs && !spec.paused) {
      const liveOld = old.filter((rs) => replicasOf(rs) > 0);
      if (liveOld.length === 0 || recreate) {
        if (recreate) for (const rs of liveOld) scale(d, rs, 0);
        const oldPodsGone = old.every((rs) => statusOf(rs).replicas === 0 && replicasOf(rs) === 0);
        if (!recreate || oldPodsGone) scale(d, newRs, desired);
      } else {
        const nr = counts0(newRs);
        const next = nextNewReplicas(desired, surge, nr, [nr, ...old.map(counts0)]);
        if (next !== nr.replicas) scale(d, newRs, next);
        const shrink = shrinkOld(desired, unavailable, { ...nr, replicas: next }, old.map(counts0));
        for (const rs of old) if (shrink.has(rs.metadata.name!)) scale(d, rs, shrink.get(rs.metadata.name!)!);
      }
      pruneHistory(spec.revisionHistoryLimit ?? 10, old);
      syncRevision(d, revisionOf(newRs));
    }
    writeStatus(d, spec, newRs, created, unavailable);
  }

  function createReplicaSet(
    d: KubeObject,
    spec: DeploymentSpec,
    hash: string,
    revision: number,
    replicas: number,
    max: number,
  ): KubeObject | undefined {
    const template = copyJson(spec.template ?? {});
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [HASH]: hash } };
    const rsName = `${d.metadata.name}-${hash}`;
    try {
      return store.create(
        'replicasets.apps',
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: {
            name: rsName,
            namespace: d.metadata.namespace,
            labels: template.metadata.labels,
            annotations: { [DESIRED]: String(spec.replicas ?? 1), [MAX]: String(max), [REVISION]: String(revision) },
            ownerReferences: [ownerRefTo(d)],
          },
          spec: {
            replicas,
            minReadySeconds: spec.minReadySeconds ?? 0,
            selector: { ...spec.selector, matchLabels: { ...spec.selector?.matchLabels, [HASH]: hash } },
            template,
          },
        },
        { fieldManager: 'kube-controller-manager' },
      );
    } catch (err) {
      if ((err as { reason?: string }).reason !== 'AlreadyExists') throw err;
      const existing = store.get('replicasets.apps', d.metadata.namespace, rsName);
      if (existing && isControlledBy(existing, d)) return existing;
      store.mutate(
        'deployments.apps',
        d.metadata.namespace,
        d.metadata.name!,
        (o) => {
          const s = (o.status ?? {}) as { collisionCount?: number };
          o.status = { ...s, collisionCount: (s.collisionCount ?? 0) + 1 };
          return o;
        },
        { status: true },
      );
      return undefined;
    }
  }

  function scale(d: KubeObject, rs: KubeObject, to: number): void {
    const from = replicasOf(rs);
    if (from === to) return;
    store.mutate('replicasets.apps', rs.metadata.namespace, rs.metadata.name!, (o) => {
      (o.spec as { replicas?: number }).replicas = to;
      o.metadata.annotations = { ...o.metadata.annotations, [DESIRED]: String((d.spec as DeploymentSpec).replicas ?? 1) };
      return o;
    });
    (rs.spec as { replicas?: number }).replicas = to;
    const verb = to > from ? 'up' : 'down';
    const tail = from > 0 ? ` from ${from}` : '';
    events.record(SOURCE, d, 'Normal', 'ScalingReplicaSet', `Scaled ${verb} replica set ${rs.metadata.name} to ${to}${tail}`);
  }

  function pruneHistory(limit: number, old: KubeObject[]): void {
    const idle = old.filter((rs) => replicasOf(rs) === 0 && statusOf(rs).replicas === 0).sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
      try {
        store.delete('replicasets.apps', rs.metadata.namespace, rs.metadata.name!, { propagationPolicy: 'Background' });
      } catch (err) {
        if ((err as { reason?: string }).reason !== 'NotFound') throw err;
      }
    }
  }

  function syncRevision(d: KubeObject, revision: number): void {
    if (d.metadata.annotations?.[REVISION] === String(revision)) return;
    store.mutate('deployments.apps', d.metadata.namespace, d.metadata.name!, (o) => {
      if (o.metadata.annotations?.[REVISION] === String(revision)) return undefined;
      o.metadata.annotations = { ...o.metadata.annotations, [REVISION]: String(revision) };
      return o;
    });
  }

  function writeStatus(d: KubeObject, spec: DeploymentSpec, newRs: KubeObject | undefined, created: boolean, unavailable: number): void {
    const desired = spec.replicas ?? 1;
    const all = store.list('replicasets.apps', { namespace: d.metadata.namespace }).items.filter((rs) => isControlledBy(rs, d));
    const fresh = newRs ? all.find((rs) => rs.metadata.name === newRs.metadata.name) : undefined;
    const sum = (f: (s: RsStatus) => number) => all.reduce((n, rs) => n + f(statusOf(rs)), 0);
    const replicas = sum((s) => s.replicas);
    const available = sum((s) => s.availableReplicas);
    const counts = {
      observedGeneration: d.metadata.generation ?? 1,
      replicas,
      updatedReplicas: fresh ? statusOf(fresh).replicas : 0,
      readyReplicas: sum((s) => s.readyReplicas),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, desired - available),
    };
    const now = nowIso();
    const availableCond: Condition = available >= desired - unavailable
      ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
      : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' };
    const complete =
      fresh && counts.updatedReplicas === desired && available >= desired && replicas === desired && replicasOf(fresh) === desired;
    const rsName = fresh?.metadata.name ?? '';
    const progressing: Condition | undefined = !fresh
      ? undefined
      : complete
        ? { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsName}" has successfully progressed.` }
        : created
          ? { type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${rsName}"` }
          : { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.` };
    store.mutate('deployments.apps', d.metadata.namespace, d.metadata.name!, (o) => {
      const old = (o.status ?? {}) as Record<string, unknown> & { conditions?: Condition[] };
      const moved = created || (['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas'] as const).some((k) => ((old[k] as number) ?? 0) !== counts[k]);
      const next0 =
        progressing && !complete ? checkDeadline(old.conditions ?? [], progressing, moved, spec.progressDeadlineSeconds, d) : progressing;
      const conditions = mergeConditions(old.conditions ?? [], [availableCond, ...(next0 ? [next0] : [])], now, moved);
      const next: Record<string, unknown> = { ...old, ...counts, conditions };
      for (const k of ['readyReplicas', 'availableReplicas', 'unavailableReplicas', 'updatedReplicas', 'replicas'])
        if (next[k] === 0) delete next[k];
      if (JSON.stringify(next) === JSON.stringify(old)) return undefined;
      o.status = next;
      return o;
    }, { status: true });
  }

  /**
   * A rollout that has made no progress (no replica count moved) for progressDeadlineSeconds is
   * marked ProgressDeadlineExceeded, which `kubectl rollout status` reports as an error.
   */
  function checkDeadline(
    old: Condition[],
    progressing: Condition,
    moved: boolean,
    deadlineSeconds: number | undefined,
    d: KubeObject,
  ): Condition {
    const deadline = (deadlineSeconds ?? 600) * 1000;
    const prev = old.find((c) => c.type === 'Progressing');
    if (prev?.reason === 'ProgressDeadlineExceeded' && !moved) return prev;
    if (moved || !prev?.lastUpdateTime) {
      queue.addAfter(nsKey(d.metadata.namespace, d.metadata.name), deadline + 50);
      return progressing;
    }
    const idle = Date.now() - Date.parse(prev.lastUpdateTime);
    if (idle < deadline) {
      queue.addAfter(nsKey(d.metadata.namespace, d.metadata.name), deadline - idle + 50);
      return { ...progressing, reason: prev.reason, message: prev.message };
    }
    const rsName = /"([^"]+)"/.exec(progressing.message)?.[1] ?? '';
    return {
      type: 'Progressing',
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "${rsName}" has timed out progressing.`,
    };
  }

  return queueController('deployment', queue, unwatch);
}

interface RsStatus {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
}

function statusOf(rs: KubeObject): RsStatus {
  const s = (rs.status ?? {}) as Partial<RsStatus>;
  return { replicas: s.replicas ?? 0, readyReplicas: s.readyReplicas ?? 0, availableReplicas: s.availableReplicas ?? 0 };
}

function replicasOf(rs: KubeObject): number {
  return (rs.spec as { replicas?: number } | undefined)?.replicas ?? 0;
}

function revisionOf(rs: KubeObject): number {
  return Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0;
}

function counts0(rs: KubeObject): RsCounts {
  return { name: rs.metadata.name!, replicas: replicasOf(rs), available: statusOf(rs).availableReplicas };
}

function byAge(a: KubeObject, b: KubeObject): number {
  return revisionOf(a) - revisionOf(b) || (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '');
}

// A condition's lastTransitionTime moves only when its status flips; lastUpdateTime when it
// changes, and for Progressing also whenever the rollout moved (the deadline counts from there).
function mergeConditions(old: Condition[], next: Condition[], now: string, moved: boolean): Condition[] {
  return next.map((c) => {
    const prev = old.find((o) => o.type === c.type);
    const same = prev && prev.status === c.status && prev.reason === c.reason && prev.message === c.message && !(moved && c.type === 'Progressing');
    return {
      ...c,
      lastUpdateTime: same ? prev.lastUpdateTime ?? now : now,
      lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime ?? now : now,
    };
  });
}
