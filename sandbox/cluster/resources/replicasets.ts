import { statusSub, type ResourceDef } from './types.ts';
import { selectorString } from './label-selector.ts';
import { defaultTemplate, validateSelectorUnchanged, validateWorkload } from './workload.ts';

function defaults(obj: any): void {
  defaultTemplate(obj);
  obj.spec.replicas ??= 1;
}

export const replicasets: ResourceDef = {
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
  fieldLabels: { 'status.replicas': (o: any) => String(o.status?.replicas ?? 0) },
  scale: { selector: (o: any) => selectorString(o.spec?.selector) },
  prepareForCreate(obj) {
    defaults(obj);
    obj.status = { replicas: 0 };
  },
  prepareForUpdate: (obj) => defaults(obj),
  validate: (obj) => validateWorkload(obj, 'replicaset', true),
  validateUpdate: (obj, old) => [...validateWorkload(obj, 'replicaset', true), ...validateSelectorUnchanged(obj, old)],
};
