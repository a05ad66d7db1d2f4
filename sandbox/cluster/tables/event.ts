// Event: LAST SEEN TYPE REASON OBJECT MESSAGE | SUBOBJECT SOURCE FIRST SEEN COUNT NAME.
// Events written through events.k8s.io carry eventTime/series instead of timestamps/count.
import type { KubeObject } from '../contracts.ts';
import { age } from './age.ts';
import { col, nameColumn } from './columns.ts';
import { doc } from './descriptions.ts';
import type { KindPrinter } from './types.ts';

interface EventLike extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string } | null;
  involvedObject?: { kind?: string; name?: string; fieldPath?: string };
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  reportingInstance?: string;
}

/** events.k8s.io/v1 names the same fields differently; the real server prints both from one internal Event */
interface EventsV1Like extends KubeObject {
  regarding?: EventLike['involvedObject'];
  note?: string;
  deprecatedCount?: number;
  deprecatedFirstTimestamp?: string | null;
  deprecatedLastTimestamp?: string | null;
  deprecatedSource?: EventLike['source'];
  reportingController?: string;
}

export function asCoreEvent(obj: KubeObject): EventLike {
  if (!obj.apiVersion?.startsWith('events.k8s.io/')) return obj as EventLike;
  const e = obj as EventsV1Like & EventLike;
  return {
    ...e,
    involvedObject: e.regarding,
    message: e.note,
    count: e.deprecatedCount,
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    source: e.deprecatedSource,
    reportingComponent: e.reportingController,
  };
}

function source(ev: EventLike): string {
  const component = ev.source?.component || ev.reportingComponent || '';
  const instance = ev.source?.host || ev.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

export const eventPrinter: KindPrinter = {
  columns: [
    col('Last Seen', 'string', doc.evLast),
    col('Type', 'string', doc.evType),
    col('Reason', 'string', doc.evReason),
    col('Object', 'string', doc.evInvolved),
    col('Subobject', 'string', doc.fieldPath, 1),
    col('Source', 'string', doc.evSource, 1),
    col('Message', 'string', doc.evMessage),
    col('First Seen', 'string', doc.evFirst, 1),
    col('Count', 'string', doc.evCount, 1),
    { ...nameColumn, priority: 1 },
  ],
  cells(obj, now) {
    const ev = asCoreEvent(obj);
    const first = ev.firstTimestamp ? age(ev.firstTimestamp, now) : age(ev.eventTime ?? undefined, now);
    let last = ev.lastTimestamp ? age(ev.lastTimestamp, now) : first;
    let count = ev.count ?? 0;
    if (ev.series) {
      last = age(ev.series.lastObservedTime, now);
      count = ev.series.count ?? 0;
    } else if (count === 0) {
      count = 1;
    }
    const kind = (ev.involvedObject?.kind ?? '').toLowerCase();
    const target = ev.involvedObject?.name ? `${kind}/${ev.involvedObject.name}` : kind;
    return [last, ev.type ?? '', ev.reason ?? '', target, ev.involvedObject?.fieldPath ?? '', source(ev), (ev.message ?? '').trim(), first, count, ev.metadata.name];
  },
};
