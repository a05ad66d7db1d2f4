// The one generic object store behind the embedded API (HTTP) and in-process controllers.
// Storage is resource -> "namespace/name" -> object; every read and write copies, so callers
// never share objects with the store. Writes run each resource's strategy in the apiserver's
// order (prepare, validate, then system fields), get a resourceVersion from one global counter,
// go to the journal (persistence) before they are visible, and are fanned out to watchers and
// kept in a bounded history so watches can resume from a resourceVersion.
// Deletion here is only bookkeeping, as in the apiserver: delete records deletionTimestamp and the
// finalizers the propagation policy asks for, and an object goes once nothing holds it (no
// finalizers, no strategy hold, no graceful termination under way). Cascading to dependents and
// emptying namespaces are controllers' work (controllers/garbage-collector.ts, namespace.ts).
import { randomSuffix } from './random-suffix.ts';
import { randomUUID } from 'node:crypto';
import {
  FOREGROUND_FINALIZER, ORPHAN_FINALIZER,
  type ClusterStore, type DeleteOptions, type KubeObject, type ListOptions, type WatchEvent, type WatchEventType, type WriteOptions,
} from './contracts.ts';
import {
  alreadyExists, badRequest, conflict, forbidden, gone, invalid, notFound, STALE_OBJECT, StatusError, type FieldError,
} from './errors.ts';
import type { ReviewContext } from './auth/review.ts';
import { lookupResource, groupVersion, resourceName, RESOURCES, type ResourceDef, type StrategyContext } from './resources/index.ts';
import { fieldMatcher, labelMatcher, type Matcher } from './resources/selectors.ts';
import { recordManagedFields } from './patch/managed-fields.ts';
import { copyJson } from './json-copy.ts';
import type { PodSpec, PodStatus } from 'kubernetes-types/core/v1.js';

export type JournalRecord =
  | { rv: number; op: 'put'; resource: string; obj: KubeObject }
  | { rv: number; op: 'del'; resource: string; namespace?: string; name: string };

/** where committed changes go before anyone sees them (persistence/journal.ts) */
export interface Journal {
  append(rec: JournalRecord): void;
}

export interface StoreOptions {
  /** Service ClusterIPs are allocated from this range; default 100.64.0.0/13 (the chapter's kops cluster) */
  serviceCIDR?: string;
  journal?: Journal;
  /** how many past events a watch can resume from; older resourceVersions get 410 Gone */
  historySize?: number;
  /**
   * A pod being deleted gracefully is removed by its kubelet (finalizeDelete). When no kubelet
   * does so, the store removes it this long after its grace period ends, so nothing waits forever.
   */
  orphanedTerminationSlackMs?: number;
  /**
   * Validating admission plugins that look across resources (ResourceQuota): run on every create
   * after the resource's own strategy, before storage. A resource's own rules are its strategy's.
   */
  admission?: AdmissionPlugin[];
}

export type AdmissionPlugin = (def: ResourceDef, obj: KubeObject, ctx: StrategyContext) => void;

/** in-process write options plus what the HTTP layer needs to pass down */
export interface StoreWriteOptions extends WriteOptions {
  /** "status" or "scale": recorded in managedFields */
  subresource?: string;
  /** server-side apply computes managedFields itself and hands them over */
  managedFields?: unknown[];
  /** Apply for server-side apply, Update otherwise */
  operation?: 'Apply' | 'Update';
  /** the precondition a PUT or patch carries (metadata.resourceVersion otherwise) */
  resourceVersion?: string;
  /**
   * who asks: the review resources answer for this user, and RBAC writes are checked against its
   * rules; in-process callers are unrestricted
   */
  review?: ReviewContext;
}

interface HistoryEntry {
  rv: number;
  resource: string;
  type: WatchEventType;
  object: KubeObject;
  /** the object before the change, so selector watches can tell "left the selection" */
  previous?: KubeObject;
}

