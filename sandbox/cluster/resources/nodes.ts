import { statusSub, type ResourceDef } from './types.ts';
import { validateObjectMeta } from './validation.ts';

export const nodes: ResourceDef = {
  group: '',
  version: 'v1',
  resource: 'nodes',
  kind: 'Node',
  singular: 'node',
  namespaced: false,
  shortNames: ['no'],
  statusSubresource: true,
  subresources: [statusSub('Node')],
  fieldLabels: { 'spec.unschedulable': (o: any) => String(Boolean(o.spec?.unschedulable)) },
  prepareForCreate(obj: any) {
    obj.spec ??= {};
    obj.status ??= {};
  },
  validate: (obj) => validateObjectMeta(obj, 'subdomain'),
};
