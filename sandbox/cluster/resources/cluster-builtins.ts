// The remaining built-ins a 1.32 apiserver serves, each with its defaults and the validation
// learners meet first (messages as pkg/apis/<group>/validation words them): core/v1
// ReplicationControllers (scale, status; replicas 1, selector and labels from the template),
// PodTemplates, ComponentStatuses (read-only, deprecated since 1.19); policy/v1
// PodDisruptionBudgets; autoscaling/v2 HorizontalPodAutoscalers (minReplicas 1, an 80% CPU
// target when no metric is given); node.k8s.io/v1 RuntimeClasses; certificates.k8s.io/v1
// CertificateSigningRequests; admissionregistration.k8s.io/v1 webhook configurations (stored,
// never called); flowcontrol.apiserver.k8s.io/v1 FlowSchemas and PriorityLevelConfigurations.
import type { PodTemplate, ReplicationController } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2.js';
import type { RuntimeClass } from 'kubernetes-types/node/v1.js';
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import type { MutatingWebhookConfiguration, ValidatingWebhookConfiguration } from 'kubernetes-types/admissionregistration/v1.js';
import type { KubeObject } from '../contracts.ts';
import { conflict, fieldErr, notFound, type FieldError } from '../errors.ts';
import { defineResource, type Obj } from './define.ts';
import { defaultPodSpec, validatePodSpec } from './pod-spec.ts';
import { statusSub, type ResourceDef } from './types.ts';
import { isObject, validateLabels, validateObjectMeta } from './validation.ts';

const meta = (obj: Parameters<typeof validateObjectMeta>[0]) => validateObjectMeta(obj, 'subdomain');
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function defaultRC(obj: Obj<ReplicationController>): void {
  const s = (obj.spec ??= {});
  s.replicas ??= 1;
  s.minReadySeconds ??= 0;
  const t = s.template;
  if (isObject(t)) {
    t.metadata ??= {};
    (t.metadata as { creationTimestamp?: null }).creationTimestamp ??= null;
    t.spec ??= { containers: [] };
    defaultPodSpec(t.spec, false);
    const labels = t.metadata.labels;
    // SetDefaults_ReplicationController: the template's labels are the selector and the RC's labels when unset
    if (labels && Object.keys(labels).length) {
      if (!s.selector || Object.keys(s.selector).length === 0) s.selector = { ...labels };
      if (!obj.metadata.labels || Object.keys(obj.metadata.labels).length === 0) obj.metadata.labels = { ...labels };
    }
  }
}

