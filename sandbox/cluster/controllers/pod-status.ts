// Reading a pod's state the way the workload controllers and kubectl read it.
import type { KubeObject } from '../contracts.ts';

interface Condition {
  type: string;
  status: string;
  lastTransitionTime?: string;
}

export function podPhase(pod: KubeObject): string {
  return ((pod.status as { phase?: string } | undefined)?.phase) ?? 'Pending';
}

export function isTerminal(pod: KubeObject): boolean {
  const p = podPhase(pod);
  return p === 'Succeeded' || p === 'Failed';
}

/** counts toward a ReplicaSet's replicas: not finished and not being deleted */
export function isActive(pod: KubeObject): boolean {
  return !isTerminal(pod) && !pod.metadata.deletionTimestamp;
}

export function podConditions(pod: KubeObject): Condition[] {
  return ((pod.status as { conditions?: Condition[] } | undefined)?.conditions) ?? [];
}

export function isReady(pod: KubeObject): boolean {
  return podConditions(pod).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** ready for at least minReadySeconds */
export function isAvailable(pod: KubeObject, minReadySeconds: number, now = Date.now()): boolean {
  const ready = podConditions(pod).find((c) => c.type === 'Ready' && c.status === 'True');
  if (!ready) return false;
  if (!minReadySeconds) return true;
  const since = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : 0;
  return now - since >= minReadySeconds * 1000;
}

export function nowIso(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}
