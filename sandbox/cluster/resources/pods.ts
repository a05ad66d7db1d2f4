import { fieldErr } from '../errors.ts';
import { defaultPodSpec, validatePodSpec } from './pod-spec.ts';
import type { Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { statusSub } from './types.ts';
import { defineResource } from './define.ts';
import { validateObjectMeta } from './validation.ts';
import { copyJson } from '../json-copy.ts';
import { admitServiceAccount } from './service-account-admission.ts';

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
  return JSON.stringify(s);
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
    defaultPodSpec(obj.spec, true);
    admitServiceAccount(obj, ctx);
    obj.status = { phase: 'Pending', qosClass: 'BestEffort' };
  },
  validate(obj) {
    return [...validateObjectMeta(obj, 'subdomain'), ...validatePodSpec(obj.spec, 'spec')];
  },
  validateUpdate(obj, old) {
    const errs = validatePodSpec(obj.spec, 'spec');
    if (withoutMutable(obj.spec) !== withoutMutable(old.spec)) errs.push(fieldErr.forbidden('spec', MUTABLE_MESSAGE));
    if (old.spec?.nodeName && obj.spec?.nodeName !== old.spec.nodeName) errs.push(fieldErr.forbidden('spec', MUTABLE_MESSAGE));
    return errs;
  },
});
