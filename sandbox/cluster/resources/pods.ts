import { fieldErr } from '../errors.ts';
import { defaultEphemeralContainers, defaultPodSpec, validatePodSpec } from './pod-spec.ts';
import type { Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { statusSub } from './types.ts';
import { defineResource } from './define.ts';
import { validateObjectMeta } from './validation.ts';
import { copyJson } from '../json-copy.ts';
import { admitServiceAccount } from './service-account-admission.ts';
import { admitPodPriority } from './priorityclasses.ts';
import { admitLimitRanges } from './limit-ranger.ts';

/** the only spec fields a pod update may change (besides setting nodeName once, which binding does) */
const MUTABLE_MESSAGE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function withoutMutable(spec: PodSpec | undefined): string {
  const s = copyJson<Partial<PodSpec>>(spec ?? {});
  for (const c of [...(s.containers ?? []), ...(s.initContainers ?? [])]) delete c.image;
  delete s.activeDeadlineSeconds;
  delete s.tolerations;
  delete s.terminationGracePeriodSeconds;
  delete s.nodeName;
  delete s.ephemeralContainers;
  return JSON.stringify(s);
}

/**
 * Ephemeral containers are added through pods/ephemeralcontainers only, and never changed or
 * removed there (pkg/registry/core/pod/strategy.go's dropNonEphemeralContainerUpdates keeps the
 * rest of the pod as stored; validation.go's ValidatePodEphemeralContainersUpdate).
 */
function validateEphemeralUpdate(obj: Pod, old: Pod): ReturnType<typeof fieldErr.forbidden>[] {
  const errs = [];
  const now = obj.spec?.ephemeralContainers ?? [];
  for (const [i, before] of (old.spec?.ephemeralContainers ?? []).entries()) {
    const after = now.find((c) => c.name === before.name);
    if (!after) errs.push(fieldErr.forbidden('spec.ephemeralContainers', `existing ephemeral containers "${before.name}" may not be removed`));
    else if (JSON.stringify(after) !== JSON.stringify(before))
      errs.push(fieldErr.forbidden(`spec.ephemeralContainers[${i}]`, `existing ephemeral containers "${before.name}" may not be changed`));
  }
  return errs;
}

export const pods = defineResource<Pod>({
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  statusSubresource: true,
  gracefulDelete: true,
  subresources: [
    { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
    { name: 'ephemeralcontainers', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
    { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
    { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
    { name: 'log', kind: 'Pod', verbs: ['get'] },
    statusSub('Pod'),
  ],
  fieldLabels: {
    'spec.nodeName': (o) => o.spec?.nodeName ?? '',
    'spec.restartPolicy': (o) => o.spec?.restartPolicy,
    'spec.schedulerName': (o) => o.spec?.schedulerName,
    'spec.serviceAccountName': (o) => o.spec?.serviceAccountName,
    'spec.hostNetwork': (o) => String(Boolean(o.spec?.hostNetwork)),
    'status.phase': (o) => o.status?.phase ?? '',
    'status.podIP': (o) => o.status?.podIP ?? '',
    'status.nominatedNodeName': (o) => o.status?.nominatedNodeName ?? '',
  },
  prepareForCreate(obj, ctx) {
    // a pod without a spec is defaulted like an empty one; validation then names what it lacks
    obj.spec ??= {} as PodSpec;
    const givenPriority = obj.spec.priority;
    defaultPodSpec(obj.spec, true);
    admitServiceAccount(obj, ctx);
    admitPodPriority(obj, givenPriority, ctx);
    admitLimitRanges(obj, ctx);
    obj.status = { phase: 'Pending', qosClass: 'BestEffort' };
  },
  prepareForUpdate(obj, old, ctx) {
    if (ctx.subresource === 'ephemeralcontainers') {
      const added = copyJson(obj.spec?.ephemeralContainers ?? []);
      const { resourceVersion } = obj.metadata;
      Object.assign(obj, copyJson(old));
      obj.metadata.resourceVersion = resourceVersion;
      defaultEphemeralContainers(added);
      obj.spec = { ...obj.spec!, ephemeralContainers: added };
      if (added.length === 0) delete obj.spec.ephemeralContainers;
    } else if (obj.spec) {
      // a plain update leaves them as they are; the subresource is their only way in
      if (old.spec?.ephemeralContainers) obj.spec.ephemeralContainers = copyJson(old.spec.ephemeralContainers);
      else delete obj.spec.ephemeralContainers;
    }
  },
  validate(obj) {
    return [...validateObjectMeta(obj, 'subdomain'), ...validatePodSpec(obj.spec, 'spec')];
  },
  validateUpdate(obj, old) {
    const errs = [...validatePodSpec(obj.spec, 'spec'), ...validateEphemeralUpdate(obj, old)];
    if (withoutMutable(obj.spec) !== withoutMutable(old.spec)) errs.push(fieldErr.forbidden('spec', MUTABLE_MESSAGE));
    if (old.spec?.nodeName && obj.spec?.nodeName !== old.spec.nodeName) errs.push(fieldErr.forbidden('spec', MUTABLE_MESSAGE));
    return errs;
  },
});