function validateRC(obj: Obj<ReplicationController>): FieldError[] {
  const out = meta(obj);
  const s = obj.spec;
  if (!isObject(s)) return [...out, fieldErr.required('spec')];
  if (typeof s.replicas === 'number' && s.replicas < 0) out.push(fieldErr.invalid('spec.replicas', s.replicas, 'must be greater than or equal to 0'));
  const sel = s.selector ?? {};
  if (Object.keys(sel).length === 0) out.push(fieldErr.required('spec.selector'));
  const t = s.template;
  if (!isObject(t)) out.push(fieldErr.required('spec.template'));
  else {
    const labels = t.metadata?.labels ?? {};
    if (Object.keys(sel).length && !Object.entries(sel).every(([k, v]) => labels[k] === v))
      out.push(fieldErr.invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
    out.push(...validateLabels(t.metadata?.labels, 'spec.template.metadata.labels'));
    out.push(...validatePodSpec(t.spec, 'spec.template.spec'));
    if (t.spec?.restartPolicy && t.spec.restartPolicy !== 'Always')
      out.push(fieldErr.notSupported('spec.template.spec.restartPolicy', t.spec.restartPolicy, ['Always']));
  }
  return out;
}

export const replicationcontrollers = defineResource<ReplicationController>({
  group: '', version: 'v1', resource: 'replicationcontrollers', kind: 'ReplicationController', singular: 'replicationcontroller', namespaced: true,
  shortNames: ['rc'],
  categories: ['all'],
  hasGeneration: true,
  statusSubresource: true,
  subresources: [
    { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
    statusSub('ReplicationController'),
  ],
  scale: {
    selector: (o) => Object.entries(o.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(','),
  },
  prepareForCreate(obj) {
    defaultRC(obj);
    obj.status = { replicas: 0 };
  },
  prepareForUpdate: (obj) => defaultRC(obj),
  validate: (obj) => validateRC(obj),
  validateUpdate: (obj) => validateRC(obj),
});

export const podtemplates = defineResource<PodTemplate>({
  group: '', version: 'v1', resource: 'podtemplates', kind: 'PodTemplate', singular: 'podtemplate', namespaced: true,
  prepareForCreate(obj) {
    if (isObject(obj.template)) {
      obj.template.metadata ??= {};
      (obj.template.metadata as { creationTimestamp?: null }).creationTimestamp ??= null;
      obj.template.spec ??= { containers: [] };
      defaultPodSpec(obj.template.spec, false);
    }
  },
  validate(obj) {
    const out = meta(obj);
    if (!isObject(obj.template)) return out;
    out.push(...validateLabels(obj.template.metadata?.labels, 'template.metadata.labels'));
    out.push(...validatePodSpec(obj.template.spec, 'template.spec'));
    return out;
  },
});

/** deprecated in v1.19 and still served; what kube-apiserver's own health checks say of the scheduler, controller manager and etcd */
export const componentstatuses: ResourceDef = {
  group: '', version: 'v1', resource: 'componentstatuses', kind: 'ComponentStatus', singular: 'componentstatus', namespaced: false,
  shortNames: ['cs'],
  verbs: ['get', 'list'],
  deprecationWarning: 'v1 ComponentStatus is deprecated in v1.19+',
  validate: meta,
};

function validatePDB(obj: Obj<PodDisruptionBudget>): FieldError[] {
  const out = meta(obj);
  const s = obj.spec ?? {};
  if (s.minAvailable !== undefined && s.maxUnavailable !== undefined)
    out.push({ ...fieldErr.invalid('spec', null, 'minAvailable and maxUnavailable cannot be both set'), valueText: 'policy.PodDisruptionBudgetSpec{...}' });
  for (const f of ['minAvailable', 'maxUnavailable'] as const) {
    const v = s[f];
    if (typeof v === 'number' && v < 0) out.push(fieldErr.invalid(`spec.${f}`, v, 'must be greater than or equal to 0'));
    if (typeof v === 'string') {
      const m = /^(\d+)%$/.exec(v);
      if (!m) out.push(fieldErr.invalid(`spec.${f}`, v, 'a valid percent string must be a numeric string followed by an ending \'%\' (e.g. \'1%\',  or \'93%\', regex used for validation is \'[0-9]+%\')'));
      else if (Number(m[1]) > 100) out.push(fieldErr.invalid(`spec.${f}`, v, 'must not be greater than 100%'));
    }
  }
  const policies = ['AlwaysAllow', 'IfHealthyBudget'];
  if (s.unhealthyPodEvictionPolicy && !policies.includes(s.unhealthyPodEvictionPolicy))
    out.push(fieldErr.notSupported('spec.unhealthyPodEvictionPolicy', s.unhealthyPodEvictionPolicy, policies));
  return out;
}

export const poddisruptionbudgets = defineResource<PodDisruptionBudget>({
  group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', singular: 'poddisruptionbudget', namespaced: true,
  shortNames: ['pdb'],
  hasGeneration: true,
  statusSubresource: true,
  subresources: [statusSub('PodDisruptionBudget')],
  prepareForCreate(obj) {
    obj.spec ??= {};
    obj.status = { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 };
  },
  validate: (obj) => validatePDB(obj),
  validateUpdate: (obj) => validatePDB(obj),
});

function defaultHPA(obj: Obj<HorizontalPodAutoscaler>): void {
  const s = obj.spec;
  if (!isObject(s)) return;
  s.minReplicas ??= 1;
  if (!s.metrics || s.metrics.length === 0)
    s.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
}

function validateHPA(obj: Obj<HorizontalPodAutoscaler>): FieldError[] {
  const out = meta(obj);
  const s = obj.spec;
  if (!isObject(s)) return [...out, fieldErr.required('spec')];
  const ref = s.scaleTargetRef;
  if (!ref?.kind) out.push(fieldErr.required('spec.scaleTargetRef.kind'));
  if (!ref?.name) out.push(fieldErr.required('spec.scaleTargetRef.name'));
  if (typeof s.minReplicas === 'number' && s.minReplicas < 1) out.push(fieldErr.invalid('spec.minReplicas', s.minReplicas, 'must be greater than or equal to 1'));
  if (typeof s.maxReplicas !== 'number' || s.maxReplicas < 1) out.push(fieldErr.invalid('spec.maxReplicas', s.maxReplicas ?? 0, 'must be greater than 0'));
  else if (typeof s.minReplicas === 'number' && s.maxReplicas < s.minReplicas)
    out.push(fieldErr.invalid('spec.maxReplicas', s.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  return out;
}

export const horizontalpodautoscalers = defineResource<HorizontalPodAutoscaler>({
  group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', singular: 'horizontalpodautoscaler', namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  statusSubresource: true,
  subresources: [statusSub('HorizontalPodAutoscaler')],
  prepareForCreate(obj) {
    defaultHPA(obj);
    obj.status = { currentReplicas: 0, desiredReplicas: 0 };
  },
  prepareForUpdate: (obj) => defaultHPA(obj),
  validate: (obj) => validateHPA(obj),
  validateUpdate: (obj) => validateHPA(obj),
});

export const runtimeclasses = defineResource<RuntimeClass>({
  group: 'node.k8s.io', version: 'v1', resource: 'runtimeclasses', kind: 'RuntimeClass', singular: 'runtimeclass', namespaced: false,
  validate(obj) {
    const out = meta(obj);
    // NameIsDNSLabel: an empty handler fails the pattern too
    const handler = obj.handler ?? '';
    if (handler.length > 63) out.push(fieldErr.invalid('handler', handler, 'must be no more than 63 characters'));
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(handler))
      out.push(fieldErr.invalid('handler', handler, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"));
    return out;
  },
  validateUpdate(obj, old) {
    return obj.handler !== old.handler ? [fieldErr.immutable('handler', obj.handler)] : [];
  },
});

export const certificatesigningrequests = defineResource<CertificateSigningRequest>({
  group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests', kind: 'CertificateSigningRequest', singular: 'certificatesigningrequest',
  namespaced: false,
  shortNames: ['csr'],
  statusSubresource: true,
  subresources: [{ name: 'approval', kind: 'CertificateSigningRequest', verbs: ['get', 'patch', 'update'] }, statusSub('CertificateSigningRequest')],
  prepareForCreate(obj) {
    obj.status = {};
  },
  validate(obj) {
    const out = meta(obj);
    const s = obj.spec;
    if (!s?.request) out.push(fieldErr.required('spec.request'));
    if (!s?.signerName) out.push(fieldErr.required('spec.signerName'));
    if (typeof s?.expirationSeconds === 'number' && s.expirationSeconds < 600)
      out.push(fieldErr.invalid('spec.expirationSeconds', s.expirationSeconds, 'may not specify a duration less than 600 seconds (10 minutes)'));
    return out;
  },
  validateUpdate(obj, old) {
    return same(obj.spec, old.spec) ? [] : [fieldErr.immutable('spec', null)];
  },
});

type Webhooks = { webhooks?: Array<Record<string, unknown>> };

/** SetDefaults of admissionregistration/v1: every webhook's policy, scope and timeout */
function defaultWebhooks(obj: Webhooks, mutating: boolean): void {
  for (const w of obj.webhooks ?? []) {
    w.failurePolicy ??= 'Fail';
    w.matchPolicy ??= 'Equivalent';
    w.namespaceSelector ??= {};
    w.objectSelector ??= {};
    w.timeoutSeconds ??= 10;
    if (mutating) w.reinvocationPolicy ??= 'Never';
    for (const r of (w.rules ?? []) as Array<Record<string, unknown>>) r.scope ??= '*';
    const cc = w.clientConfig as { service?: Record<string, unknown> } | undefined;
    if (cc?.service) cc.service.port ??= 443;
  }
}

function validateWebhooks(obj: Webhooks & Parameters<typeof meta>[0]): FieldError[] {
  const out = meta(obj);
  (obj.webhooks ?? []).forEach((w, i) => {
    if (!w.name) out.push(fieldErr.required(`webhooks[${i}].name`));
    if (!w.sideEffects) out.push(fieldErr.required(`webhooks[${i}].sideEffects`, 'must specify one of None, NoneOnDryRun'));
    if (!Array.isArray(w.admissionReviewVersions) || w.admissionReviewVersions.length === 0)
      out.push(fieldErr.required(`webhooks[${i}].admissionReviewVersions`, 'must specify one of v1, v1beta1'));
    const cc = w.clientConfig as { url?: string; service?: unknown } | undefined;
    if (!cc || (!cc.url && !cc.service)) out.push(fieldErr.required(`webhooks[${i}].clientConfig`, 'exactly one of url or service is required'));
  });
  return out;
}

export const validatingwebhookconfigurations = defineResource<ValidatingWebhookConfiguration>({
  group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingwebhookconfigurations', kind: 'ValidatingWebhookConfiguration',
  singular: 'validatingwebhookconfiguration', namespaced: false, hasGeneration: true,
  prepareForCreate: (obj) => defaultWebhooks(obj as Webhooks, false),
  prepareForUpdate: (obj) => defaultWebhooks(obj as Webhooks, false),
  validate: (obj) => validateWebhooks(obj as Webhooks & typeof obj),
});

export const mutatingwebhookconfigurations = defineResource<MutatingWebhookConfiguration>({
  group: 'admissionregistration.k8s.io', version: 'v1', resource: 'mutatingwebhookconfigurations', kind: 'MutatingWebhookConfiguration',
  singular: 'mutatingwebhookconfiguration', namespaced: false, hasGeneration: true,
  prepareForCreate: (obj) => defaultWebhooks(obj as Webhooks, true),
  prepareForUpdate: (obj) => defaultWebhooks(obj as Webhooks, true),
  validate: (obj) => validateWebhooks(obj as Webhooks & typeof obj),
});

export const flowschemas: ResourceDef = {
  group: 'flowcontrol.apiserver.k8s.io', version: 'v1', resource: 'flowschemas', kind: 'FlowSchema', singular: 'flowschema', namespaced: false,
  hasGeneration: true,
  statusSubresource: true,
  subresources: [statusSub('FlowSchema')],
  validate(obj) {
    const out = meta(obj);
    const spec = obj.spec as { priorityLevelConfiguration?: { name?: string } } | undefined;
    if (!spec?.priorityLevelConfiguration?.name) out.push(fieldErr.required('spec.priorityLevelConfiguration.name', 'must reference a priority level'));
    return out;
  },
};

export const prioritylevelconfigurations: ResourceDef = {
  group: 'flowcontrol.apiserver.k8s.io', version: 'v1', resource: 'prioritylevelconfigurations', kind: 'PriorityLevelConfiguration',
  singular: 'prioritylevelconfiguration', namespaced: false,
  hasGeneration: true,
  statusSubresource: true,
  subresources: [statusSub('PriorityLevelConfiguration')],
  validate(obj) {
    const out = meta(obj);
    const types = ['Exempt', 'Limited'];
    const t = (obj.spec as { type?: string } | undefined)?.type;
    if (!t) out.push(fieldErr.required('spec.type', 'must be one of "Exempt", "Limited"'));
    else if (!types.includes(t)) out.push(fieldErr.notSupported('spec.type', t, types));
    return out;
  },
};

/** apps/v1: the revisions DaemonSets and StatefulSets keep (stored; `kubectl rollout history` reads them) */
export const controllerrevisions: ResourceDef = {
  group: 'apps', version: 'v1', resource: 'controllerrevisions', kind: 'ControllerRevision', singular: 'controllerrevision', namespaced: true,
  validate(obj) {
    const out = meta(obj);
    const rev = (obj as { revision?: unknown }).revision;
    if (typeof rev !== 'number' || rev < 0) out.push(fieldErr.invalid('revision', rev ?? 0, 'must be greater than or equal to 0'));
    return out;
  },
};

/** storage.k8s.io/v1: what a CSI driver publishes of its capacity per topology (stored) */
export const csistoragecapacities: ResourceDef = {
  group: 'storage.k8s.io', version: 'v1', resource: 'csistoragecapacities', kind: 'CSIStorageCapacity', singular: 'csistoragecapacity', namespaced: true,
  validate(obj) {
    const out = meta(obj);
    if (!(obj as { storageClassName?: string }).storageClassName) out.push(fieldErr.required('storageClassName'));
    return out;
  },
};

/** admissionregistration.k8s.io/v1 ValidatingAdmissionPolicies and their bindings: stored, never evaluated */
export const validatingadmissionpolicies: ResourceDef = {
  group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicies', kind: 'ValidatingAdmissionPolicy',
  singular: 'validatingadmissionpolicy', namespaced: false, hasGeneration: true, statusSubresource: true,
  subresources: [statusSub('ValidatingAdmissionPolicy')],
  prepareForCreate(obj) {
    const spec = (obj.spec ??= {}) as Record<string, unknown>;
    spec.failurePolicy ??= 'Fail';
    obj.status = {};
  },
  validate(obj) {
    const out = meta(obj);
    const v = (obj.spec as { validations?: unknown[]; auditAnnotations?: unknown[] } | undefined) ?? {};
    if (!v.validations?.length && !v.auditAnnotations?.length)
      out.push(fieldErr.required('spec.validations', 'validations or auditAnnotations must contain at least one item'));
    return out;
  },
};

export const validatingadmissionpolicybindings: ResourceDef = {
  group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicybindings', kind: 'ValidatingAdmissionPolicyBinding',
  singular: 'validatingadmissionpolicybinding', namespaced: false, hasGeneration: true,
  validate(obj) {
    const out = meta(obj);
    const s = (obj.spec as { policyName?: string; validationActions?: unknown[] } | undefined) ?? {};
    if (!s.policyName) out.push(fieldErr.required('spec.policyName'));
    if (!s.validationActions?.length) out.push(fieldErr.required('spec.validationActions'));
    return out;
  },
};

/**
 * apiregistration.k8s.io/v1: the aggregation layer's registrations (stored; the lab aggregates
 * nothing, and does not check that a name is version.group)
 */
export const apiservices: ResourceDef = {
  group: 'apiregistration.k8s.io', version: 'v1', resource: 'apiservices', kind: 'APIService', singular: 'apiservice', namespaced: false,
  statusSubresource: true,
  subresources: [statusSub('APIService')],
  validate: (obj) => validateObjectMeta(obj, 'path'),
};

interface V2Metric {
  type?: string;
  resource?: { name?: string; target?: { type?: string; averageUtilization?: number }; current?: { averageUtilization?: number } };
}
type HpaShape = KubeObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };

const isCpuUtilization = (m: V2Metric) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target?.type === 'Utilization';

/**
 * autoscaling/v1 HorizontalPodAutoscalers (what 1.32's `kubectl autoscale` creates), served on the
 * v2 objects as the apiserver converts them (pkg/apis/autoscaling/v1/conversion.go):
 * targetCPUUtilizationPercentage is the v2 CPU Utilization metric (none: v2's 80% default), and
 * currentCPUUtilizationPercentage the matching current metric. The other v2 metrics, behavior and
 * conditions, which v1 keeps in annotations, are left out of the v1 view.
 */
export const horizontalpodautoscalersV1: ResourceDef = {
  group: 'autoscaling', version: 'v1', resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', singular: 'horizontalpodautoscaler', namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  statusSubresource: true,
  subresources: [statusSub('HorizontalPodAutoscaler')],
  conversion: {
    toStorage(obj) {
      const o = obj as HpaShape;
      type V1Spec = { targetCPUUtilizationPercentage?: number } & Record<string, unknown>;
      const { targetCPUUtilizationPercentage: cpu, ...spec } = (o.spec ?? {}) as V1Spec;
      const st = (o.status ?? {}) as { currentCPUUtilizationPercentage?: number } & Record<string, unknown>;
      const { currentCPUUtilizationPercentage: currentCpu, ...status } = st;
      return {
        ...o,
        apiVersion: 'autoscaling/v2',
        spec: { ...spec, ...(typeof cpu === 'number' ? { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } }] } : {}) },
        ...(o.status
          ? { status: { ...status, ...(typeof currentCpu === 'number' ? { currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: currentCpu } } }] } : {}) } }
          : {}),
      } as KubeObject;
    },
    fromStorage(obj) {
      const o = obj as HpaShape;
      type V2Spec = { metrics?: V2Metric[]; behavior?: unknown } & Record<string, unknown>;
      type V2Status = { currentMetrics?: V2Metric[]; conditions?: unknown } & Record<string, unknown>;
      const { metrics, behavior: _behavior, ...spec } = (o.spec ?? {}) as V2Spec;
      const { currentMetrics, conditions: _conditions, ...status } = (o.status ?? {}) as V2Status;
      const cpu = (metrics ?? []).find(isCpuUtilization)?.resource?.target?.averageUtilization;
      const current = (currentMetrics ?? []).find((m) => m.type === 'Resource' && m.resource?.name === 'cpu')?.resource?.current?.averageUtilization;
      return {
        ...o,
        apiVersion: 'autoscaling/v1',
        spec: { ...spec, ...(cpu !== undefined ? { targetCPUUtilizationPercentage: cpu } : {}) },
        status: { ...status, ...(current !== undefined ? { currentCPUUtilizationPercentage: current } : {}) },
      } as KubeObject;
    },
  },
};

