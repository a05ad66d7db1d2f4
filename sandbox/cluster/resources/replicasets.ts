import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { statusSub } from './types.ts';
import { defineResource, type Obj } from './define.ts';
import { selectorString } from './label-selector.ts';
import { defaultTemplate, validateSelectorUnchanged, validateWorkload } from './workload.ts';

function defaults(obj: Obj<ReplicaSet>): void {
  defaultTemplate(obj).replicas ??= 1;
}

export const replicasets = defineResource<ReplicaSet>({
  group: 'apps',
  version: 'v1',
  resource: 'replicasets',
  kind: 'ReplicaSet',
  singular: 'replicaset',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  hasGeneration: true,
  statusSubresource: true,
  subresources: [{ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] }, statusSub('ReplicaSet')],
  fieldLabels: { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
  scale: { selector: (o) => selectorString(o.spec?.selector) },
  prepareForCreate(obj) {
    defaults(obj);
    obj.status = { replicas: 0 };
  },
  prepareForUpdate: (obj) => defaults(obj),
  validate: (obj) => validateWorkload(obj, 'replicaset', true),
  validateUpdate: (obj, old) => [...validateWorkload(obj, 'replicaset', true), ...validateSelectorUnchanged(obj, old)],
});
