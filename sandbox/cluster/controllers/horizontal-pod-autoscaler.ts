// kube-controller-manager's horizontal-pod-autoscaler on a cluster without metrics-server (the
// lab serves no metrics.k8s.io): every 15 s (its --horizontal-pod-autoscaler-sync-period) each
// HPA reads its target's scale, keeps the replicas within minReplicas..maxReplicas (that needs no
// metrics, so it happens), and otherwise fails to fetch metrics exactly as the real controller
// does then: status.currentReplicas set and desiredReplicas left, conditions AbleToScale
// True/SucceededGetScale and ScalingActive False/FailedGetResourceMetric, Warning events
// FailedGetResourceMetric and FailedComputeMetricsReplicas. `kubectl get hpa` shows
// `cpu: <unknown>/80%`. A target that does not exist gives FailedGetScale.
import type { ClusterStore, KubeObject } from '../contracts.ts';
import type { EventRecorder } from './events.ts';
import { nsKey, splitKey, WorkQueue } from './queue.ts';
import { queueController, type Controller } from './types.ts';

const HPA = 'horizontalpodautoscalers.autoscaling';
const SOURCE = { component: 'horizontal-pod-autoscaler' };
const SYNC_MS = 15_000;

/** the scalable kinds kubectl autoscale targets, by kind */
const TARGETS: Record<string, { resource: string; group: string; plural: string }> = {
  Deployment: { resource: 'deployments.apps', group: 'apps', plural: 'deployments' },
  ReplicaSet: { resource: 'replicasets.apps', group: 'apps', plural: 'replicasets' },
  StatefulSet: { resource: 'statefulsets.apps', group: 'apps', plural: 'statefulsets' },
  ReplicationController: { resource: 'replicationcontrollers', group: '', plural: 'replicationcontrollers' },
};

interface MetricSpec {
  type?: string;
  resource?: { name?: string; target?: { type?: string } };
  containerResource?: { name?: string };
  pods?: { metric?: { name?: string } };
  object?: { metric?: { name?: string } };
  external?: { metric?: { name?: string } };
}
type Hpa = KubeObject & {
  spec?: { scaleTargetRef?: { kind?: string; name?: string }; minReplicas?: number; maxReplicas?: number; metrics?: MetricSpec[] };
  status?: Record<string, unknown> & { conditions?: Condition[] };
};
interface Condition { type: string; status: string; reason: string; message: string; lastTransitionTime?: string }

const NO_METRICS_API = 'the server could not find the requested resource';

/** what fetching one metric says when metrics.k8s.io and custom.metrics.k8s.io are not served */
function metricFailure(m: MetricSpec): { reason: string; error: string; valueError: string } {
  switch (m.type) {
    case 'Resource':
    case 'ContainerResource': {
      const name = m.resource?.name ?? m.containerResource?.name ?? 'cpu';
      const util = m.resource?.target?.type !== 'AverageValue';
      const what = util ? `${name} utilization` : `${name} usage`;
      const error = `failed to get ${what}: unable to get metrics for resource ${name}: unable to fetch metrics from resource metrics API: ${NO_METRICS_API} (get pods.metrics.k8s.io)`;
      return { reason: m.type === 'Resource' ? 'FailedGetResourceMetric' : 'FailedGetContainerResourceMetric', error, valueError: `failed to get ${name} resource metric value: ${error}` };
    }
    case 'Pods': {
      const name = m.pods?.metric?.name ?? '';
      const error = `unable to get metric ${name}: unable to fetch metrics from custom metrics API: ${NO_METRICS_API} (get pods.custom.metrics.k8s.io *)`;
      return { reason: 'FailedGetPodsMetric', error, valueError: `failed to get pods metric value: ${error}` };
    }
    case 'Object': {
      const name = m.object?.metric?.name ?? '';
      const error = `unable to get metric ${name}: unable to fetch metrics from custom metrics API: ${NO_METRICS_API}`;
      return { reason: 'FailedGetObjectMetric', error, valueError: `failed to get object metric value: ${error}` };
    }
    default: {
      const name = m.external?.metric?.name ?? '';
      const error = `unable to get external metric ${name}: unable to fetch metrics from external metrics API: ${NO_METRICS_API}`;
      return { reason: 'FailedGetExternalMetric', error, valueError: `failed to get external metric value: ${error}` };
    }
  }
}

