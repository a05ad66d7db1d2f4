// Watch responses: headers flushed at once (client-node's informer waits for them), then one
// JSON event per line. Starts from a resourceVersion (replayed from the store's history) or
// from "now" with the current objects as ADDED, ends after timeoutSeconds.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject, WatchEvent } from '../contracts.ts';
import { badRequest } from '../errors.ts';
import { resourceName, type ResourceDef } from '../resources/index.ts';
import type { MemoryStore } from '../store.ts';
import { buildTable, type IncludeObject } from '../tables/index.ts';
import { sendError, typed } from './respond.ts';

export interface WatchParams {
  def: ResourceDef;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  timeoutSeconds?: number;
  allowWatchBookmarks: boolean;
  sendInitialEvents: boolean;
  table: boolean;
  /** metadata-only clients get PartialObjectMetadata objects */
  partial?: boolean;
  includeObject: IncludeObject;
  /** how often to send a BOOKMARK when allowed */
  bookmarkEveryMs: number;
}

export function serveWatch(
  store: MemoryStore,
  req: IncomingMessage,
  res: ServerResponse,
  p: WatchParams,
  onClose: (fn: () => void) => () => void,
): void {
  const resource = resourceName(p.def);
  const opts = { namespace: p.namespace, labelSelector: p.labelSelector, fieldSelector: p.fieldSelector };
  if (p.sendInitialEvents && !p.allowWatchBookmarks)
    throw badRequest(
      'sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled and allowWatchBookmarks is set to true',
    );
  const encode = (e: WatchEvent): string => {
    if (p.table && e.type !== 'BOOKMARK') {
      const t = buildTable(resource, [e.object], {
        now: new Date(),
        includeObject: p.includeObject,
        listMeta: { resourceVersion: e.object.metadata.resourceVersion },
      });
      return `${JSON.stringify({ type: e.type, object: t })}\n`;
    }
    if (p.partial && e.type !== 'BOOKMARK') return `${JSON.stringify({ type: e.type, object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: e.object.metadata } })}\n`;
    return `${JSON.stringify(e.type === 'BOOKMARK' ? e : { type: e.type, object: typed(p.def, e.object) })}\n`;
  };
  const buffered: WatchEvent[] = [];
  let started = false;
  const write = (e: WatchEvent) => {
    if (!started) return void buffered.push(e);
    if (!res.writableEnded) res.write(encode(e));
  };
  const bookmark = (rv: string, initialEnd = false): WatchEvent => ({
    type: 'BOOKMARK',
    object: {
      apiVersion: p.def.group ? `${p.def.group}/${p.def.version}` : p.def.version,
      kind: p.def.kind,
      metadata: { resourceVersion: rv, ...(initialEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}) },
    } as KubeObject,
  });

  let unsubscribe: () => void;
  const rv = p.resourceVersion;
  const initial: KubeObject[] = [];
  let initialRV = store.currentResourceVersion();
  if (!rv || rv === '0' || p.sendInitialEvents) {
    const listed = store.list(resource, opts, true);
    initial.push(...listed.items);
    initialRV = listed.resourceVersion;
    unsubscribe = store.watchFrom(resource, opts, initialRV, write, true);
  } else {
    // throws 410 before any header is written when rv is too old
    unsubscribe = store.watchFrom(resource, opts, rv, write, true);
  }

  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  for (const o of initial) res.write(encode({ type: 'ADDED', object: o }));
  if (p.sendInitialEvents) res.write(encode(bookmark(initialRV, true)));
  started = true;
  for (const e of buffered.splice(0)) res.write(encode(e));

  const timers: NodeJS.Timeout[] = [];
  let detach = () => {};
  const end = () => {
    unsubscribe();
    for (const t of timers) clearTimeout(t); // an interval too: in Node both clear functions are one
    detach();
    if (!res.writableEnded) res.end();
  };
  timers.push(setTimeout(end, (p.timeoutSeconds ?? 1800) * 1000));
  if (p.allowWatchBookmarks && !p.table) timers.push(setInterval(() => write(bookmark(store.currentResourceVersion())), p.bookmarkEveryMs));
  detach = onClose(end);
  req.on('close', end);
  res.on('error', end);
}

export { sendError };
