// The pod-template shape Deployments, ReplicaSets and DaemonSets share.
import type { KubeObject } from '../contracts.ts';

export interface WorkloadLike extends KubeObject {
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };
    template?: { spec?: { containers?: Array<{ name?: string; image?: string }>; nodeSelector?: Record<string, string> } };
  };
  status?: Record<string, number | undefined>;
}

export function statusCount(w: WorkloadLike, field: string): number {
  const v = w.status?.[field];
  return typeof v === 'number' ? v : 0;
}

/** spec.replicas is defaulted to 1 by the API; a missing one still prints as the default */
export function desiredReplicas(w: WorkloadLike): number {
  return typeof w.spec?.replicas === 'number' ? w.spec.replicas : 1;
}
