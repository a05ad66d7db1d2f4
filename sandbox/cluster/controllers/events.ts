// Records core/v1 Events the way client-go's recorder does: one object per
// (object, reason, message), whose count and lastTimestamp grow when it repeats.
import type { ClusterStore, KubeObject } from '../contracts.ts';

export type EventType = 'Normal' | 'Warning';

export interface EventSource {
  component: string;
  host?: string;
}

/**
 * client-go's recorder names an Event `<object>.<UnixNano in hex>`, so the API lists an object's
 * events in the order they happened, and `kubectl describe` keeps that order for events of the
 * same second (it sorts by lastTimestamp, whole seconds). Nanoseconds from the millisecond clock,
 * one more than the last name's when two land in the same millisecond.
 */
let lastNanos = 0n;
export function eventNameSuffix(nowMs = Date.now()): string {
  const nanos = BigInt(nowMs) * 1_000_000n;
  lastNanos = nanos > lastNanos ? nanos : lastNanos + 1n;
  return lastNanos.toString(16);
}

export class EventRecorder {
  private readonly seen = new Map<string, { namespace: string; name: string }>();

  constructor(private readonly store: ClusterStore) {}

  record(source: EventSource, obj: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): void {
    const namespace = obj.metadata.namespace ?? 'default';
    const key = [obj.metadata.uid, fieldPath ?? '', type, reason, message, source.component].join('\0');
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const previous = this.seen.get(key);
    try {
      if (previous) {
        const updated = this.store.mutate('events', previous.namespace, previous.name, (e) => {
          e.count = ((e.count as number) ?? 1) + 1;
          e.lastTimestamp = now;
          return e;
        });
        if (updated) return;
      }
      const name = `${obj.metadata.name}.${eventNameSuffix()}`;
      this.store.create('events', {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          name: obj.metadata.name,
          namespace: obj.metadata.namespace,
          uid: obj.metadata.uid,
          resourceVersion: obj.metadata.resourceVersion,
          ...(fieldPath ? { fieldPath } : {}),
        },
        reason,
        message,
        type,
        source: source.host ? { component: source.component, host: source.host } : { component: source.component },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        reportingComponent: source.component,
        reportingInstance: source.host ?? '',
      });
      this.seen.set(key, { namespace, name });
    } catch {
      // An event is a courtesy to the learner; failing to record one must never stop a controller.
    }
  }

  /** drop dedup entries of a deleted object, so the map does not grow without bound */
  forget(uid: string | undefined): void {
    if (!uid) return;
    for (const k of this.seen.keys()) if (k.startsWith(uid + '\0')) this.seen.delete(k);
  }
}