interface Subscriber {
  resource: string;
  namespace?: string;
  match: Matcher;
  onEvent: (e: WatchEvent) => void;
  /** serializes at once: gets the stored object, not a copy */
  readOnly?: boolean;
}

const clone = copyJson;
const keyOf = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;
const nowISO = (d = new Date()) => d.toISOString().replace(/\.\d+Z$/, 'Z');

/** the part of an object that counts as its "spec" for generation: all but metadata and status */
function specPart(o: KubeObject): string {
  const { metadata: _m, status: _s, ...rest } = o;
  return JSON.stringify(rest);
}

function withoutVolatile(o: KubeObject): string {
  const m = { ...o.metadata };
  delete m.resourceVersion;
  delete m.managedFields;
  delete m.generation;
  return JSON.stringify({ ...o, metadata: m });
}


export class MemoryStore implements ClusterStore {
  readonly serviceCIDR: string;
  private readonly admission: AdmissionPlugin[];
  private readonly data = new Map<string, Map<string, KubeObject>>();
  private rv = 0;
  private readonly history: HistoryEntry[] = [];
  private readonly historySize: number;
  private readonly subs = new Set<Subscriber>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly slackMs: number;
  journal?: Journal;

  constructor(opts: StoreOptions = {}) {
    this.serviceCIDR = opts.serviceCIDR ?? '100.64.0.0/13';
    this.admission = opts.admission ?? [];
    this.journal = opts.journal;
    this.historySize = opts.historySize ?? 5000;
    this.slackMs = opts.orphanedTerminationSlackMs ?? 5000;
    for (const d of RESOURCES) if (!d.virtual) this.data.set(resourceName(d), new Map());
  }

  // ---------- resource lookup ----------

  def(resource: string): ResourceDef {
    const d = lookupResource(resource);
    if (!d) throw badRequest(`the server doesn't have a resource type "${resource}"`);
    return d;
  }

  private bucket(resource: string): Map<string, KubeObject> {
    const b = this.data.get(resource);
    if (!b) throw badRequest(`the server doesn't have a resource type "${resource}"`);
    return b;
  }

  private gr(d: ResourceDef) {
    return { group: d.group, resource: d.resource };
  }

  private ctx(dryRun: boolean, operation: StrategyContext['operation']): StrategyContext {
    return {
      now: new Date(),
      serviceCIDR: this.serviceCIDR,
      dryRun,
      operation,
      list: (resource, namespace) => [...this.bucket(resource).values()].filter((o) => !namespace || o.metadata.namespace === namespace),
    };
  }

  currentResourceVersion(): string {
    return String(this.rv);
  }