/**
 * core/v1 Bindings: what a scheduler posts to put a pod on a node (create only). The pod gets
 * spec.nodeName and its PodScheduled condition; one already on a node is a Conflict, as the
 * registry's assignPod answers it.
 */
export const bindings: ResourceDef = {
  group: '', version: 'v1', resource: 'bindings', kind: 'Binding', singular: 'binding', namespaced: true, verbs: ['create'],
  virtual(obj, _review, store) {
    const b = obj as KubeObject & { target?: { kind?: string; name?: string } };
    const ns = b.metadata.namespace;
    const name = b.metadata.name ?? '';
    const node = b.target?.name ?? '';
    const pod = store?.get('pods', ns, name);
    if (!pod) throw notFound({ group: '', resource: 'pods' }, name);
    const current = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (current) throw conflict({ group: '', resource: 'pods/binding' }, name, `pod ${name} is already assigned to node "${current}"`);
    store!.mutate('pods', ns, name, (p) => {
      (p.spec as { nodeName?: string }).nodeName = node;
      return p;
    }, { fieldManager: 'kube-scheduler' });
    store!.mutate('pods', ns, name, (p) => {
      const status = (p.status ?? {}) as { conditions?: Array<Record<string, unknown>> };
      const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
      conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') });
      p.status = { ...status, conditions };
      return p;
    }, { status: true, fieldManager: 'kube-scheduler' });
    return { ...b, metadata: { ...b.metadata, creationTimestamp: null as unknown as undefined } };
  },
  validate(obj) {
    const t = (obj as { target?: { kind?: string; name?: string } }).target;
    const out = meta(obj);
    if (!t?.name) out.push(fieldErr.required('target.name'));
    if (t?.kind && t.kind !== 'Node') out.push(fieldErr.notSupported('target.kind', t.kind, ['Node']));
    return out;
  },
};
