import { fieldErr, type FieldError } from '../errors.ts';
import { statusSub, type ResourceDef } from './types.ts';
import { selectorString } from './label-selector.ts';
import { defaultTemplate, validateSelectorUnchanged, validateWorkload } from './workload.ts';

function defaults(obj: any): void {
  defaultTemplate(obj);
  const s = obj.spec;
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

function validateStrategy(obj: any): FieldError[] {
  const st = obj.spec?.strategy;
  if (!st) return [];
  if (!STRATEGIES.includes(st.type)) return [fieldErr.notSupported('spec.strategy.type', st.type, STRATEGIES)];
  if (st.type === 'Recreate' && st.rollingUpdate) return [fieldErr.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'")];
  return [];
}

export const deployments: ResourceDef = {
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
  scale: { selector: (o: any) => selectorString(o.spec?.selector) },
  prepareForCreate(obj) {
    defaults(obj);
    obj.status = {};
  },
  prepareForUpdate: (obj) => defaults(obj),
  validate: (obj) => [...validateWorkload(obj, 'deployment', true), ...validateStrategy(obj)],
  validateUpdate: (obj, old) => [...validateWorkload(obj, 'deployment', true), ...validateStrategy(obj), ...validateSelectorUnchanged(obj, old)],
};
