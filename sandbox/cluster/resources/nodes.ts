import type { Node } from 'kubernetes-types/core/v1.js';
import { statusSub } from './types.ts';
import { defineResource } from './define.ts';
import { validateObjectMeta } from './validation.ts';

export const nodes = defineResource<Node>({
  group: '',
  version: 'v1',
  resource: 'nodes',
  kind: 'Node',
  singular: 'node',
  namespaced: false,
  shortNames: ['no'],
  statusSubresource: true,
  subresources: [statusSub('Node')],
  fieldLabels: { 'spec.unschedulable': (o) => String(Boolean(o.spec?.unschedulable)) },
  prepareForCreate(obj) {
    obj.spec ??= {};
    obj.status ??= {};
  },
  validate: (obj) => validateObjectMeta(obj, 'subdomain'),
});
