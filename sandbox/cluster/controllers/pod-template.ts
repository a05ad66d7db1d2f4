// A pod made from a controller's pod template, as the ReplicaSet and DaemonSet controllers make
// them: named <owner>-<random suffix>, with the template's labels and annotations, controlled by
// the owner. A name already taken is drawn again (up to five times); each outcome is an event on
// the owner (SuccessfulCreate, FailedCreate) under the controller's own source.
import type { ClusterStore, KubeObject } from '../contracts.ts';
import { copyJson } from '../json-copy.ts';
import type { EventRecorder, EventSource } from './events.ts';
import { randomSuffix } from './names.ts';
import { ownerRefTo } from './owners.ts';

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

export function createPodFromTemplate(
  store: ClusterStore,
  events: EventRecorder,
  source: EventSource,
  owner: KubeObject,
  podTemplate: PodTemplate | undefined,
  /** fields the controller sets over the template's spec (the DaemonSet's nodeName) */
  specOverrides: Record<string, unknown> = {},
  /** finalizers the pod starts with (the Job controller's batch.kubernetes.io/job-tracking) */
  finalizers: string[] = [],
): KubeObject {
  const template = copyJson(podTemplate ?? {});
  for (let attempt = 0; ; attempt++) {
    const podName = `${owner.metadata.name}-${randomSuffix()}`;
    try {
      const pod = store.create('pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: podName,
          namespace: owner.metadata.namespace,
          labels: template.metadata?.labels ?? {},
          ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
          ownerReferences: [ownerRefTo(owner)],
          ...(finalizers.length ? { finalizers: [...finalizers] } : {}),
        },
        spec: { ...(template.spec ?? {}), ...specOverrides },
      }, { fieldManager: 'kube-controller-manager' });
      events.record(source, owner, 'Normal', 'SuccessfulCreate', `Created pod: ${podName}`);
      return pod;
    } catch (err) {
      if ((err as { reason?: string }).reason === 'AlreadyExists' && attempt < 5) continue;
      events.record(source, owner, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
      throw err;
    }
  }
}