export function startHorizontalPodAutoscalerController(store: ClusterStore, events: EventRecorder): Controller {
  const queue = new WorkQueue({ name: 'horizontal-pod-autoscaler', reconcile });
  const unwatch = [
    store.watch(HPA, {}, (e) => {
      if (e.type === 'ADDED') queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name));
    }),
  ];
  for (const h of store.list(HPA, {}, true).items) queue.add(nsKey(h.metadata.namespace, h.metadata.name));

  function reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const hpa = store.get(HPA, namespace, name) as Hpa | undefined;
    if (!hpa || hpa.metadata.deletionTimestamp) return;
    queue.addAfter(key, SYNC_MS);
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const ref = hpa.spec?.scaleTargetRef ?? {};
    const target = TARGETS[ref.kind ?? ''];
    const obj = target ? store.get(target.resource, namespace, ref.name ?? '') : undefined;
    if (!obj) {
      const gr = target ? `${target.plural}/scale${target.group ? `.${target.group}` : ''}` : `${(ref.kind ?? '').toLowerCase()}s/scale`;
      const msg = `${gr} "${ref.name}" not found`;
      events.record(SOURCE, hpa, 'Warning', 'FailedGetScale', msg);
      setStatus(hpa, { currentReplicas: 0 }, [{ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: ${msg}` }], now);
      return;
    }
    const current = Number((obj.spec as { replicas?: number } | undefined)?.replicas ?? 1);
    const min = hpa.spec?.minReplicas ?? 1;
    const max = hpa.spec?.maxReplicas ?? min;
    const able: Condition = { type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: "the HPA controller was able to get the target's current scale" };
    if (current === 0 && min !== 0) {
      setStatus(hpa, { currentReplicas: 0, desiredReplicas: 0 }, [able, { type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' }], now);
      return;
    }
    const clamp = current > max ? { to: max, why: 'Current number of replicas above Spec.MaxReplicas', limit: 'TooManyReplicas', limitMsg: 'the desired replica count is more than the maximum replica count' }
      : current < min ? { to: min, why: 'Current number of replicas below Spec.MinReplicas', limit: 'TooFewReplicas', limitMsg: 'the desired replica count is less than the minimum replica count' }
        : undefined;
    if (clamp) {
      store.mutate(target!.resource, namespace, ref.name!, (o) => {
        (o.spec as { replicas?: number }).replicas = clamp.to;
        return o;
      }, { fieldManager: 'kube-controller-manager' });
      events.record(SOURCE, hpa, 'Normal', 'SuccessfulRescale', `New size: ${clamp.to}; reason: ${clamp.why}`);
      setStatus(hpa, { currentReplicas: current, desiredReplicas: clamp.to, lastScaleTime: now }, [
        { ...able, reason: 'SucceededRescale', message: 'the HPA controller was able to update the target scale to ' + clamp.to },
        { type: 'ScalingActive', status: 'True', reason: 'ScalingActive', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization' },
        { type: 'ScalingLimited', status: 'True', reason: clamp.limit, message: clamp.limitMsg },
      ], now, false);
      return;
    }
    const metrics = hpa.spec?.metrics ?? [];
    const failures = metrics.map(metricFailure);
    for (const f of failures) events.record(SOURCE, hpa, 'Warning', f.reason, f.error);
    const first = failures[0];
    if (first)
      events.record(SOURCE, hpa, 'Warning', 'FailedComputeMetricsReplicas',
        `invalid metrics (${failures.length} invalid out of ${metrics.length}), first error is: ${first.valueError}`);
    setStatus(hpa, { currentReplicas: current, currentMetrics: metrics.map(() => ({ type: '' })) }, [
      able,
      { type: 'ScalingActive', status: 'False', reason: first?.reason ?? 'FailedGetResourceMetric', message: `the HPA was unable to compute the replica count: ${first?.error ?? ''}` },
    ], now);
  }

  /** status fields and conditions; a condition's lastTransitionTime moves only when its status does */
  function setStatus(hpa: Hpa, fields: Record<string, unknown>, conditions: Condition[], now: string, keepDesired = true): void {
    store.mutate(HPA, hpa.metadata.namespace, hpa.metadata.name!, (o) => {
      const h = o as Hpa;
      const old = h.status ?? {};
      const next: Record<string, unknown> = { ...old, ...fields };
      if (keepDesired) next.desiredReplicas = old.desiredReplicas ?? 0;
      if (!('currentMetrics' in fields)) delete next.currentMetrics;
      next.conditions = conditions.map((c) => {
        const before = (old.conditions ?? []).find((x) => x.type === c.type);
        const lastTransitionTime = before && before.status === c.status ? before.lastTransitionTime : now;
        return { type: c.type, status: c.status, lastTransitionTime, reason: c.reason, message: c.message };
      });
      h.status = next;
      return h;
    }, { status: true, fieldManager: 'kube-controller-manager' });
  }

  return queueController('horizontal-pod-autoscaler', queue, unwatch);
}
