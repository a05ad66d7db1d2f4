import { fieldErr, type FieldError } from '../errors.ts';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { statusSub } from './types.ts';
import { defineResource, type Obj } from './define.ts';
import { selectorString } from './label-selector.ts';
import { defaultTemplate, validateSelectorUnchanged, validateWorkload } from './workload.ts';

function defaults(obj: Obj<Deployment>): void {
  const s = defaultTemplate(obj);
  s.replicas ??= 1;
  s.strategy ??= { type: 'RollingUpdate' };
  if ((s.strategy.type ?? 'RollingUpdate') === 'RollingUpdate') {
    s.strategy.type = 'RollingUpdate';
    s.strategy.rollingUpdate ??= {};
    s.strategy.rollingUpdate.maxUnavailable ??= '25%';
    s.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  s.revisionHistoryLimit ??= 10;
  s.progressDeadlineSeconds ??= 600;
}

const STRATEGIES = ['Recreate', 'RollingUpdate'];

function validateStrategy(obj: Obj<Deployment>): FieldError[] {
  const st = obj.spec?.strategy;
  if (!st) return [];
  if (!STRATEGIES.includes(st.type ?? '')) return [fieldErr.notSupported('spec.strategy.type', st.type, STRATEGIES)];
  if (st.type === 'Recreate' && st.rollingUpdate) return [fieldErr.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'")];
  return [];
}

export const deployments = defineResource<Deployment>({
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  kind: 'Deployment',
  singular: 'deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  hasGeneration: true,
  statusSubresource: true,
  subresources: [{ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] }, statusSub('Deployment')],
  scale: { selector: (o) => selectorString(o.spec?.selector) },
  prepareForCreate(obj) {
    defaults(obj);
    obj.status = {};
  },
  prepareForUpdate: (obj) => defaults(obj),
  validate: (obj) => [...validateWorkload(obj, 'deployment', true), ...validateStrategy(obj)],
  validateUpdate: (obj, old) => [...validateWorkload(obj, 'deployment', true), ...validateStrategy(obj), ...validateSelectorUnchanged(obj, old)],
});
