import { statusSub, type ResourceDef } from './types.ts';
import { validateObjectMeta } from './validation.ts';

export const namespaces: ResourceDef = {
  group: '',
  version: 'v1',
  resource: 'namespaces',
  kind: 'Namespace',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  statusSubresource: true,
  subresources: [statusSub('Namespace')],
  fieldLabels: { 'status.phase': (o: any) => o.status?.phase ?? '' },
  prepareForCreate(obj: any) {
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
    obj.spec = { finalizers: ['kubernetes'] };
    obj.status = { phase: 'Active' };
  },
  prepareForUpdate(obj: any, old: any) {
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
    obj.spec = old.spec;
  },
  validate: (obj) => validateObjectMeta(obj, 'label1123'),
};