  // ---------- reads ----------

  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const d = this.def(resource);
    const o = this.bucket(resource).get(keyOf(d.namespaced ? namespace : undefined, name));
    return o ? clone(o) : undefined;
  }

  /** like get, but NotFound as the API words it */
  getOrThrow(resource: string, namespace: string | undefined, name: string): KubeObject {
    const o = this.get(resource, namespace, name);
    if (!o) throw notFound(this.gr(this.def(resource)), name);
    return o;
  }

  matcher(resource: string, opts: ListOptions = {}): Matcher {
    const d = this.def(resource);
    const byLabel = labelMatcher(opts.labelSelector);
    const byField = fieldMatcher(d, opts.fieldSelector);
    const ns = d.namespaced ? opts.namespace : undefined;
    return (o) => (!ns || o.metadata.namespace === ns) && byLabel(o) && byField(o);
  }

  /**
   * Objects sorted by namespace/name. `readOnly` skips the copies for callers that only
   * serialize the result (the HTTP layer); they must not mutate what they get.
   */
  list(resource: string, opts: ListOptions = {}, readOnly = false): { items: KubeObject[]; resourceVersion: string } {
    const match = this.matcher(resource, opts);
    const keyed: Array<[string, KubeObject]> = [];
    for (const [k, o] of this.bucket(resource)) if (match(o)) keyed.push([k, o]);
    keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return { items: keyed.map(([, o]) => (readOnly ? o : clone(o))), resourceVersion: this.currentResourceVersion() };
  }

  // ---------- writes ----------

  create(resource: string, input: KubeObject, opts: StoreWriteOptions = {}): KubeObject {
    const d = this.def(resource);
    const obj = clone(input);
    obj.apiVersion = groupVersion(d);
    obj.kind = d.kind;
    obj.metadata = obj.metadata && typeof obj.metadata === 'object' ? obj.metadata : {};
    const m = obj.metadata;
    if (d.namespaced) {
      if (!m.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    } else delete m.namespace;
    if (!m.name && m.generateName) m.name = `${m.generateName}${randomSuffix()}`;
    const ctx = this.ctx(Boolean(opts.dryRun), 'create');
    if (d.virtual) {
      const errs = d.validate?.(obj, ctx) ?? [];
      if (errs.length) throw invalid(d.kind, d.group, m.name ?? '', errs);
      return d.virtual(obj, opts.review, this);
    }
    if (d.namespaced) this.requireLiveNamespace(m.namespace!, d, m.name ?? '');
    if (m.name && this.bucket(resource).has(keyOf(m.namespace, m.name))) throw alreadyExists(this.gr(d), m.name);
    // system fields a client cannot set
    for (const f of [
      'uid',
      'resourceVersion',
      'creationTimestamp',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'generation',
      'selfLink',
    ])
      delete (m as Record<string, unknown>)[f];
    // the uid exists before the strategy runs, as FillObjectMetaSystemFields sets it before
    // BeforeCreate: a Job's generated selector names it
    m.uid = randomUUID();
    d.admitWrite?.(obj, opts.review);
    d.prepareForCreate?.(obj, ctx);
    const errs: FieldError[] = d.validate?.(obj, ctx) ?? [];
    if (errs.length) throw invalid(d.kind, d.group, m.name ?? m.generateName ?? '', errs);
    for (const admit of this.admission) admit(d, obj, ctx);
    const bucket = this.bucket(resource);
    if (bucket.has(keyOf(m.namespace, m.name!))) throw alreadyExists(this.gr(d), m.name!);
    m.creationTimestamp = nowISO();
    if (d.hasGeneration) m.generation = 1;
    m.managedFields =
      opts.managedFields ??
      recordManagedFields(undefined, obj, {
        manager: opts.fieldManager ?? 'lab-controller',
        operation: opts.operation ?? 'Update',
        apiVersion: obj.apiVersion,
        subresource: opts.subresource,
      });
    if (opts.dryRun) {
      m.resourceVersion = this.currentResourceVersion();
      return clone(obj);
    }
    return this.commit(resource, obj, 'ADDED');
  }

  update(resource: string, input: KubeObject, opts: StoreWriteOptions = {}): KubeObject {
    return this.write(resource, input, opts, false);
  }

  updateStatus(resource: string, input: KubeObject, opts: StoreWriteOptions = {}): KubeObject {
    return this.write(resource, input, { ...opts, subresource: opts.subresource ?? 'status' }, true);
  }

  private write(resource: string, input: KubeObject, opts: StoreWriteOptions, statusOnly: boolean): KubeObject {
    const d = this.def(resource);
    const name = input?.metadata?.name;
    if (!name) throw invalid(d.kind, d.group, '', [{ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name is required' }]);
    const ns = d.namespaced ? input.metadata.namespace : undefined;
    const old = this.bucket(resource).get(keyOf(ns, name));
    if (!old) throw notFound(this.gr(d), name);
    const wantRV = opts.resourceVersion ?? input.metadata.resourceVersion;
    if (wantRV && wantRV !== old.metadata.resourceVersion) throw conflict(this.gr(d), name, STALE_OBJECT);
    if (input.metadata.uid && input.metadata.uid !== old.metadata.uid)
      throw conflict(
        this.gr(d),
        name,
        `Precondition failed: UID in precondition: ${input.metadata.uid}, UID in object meta: ${old.metadata.uid}`,
      );
    let obj: KubeObject;
    if (statusOnly) {
      obj = clone(old);
      obj.status = clone(input.status);
      // the status subresource may also change labels/annotations? No: only status (as the apiserver)
    } else {
      obj = clone(input);
      obj.apiVersion = groupVersion(d);
      obj.kind = d.kind;
      if (d.statusSubresource) obj.status = clone(old.status);
      const m = obj.metadata;
      m.namespace = old.metadata.namespace;
      if (!d.namespaced) delete m.namespace;
      m.uid = old.metadata.uid;
      m.creationTimestamp = old.metadata.creationTimestamp;
      m.generation = old.metadata.generation;
      if (old.metadata.deletionTimestamp) {
        m.deletionTimestamp = old.metadata.deletionTimestamp;
        m.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
      } else {
        delete m.deletionTimestamp;
        delete m.deletionGracePeriodSeconds;
      }
      // the object being updated is not among the others its strategy looks at (allocations)
      const base = this.ctx(Boolean(opts.dryRun), 'update');
      const ctx: StrategyContext = {
        ...base,
        subresource: opts.subresource,
        list: (r, n) => base.list(r, n).filter((o) => o.metadata.uid !== old.metadata.uid),
      };
      d.admitWrite?.(obj, opts.review);
      d.prepareForUpdate?.(obj, old, ctx);
      const errs = [...(d.validate?.(obj, ctx) ?? []), ...(d.validateUpdate?.(obj, old, ctx) ?? [])];
      if (errs.length) throw invalid(d.kind, d.group, name, errs);
    }
    if (d.hasGeneration && specPart(obj) !== specPart(old)) obj.metadata.generation = (old.metadata.generation ?? 0) + 1;
    obj.metadata.resourceVersion = old.metadata.resourceVersion;
    // a client that sends managedFields different from the stored ones replaces them (kubectl
    // does this to hand client-side-apply fields over to server-side apply); otherwise the
    // writer takes ownership of what it changed
    const sent = input.metadata.managedFields;
    const replaces =
      !statusOnly &&
      !opts.managedFields &&
      Array.isArray(sent) &&
      JSON.stringify(sent) !== JSON.stringify(old.metadata.managedFields ?? []);
    obj.metadata.managedFields = replaces
      ? clone(sent)
      : (opts.managedFields ??
        recordManagedFields(old, obj, {
          manager: opts.fieldManager ?? 'lab-controller',
          operation: opts.operation ?? 'Update',
          apiVersion: obj.apiVersion,
          subresource: opts.subresource,
        }));
    // an update that changes nothing is not a write: no new resourceVersion, no event
    if (
      withoutVolatile(obj) === withoutVolatile(old) &&
      JSON.stringify(obj.metadata.managedFields) === JSON.stringify(old.metadata.managedFields)
    )
      return clone(old);
    if (opts.dryRun) return clone(obj);
    // the last finalizer (or strategy hold) released from an object being deleted lets it go
    if (obj.metadata.deletionTimestamp && !this.held(d, obj)) {
      this.remove(resource, obj);
      return clone(obj);
    }
    return this.commit(resource, obj, 'MODIFIED');
  }

  mutate(
    resource: string,
    namespace: string | undefined,
    name: string,
    fn: (o: KubeObject) => KubeObject | undefined,
    opts: { status?: boolean } & StoreWriteOptions = {},
  ): KubeObject | undefined {
    for (let attempt = 0; attempt < 10; attempt++) {
      const cur = this.get(resource, namespace, name);
      if (!cur) return undefined;
      const next = fn(cur);
      if (!next) return cur;
      next.metadata.resourceVersion = cur.metadata.resourceVersion;
      try {
        return opts.status ? this.updateStatus(resource, next, opts) : this.update(resource, next, opts);
      } catch (e) {
        if (e instanceof StatusError && e.status.reason === 'Conflict') continue;
        throw e;
      }
    }
    throw conflict(this.gr(this.def(resource)), name, STALE_OBJECT);
  }

  delete(
    resource: string,
    namespace: string | undefined,
    name: string,
    opts: DeleteOptions & { resourceVersion?: string; uid?: string } = {},
  ): KubeObject | undefined {
    const d = this.def(resource);
    const ns = d.namespaced ? namespace : undefined;
    const cur = this.bucket(resource).get(keyOf(ns, name));
    if (!cur) throw notFound(this.gr(d), name);
    if (opts.resourceVersion && opts.resourceVersion !== cur.metadata.resourceVersion)
      throw conflict(
        this.gr(d),
        name,
        `Precondition failed: ResourceVersion in precondition: ${opts.resourceVersion}, ResourceVersion in object meta: ${cur.metadata.resourceVersion}`,
      );
    if (opts.uid && opts.uid !== cur.metadata.uid)
      throw conflict(this.gr(d), name, `Precondition failed: UID in precondition: ${opts.uid}, UID in object meta: ${cur.metadata.uid}`);
    if (opts.dryRun) return clone(cur);
    // the policy's finalizer makes the garbage collector orphan or delete the dependents first
    const policyFinalizer =
      opts.propagationPolicy === 'Orphan' ? ORPHAN_FINALIZER : opts.propagationPolicy === 'Foreground' ? FOREGROUND_FINALIZER : undefined;
    const obj = clone(cur);
    const m = obj.metadata;
    if (policyFinalizer && !m.finalizers?.includes(policyFinalizer)) m.finalizers = [...(m.finalizers ?? []), policyFinalizer];
    const graceful = Boolean(d.gracefulDelete && this.needsGrace(cur, opts));
    if (graceful) {
      const grace = opts.gracePeriodSeconds ?? (cur.spec as PodSpec | undefined)?.terminationGracePeriodSeconds ?? 30;
      const deadline = new Date(Date.now() + grace * 1000);
      const already = m.deletionTimestamp ? Date.parse(m.deletionTimestamp) : Infinity;
      // a second delete may shorten the grace period, never lengthen it
      if (deadline.getTime() < already) {
        m.deletionTimestamp = nowISO(deadline);
        m.deletionGracePeriodSeconds = grace;
      }
    } else {
      m.deletionTimestamp ??= nowISO();
      m.deletionGracePeriodSeconds = 0;
    }
    d.prepareForDelete?.(obj);
    if (!this.held(d, obj)) {
      // removed at once: as in the apiserver, the answer (and the watchers' DELETED event) is the
      // object as it was stored, unless a graceful deletion stamped it
      const gone = graceful || cur.metadata.deletionTimestamp ? obj : clone(cur);
      this.remove(resource, gone);
      return gone;
    }
    if (withoutVolatile(obj) === withoutVolatile(cur)) return clone(cur);
    const out = this.commit(resource, obj, 'MODIFIED');
    if (d.gracefulDelete && m.deletionGracePeriodSeconds) this.scheduleOrphanedRemoval(resource, out, m.deletionGracePeriodSeconds);
    return out;
  }

  /** what keeps an object being deleted: finalizers, its strategy, or a graceful termination under way */
  private held(d: ResourceDef, obj: KubeObject): boolean {
    if ((obj.metadata.finalizers ?? []).length > 0) return true;
    if (d.holdsDeletion?.(obj)) return true;
    return Boolean(d.gracefulDelete && obj.metadata.deletionGracePeriodSeconds);
  }

  finalizeDelete(resource: string, namespace: string | undefined, name: string): void {
    const d = this.def(resource);
    const cur = this.bucket(resource).get(keyOf(d.namespaced ? namespace : undefined, name));
    if (!cur) return;
    const obj = clone(cur);
    // termination is over; finalizers (the garbage collector's) may still hold the object
    obj.metadata.deletionTimestamp ??= nowISO();
    obj.metadata.deletionGracePeriodSeconds = 0;
    if (this.held(d, obj)) this.commit(resource, obj, 'MODIFIED');
    else this.remove(resource, obj);
  }

  /** delete every object matching opts (deletecollection); returns what was deleted */
  deleteCollection(resource: string, listOpts: ListOptions, opts: DeleteOptions = {}): KubeObject[] {
    const out: KubeObject[] = [];
    for (const o of this.list(resource, listOpts).items) {
      try {
        const r = this.delete(resource, o.metadata.namespace, o.metadata.name!, opts);
        if (r) out.push(r);
      } catch (e) {
        if (!(e instanceof StatusError && e.status.reason === 'NotFound')) throw e;
      }
    }
    return out;
  }

  // ---------- watch ----------

  watch(resource: string, opts: ListOptions, onEvent: (e: WatchEvent) => void, readOnly = false): () => void {
    const d = this.def(resource);
    const sub: Subscriber = {
      resource,
      namespace: d.namespaced ? opts.namespace : undefined,
      match: this.matcher(resource, opts),
      onEvent,
      readOnly,
    };
    this.subs.add(sub);
    return () => this.subs.delete(sub);
  }

  /**
   * A watch that first replays what happened after `resourceVersion` (from the bounded history),
   * then follows live. Throws 410 Expired when that version is older than the history.
   */
  watchFrom(resource: string, opts: ListOptions, resourceVersion: string, onEvent: (e: WatchEvent) => void, readOnly = false): () => void {
    const since = Number(resourceVersion);
    if (!Number.isInteger(since) || since < 0) throw badRequest(`invalid resource version: ${JSON.stringify(resourceVersion)}`);
    const oldest = this.history.length ? this.history[0].rv : this.rv + 1;
    if (since < oldest - 1 && since < this.rv) throw gone(`too old resource version: ${since} (${oldest - 1})`);
    const d = this.def(resource);
    const sub: Subscriber = {
      resource,
      namespace: d.namespaced ? opts.namespace : undefined,
      match: this.matcher(resource, opts),
      onEvent,
      readOnly,
    };
    for (const h of this.history) if (h.rv > since && h.resource === resource) this.deliver(sub, h);
    this.subs.add(sub);
    return () => this.subs.delete(sub);
  }

  private deliver(sub: Subscriber, h: HistoryEntry): void {
    const inNs = (o?: KubeObject) => Boolean(o) && (!sub.namespace || o!.metadata.namespace === sub.namespace);
    const now = inNs(h.object) && sub.match(h.object);
    const before = h.previous ? inNs(h.previous) && sub.match(h.previous) : false;
    let type: WatchEventType | undefined;
    if (h.type === 'MODIFIED') type = now && before ? 'MODIFIED' : now ? 'ADDED' : before ? 'DELETED' : undefined;
    else type = now ? h.type : undefined;
    if (!type) return;
    try {
      sub.onEvent({ type, object: sub.readOnly ? h.object : clone(h.object) });
    } catch {
      // a watcher's bug must not break the writer
    }
  }

  // ---------- loading (persistence) ----------

  /** replace everything with a snapshot's contents; used once at start */
  load(objects: Array<{ resource: string; obj: KubeObject }>, rv: number): void {
    for (const b of this.data.values()) b.clear();
    for (const { resource, obj } of objects) this.data.get(resource)?.set(keyOf(obj.metadata.namespace, obj.metadata.name!), obj);
    this.rv = rv;
    this.history.length = 0;
  }

  /** apply one journal record on load (no events, no journal) */
  replay(rec: JournalRecord): void {
    const b = this.data.get(rec.resource);
    if (!b) return;
    const key = rec.op === 'put' ? keyOf(rec.obj.metadata.namespace, rec.obj.metadata.name!) : keyOf(rec.namespace, rec.name);
    if (rec.op === 'put') b.set(key, rec.obj);
    else b.delete(key);
    this.rv = Math.max(this.rv, rec.rv);
  }

  dump(): { rv: number; objects: Array<{ resource: string; obj: KubeObject }> } {
    const objects: Array<{ resource: string; obj: KubeObject }> = [];
    for (const [resource, b] of this.data) for (const obj of b.values()) objects.push({ resource, obj });
    return { rv: this.rv, objects };
  }

  /** delete every object at once (reset), with DELETED events so watchers and informers follow */
  wipe(): void {
    for (const [resource, b] of this.data) {
      if (resource === 'namespaces') continue;
      for (const o of [...b.values()]) this.remove(resource, clone(o));
    }
    for (const o of [...this.data.get('namespaces')!.values()]) this.remove('namespaces', clone(o));
  }

  /** forget timers and watchers */
  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.subs.clear();
  }

  // ---------- internals ----------

  private commit(resource: string, obj: KubeObject, type: 'ADDED' | 'MODIFIED'): KubeObject {
    const rv = ++this.rv;
    obj.metadata.resourceVersion = String(rv);
    const bucket = this.bucket(resource);
    const key = keyOf(obj.metadata.namespace, obj.metadata.name!);
    const previous = bucket.get(key);
    this.journal?.append({ rv, op: 'put', resource, obj });
    bucket.set(key, obj);
    this.publish({ rv, resource, type, object: obj, previous });
    return clone(obj);
  }

  private remove(resource: string, obj: KubeObject): void {
    const bucket = this.bucket(resource);
    const key = keyOf(obj.metadata.namespace, obj.metadata.name!);
    if (!bucket.has(key)) return;
    const rv = ++this.rv;
    this.journal?.append({ rv, op: 'del', resource, namespace: obj.metadata.namespace, name: obj.metadata.name! });
    bucket.delete(key);
    const last = clone(obj);
    last.metadata.resourceVersion = String(rv);
    this.publish({ rv, resource, type: 'DELETED', object: last });
  }

  private publish(h: HistoryEntry): void {
    this.history.push(h);
    // trimmed in batches: one splice per quarter of the history, not one per event
    if (this.history.length > this.historySize * 1.25) this.history.splice(0, this.history.length - this.historySize);
    for (const s of [...this.subs]) if (s.resource === h.resource) this.deliver(s, h);
  }

  private needsGrace(pod: KubeObject, opts: DeleteOptions): boolean {
    if (opts.gracePeriodSeconds === 0) return false;
    if (!(pod.spec as PodSpec | undefined)?.nodeName) return false;
    const phase = (pod.status as PodStatus | undefined)?.phase;
    return phase !== 'Succeeded' && phase !== 'Failed';
  }

  private scheduleOrphanedRemoval(resource: string, obj: KubeObject, graceSeconds: number): void {
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        const cur = this.get(resource, obj.metadata.namespace, obj.metadata.name!);
        if (cur && cur.metadata.uid === obj.metadata.uid && cur.metadata.deletionTimestamp)
          this.finalizeDelete(resource, cur.metadata.namespace, cur.metadata.name!);
      },
      graceSeconds * 1000 + this.slackMs,
    );
    t.unref();
    this.timers.add(t);
  }

  private requireLiveNamespace(ns: string, d: ResourceDef, name: string): void {
    const nsObj = this.data.get('namespaces')!.get(keyOf(undefined, ns));
    if (!nsObj) throw notFound({ group: '', resource: 'namespaces' }, ns);
    if (nsObj.metadata.deletionTimestamp)
      throw forbidden(this.gr(d), name, `unable to create new content in namespace ${ns} because it is being terminated`);
  }
}
