import { statusSub, type ResourceDef } from './types.ts';
import { defaultTemplate, validateSelectorUnchanged, validateWorkload } from './workload.ts';

function defaults(obj: any): void {
  defaultTemplate(obj);
  const s = obj.spec;
  s.updateStrategy ??= { type: 'RollingUpdate' };
  if ((s.updateStrategy.type ?? 'RollingUpdate') === 'RollingUpdate') {
    s.updateStrategy.type = 'RollingUpdate';
    s.updateStrategy.rollingUpdate ??= {};
    s.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
    s.updateStrategy.rollingUpdate.maxSurge ??= 0;
  }
  s.revisionHistoryLimit ??= 10;
}

export const daemonsets: ResourceDef = {
  group: 'apps',
  version: 'v1',
  resource: 'daemonsets',
  kind: 'DaemonSet',
  singular: 'daemonset',
  namespaced: true,
  shortNames: ['ds'],
  categories: ['all'],
  hasGeneration: true,
  statusSubresource: true,
  subresources: [statusSub('DaemonSet')],
  prepareForCreate(obj) {
    defaults(obj);
    obj.status = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
  },
  prepareForUpdate: (obj) => defaults(obj),
  validate: (obj) => validateWorkload(obj, 'daemonset', false),
  validateUpdate: (obj, old) => [...validateWorkload(obj, 'daemonset', false), ...validateSelectorUnchanged(obj, old)],
};
