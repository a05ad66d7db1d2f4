import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import { statusSub } from './types.ts';
import { defineResource, type Obj } from './define.ts';
import { defaultTemplate, validateSelectorUnchanged, validateWorkload } from './workload.ts';

function defaults(obj: Obj<DaemonSet>): void {
  const s = defaultTemplate(obj);
  s.updateStrategy ??= { type: 'RollingUpdate' };
  if ((s.updateStrategy.type ?? 'RollingUpdate') === 'RollingUpdate') {
    s.updateStrategy.type = 'RollingUpdate';
    s.updateStrategy.rollingUpdate ??= {};
    s.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
    s.updateStrategy.rollingUpdate.maxSurge ??= 0;
  }
  s.revisionHistoryLimit ??= 10;
}

export const daemonsets = defineResource<DaemonSet>({
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
});
