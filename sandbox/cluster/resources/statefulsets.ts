import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import { fieldErr } from '../errors.ts';
import { statusSub } from './types.ts';
import { defineResource, type Obj } from './define.ts';
import { defaultTemplate, validateSelectorUnchanged, validateWorkload } from './workload.ts';

// Served so that manifests using StatefulSets (a workshop's seats) validate and store as on a
// 1.32 apiserver; no controller creates their pods here.
function defaults(obj: Obj<StatefulSet>): void {
  const s = defaultTemplate(obj);
  s.replicas ??= 1;
  s.podManagementPolicy ??= 'OrderedReady';
  s.updateStrategy ??= { type: 'RollingUpdate' };
  if ((s.updateStrategy.type ?? 'RollingUpdate') === 'RollingUpdate') {
    s.updateStrategy.type = 'RollingUpdate';
    s.updateStrategy.rollingUpdate ??= {};
    s.updateStrategy.rollingUpdate.partition ??= 0;
  }
  s.revisionHistoryLimit ??= 10;
  s.persistentVolumeClaimRetentionPolicy ??= {};
  s.persistentVolumeClaimRetentionPolicy.whenDeleted ??= 'Retain';
  s.persistentVolumeClaimRetentionPolicy.whenScaled ??= 'Retain';
}

export const statefulsets = defineResource<StatefulSet>({
  group: 'apps',
  version: 'v1',
  resource: 'statefulsets',
  kind: 'StatefulSet',
  singular: 'statefulset',
  namespaced: true,
  shortNames: ['sts'],
  categories: ['all'],
  hasGeneration: true,
  statusSubresource: true,
  subresources: [statusSub('StatefulSet')],
  prepareForCreate(obj) {
    defaults(obj);
    obj.status = { replicas: 0, availableReplicas: 0 };
  },
  prepareForUpdate: (obj) => defaults(obj),
  validate: (obj) => {
    const out = validateWorkload(obj, 'statefulset', true);
    const policy = obj.spec?.podManagementPolicy;
    if (policy !== undefined && policy !== 'OrderedReady' && policy !== 'Parallel')
      out.push(fieldErr.notSupported('spec.podManagementPolicy', policy, ['OrderedReady', 'Parallel']));
    return out;
  },
  validateUpdate: (obj, old) => [...validateWorkload(obj, 'statefulset', true), ...validateSelectorUnchanged(obj, old)],
});
