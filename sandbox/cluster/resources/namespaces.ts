// Namespaces. Deleting one only marks it Terminating: its spec.finalizers (`kubernetes`) hold it
// until the namespace controller (controllers/namespace.ts) has deleted its content and removed
// the finalizer with an update whose subresource is `finalize` (in process only); then the store lets it go.
import type { Namespace } from 'kubernetes-types/core/v1.js';
import { NAMESPACE_FINALIZER } from '../contracts.ts';
import { defineResource } from './define.ts';
import { statusSub } from './types.ts';
import { validateObjectMeta } from './validation.ts';

export const namespaces = defineResource<Namespace>({
  group: '',
  version: 'v1',
  resource: 'namespaces',
  kind: 'Namespace',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  statusSubresource: true,
  subresources: [statusSub('Namespace')],
  fieldLabels: { 'status.phase': (o) => o.status?.phase ?? '' },
  prepareForCreate(obj) {
    obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name! };
    obj.spec = { finalizers: [NAMESPACE_FINALIZER] };
    obj.status = { phase: 'Active' };
  },
  prepareForUpdate(obj, old, ctx) {
    obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name! };
    // spec.finalizers change only through the finalize subresource
    const was = old.spec;
    obj.spec = ctx.subresource === 'finalize' ? { ...was, finalizers: obj.spec?.finalizers ?? [] } : was;
  },
  prepareForDelete(obj) {
    obj.status = { ...obj.status, phase: 'Terminating' };
  },
  holdsDeletion: (obj) => (obj.spec?.finalizers ?? []).length > 0,
  validate: (obj) => validateObjectMeta(obj, 'label1123'),
});
