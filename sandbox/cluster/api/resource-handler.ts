// The verbs on a resource path: list/watch/create/deletecollection on collections, and
// get/update/patch/delete on one object and its status and scale subresources.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReviewContext } from '../auth/review.ts';
import type { DeleteOptions, KubeObject } from '../contracts.ts';
import { badRequest, methodNotAllowed, pathNotFound, StatusError, unsupportedMediaType, type Status } from '../errors.ts';
import { applyJsonPatch } from '../patch/json-patch.ts';
import { applyMergePatch } from '../patch/merge-patch.ts';
import { applyStrategicMergePatch } from '../patch/strategic-merge.ts';
import { serverSideApply } from '../patch/apply.ts';
import type { DeleteOptions as DeleteOptionsBody } from 'kubernetes-types/meta/v1.js';
import { groupVersion, resourceName, type ResourceDef } from '../resources/index.ts';
import { isObject } from '../resources/validation.ts';
import { decodeError, unknownFields } from '../schemas/index.ts';
import type { MemoryStore } from '../store.ts';
import { convertingStore } from './conversion.ts';
import { handleEviction } from './eviction.ts';
import { buildTable, type IncludeObject } from '../tables/index.ts';
import { mediaType, wantsPartialMetadata, wantsTable } from './negotiate.ts';
import { queryBool } from './query.ts';
import { decodeBody, readBody, sendJson, typed } from './respond.ts';
import { serveWatch } from './watch.ts';

export interface ResourceRoute {
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export interface HandlerEnv {
  store: MemoryStore & { flush?: () => Promise<void> };
  /** register a cleanup for server close; returns the unregister */
  onClose: (fn: () => void) => () => void;
  bookmarkEveryMs: number;
  /** the requesting user, for the review resources */
  review?: ReviewContext;
}

type Query = URLSearchParams;

function intParam(q: Query, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}: it must be a non-negative integer`);
  return n;
}

function dryRunParam(q: Query): boolean {
  const all = q.getAll('dryRun');
  for (const v of all) if (v !== 'All') throw badRequest(`Invalid dryRun value: ${JSON.stringify(v)}; the only supported value is "All"`);
  return all.length > 0;
}

function includeObjectParam(q: Query): IncludeObject {
  const v = q.get('includeObject') ?? 'Metadata';
  if (v !== 'None' && v !== 'Metadata' && v !== 'Object') throw badRequest(`includeObject must be one of "None", "Metadata" or "Object", not ${JSON.stringify(v)}`);
  return v;
}

/** the manager name the API derives from User-Agent when fieldManager is absent */
function fieldManagerOf(req: IncomingMessage, q: Query): string {
  const explicit = q.get('fieldManager');
  if (explicit) return explicit;
  const ua = req.headers['user-agent'] ?? 'unknown';
  return ua.split('/')[0] || 'unknown';
}

type Validation = 'Strict' | 'Warn' | 'Ignore';
function fieldValidationParam(q: Query): Validation {
  const v = q.get('fieldValidation') ?? 'Warn';
  if (v !== 'Strict' && v !== 'Warn' && v !== 'Ignore') throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", not ${JSON.stringify(v)}`);
  return v;
}

/** unknown fields: an error under Strict, Warning headers under Warn */
function checkFields(obj: KubeObject, v: Validation, warnings: string[]): void {
  const wrongType = decodeError(obj.apiVersion, obj.kind, obj);
  if (wrongType) throw badRequest(`${obj.kind} in version "${obj.apiVersion.split('/').pop()}" cannot be handled as a ${obj.kind}: ${wrongType}`);
  if (v === 'Ignore') return;
  const unknown = unknownFields(obj.apiVersion, obj.kind, obj);
  if (unknown.length === 0) return;
  if (v === 'Strict') {
    const version = obj.apiVersion.split('/').pop();
    throw badRequest(`${obj.kind} in version "${version}" cannot be handled as a ${obj.kind}: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`);
  }
  for (const f of unknown) warnings.push(`unknown field "${f}"`);
}

function warningHeaders(warnings: string[]): Record<string, string> {
  return warnings.length ? { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ') } : {};
}

function checkTypeMeta(def: ResourceDef, body: Record<string, unknown>): void {
  const gv = groupVersion(def);
  if (body.apiVersion !== undefined && body.apiVersion !== gv)
    throw badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${gv})`);
  if (body.kind !== undefined && body.kind !== def.kind) throw badRequest(`the kind in the data (${body.kind}) does not match the expected kind (${def.kind})`);
}

function asObject(def: ResourceDef, body: unknown): KubeObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest(`the request body must be a ${def.kind} object`);
  const b = body as Record<string, unknown>;
  checkTypeMeta(def, b);
  b.apiVersion = groupVersion(def);
  b.kind = def.kind;
  b.metadata ??= {};
  if (typeof b.metadata !== 'object' || Array.isArray(b.metadata)) throw badRequest('metadata must be an object');
  return b as KubeObject;
}

// ---- continue tokens: where the previous page ended ----
function encodeContinue(rv: string, lastKey: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: lastKey })).toString('base64');
}
function decodeContinue(token: string): { rv: string; start: string } {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (typeof t.start === 'string') return t;
  } catch {
    // fall through
  }
  throw badRequest(`continue key is not valid: ${JSON.stringify(token)}`);
}
const partial = (o: KubeObject) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata });
const itemKey = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export async function handleResource(
  env: HandlerEnv,
  req: IncomingMessage,
  res: ServerResponse,
  r: ResourceRoute,
  url: URL,
): Promise<void> {
  // a version served on another's storage (autoscaling/v1 HPAs): every read and write converts
  if (r.def.conversion) env = { ...env, store: convertingStore(env.store, r.def.conversion) };
  const { store } = env;
  const q = url.searchParams;
  const def = r.def;
  const resource = resourceName(def);
  const method = req.method ?? 'GET';
  const table = wantsTable(req.headers.accept);
  // the deprecated-API filter's warning, on every request to the kind (writeHead's own Warning, if any, wins)
  if (def.deprecationWarning) res.setHeader('Warning', `299 - ${JSON.stringify(def.deprecationWarning)}`);
  const verbs = def.verbs;
  if (verbs && !r.subresource) {
    const wanted =
      method === 'POST' ? 'create'
      : method === 'GET' ? (r.name ? 'get' : queryBool(q, 'watch') ? 'watch' : 'list')
      : method === 'PUT' ? 'update'
      : method === 'PATCH' ? 'patch'
      : method === 'DELETE' ? (r.name ? 'delete' : 'deletecollection')
      : method.toLowerCase();
    if (!verbs.includes(wanted)) throw methodNotAllowed();
  }

  const writeDone = async (code: number, body: unknown, warnings: string[] = []) => {
    await store.flush?.();
    sendJson(res, code, body, warningHeaders(warnings));
  };

  // ---------- collection ----------
  if (!r.name) {
    if (method === 'GET') {
      const opts = { namespace: r.namespace, labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined };
      if (queryBool(q, 'watch'))
        return serveWatch(store, req, res, {
          def, ...opts,
          resourceVersion: q.get('resourceVersion') ?? undefined,
          timeoutSeconds: intParam(q, 'timeoutSeconds'),
          allowWatchBookmarks: queryBool(q, 'allowWatchBookmarks'),
          sendInitialEvents: queryBool(q, 'sendInitialEvents'),
          table,
          partial: wantsPartialMetadata(req.headers.accept),
          includeObject: includeObjectParam(q),
          bookmarkEveryMs: env.bookmarkEveryMs,
        }, env.onClose);
      const listed = store.list(resource, opts, true);
      let items = listed.items;
      const cont = q.get('continue');
      if (cont) {
        const { start } = decodeContinue(cont);
        items = items.filter((o) => itemKey(o) > start);
      }
      const limit = intParam(q, 'limit');
      const meta: { resourceVersion: string; continue?: string; remainingItemCount?: number } = { resourceVersion: listed.resourceVersion };
      if (limit && items.length > limit) {
        meta.continue = encodeContinue(listed.resourceVersion, itemKey(items[limit - 1]));
        meta.remainingItemCount = items.length - limit;
        items = items.slice(0, limit);
      }
      if (table)
        return sendJson(res, 200, buildTable(resource, items, { now: new Date(), includeObject: includeObjectParam(q), listMeta: meta }));
      if (wantsPartialMetadata(req.headers.accept))
        return sendJson(res, 200, {
          kind: 'PartialObjectMetadataList',
          apiVersion: 'meta.k8s.io/v1',
          metadata: meta,
          items: items.map(partial),
        });
      return sendJson(res, 200, { kind: `${def.kind}List`, apiVersion: groupVersion(def), metadata: meta, items });
    }
    if (method === 'POST') {
      const warnings: string[] = [];
      const obj = asObject(def, decodeBody(await readBody(req), mediaType(req.headers['content-type'])));
      if (def.namespaced) {
        if (obj.metadata.namespace && r.namespace && obj.metadata.namespace !== r.namespace)
          throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
        obj.metadata.namespace = r.namespace ?? obj.metadata.namespace;
        if (!obj.metadata.namespace)
          throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      if (obj.metadata.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
      checkFields(obj, fieldValidationParam(q), warnings);
      const created = store.create(resource, obj, { fieldManager: fieldManagerOf(req, q), dryRun: dryRunParam(q), review: env.review });
      return writeDone(201, typed(def, created), warnings);
    }
    if (method === 'DELETE') {
      const opts = await deleteOptions(req, q);
      const deleted = store.deleteCollection(
        resource,
        { namespace: r.namespace, labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined },
        opts,
      );
      return writeDone(200, {
        kind: `${def.kind}List`,
        apiVersion: groupVersion(def),
        metadata: { resourceVersion: store.currentResourceVersion() },
        items: deleted,
      });
    }
    throw methodNotAllowed();
  }

  const name = r.name;
  const ns = def.namespaced ? r.namespace : undefined;
  if (def.namespaced && !ns) throw pathNotFound();
  const sub = r.subresource;
  if (sub && !(def.subresources ?? []).some((s) => s.name === sub)) throw pathNotFound();

  if (sub === 'scale') return handleScale(env, req, res, def, ns, name, q);
  if (sub === 'eviction') return handleEviction(store, req, res, ns!, name);
  if (sub === 'exec' || sub === 'attach') throw badRequest('Upgrade request required');
  if (sub === 'log') throw pathNotFound(); // served by the streaming handler before this

  const statusOnly = sub === 'status';
  // pods/ephemeralcontainers: the pod, written through its strategy (only ephemeral containers change)
  const writeSub = statusOnly || sub === 'ephemeralcontainers' ? sub : undefined;
  switch (method) {
    case 'GET': {
      const obj = store.getOrThrow(resource, ns, name);
      if (table)
        return sendJson(
          res,
          200,
          buildTable(resource, [obj], {
            now: new Date(),
            includeObject: includeObjectParam(q),
            listMeta: { resourceVersion: obj.metadata.resourceVersion },
          }),
        );
      if (wantsPartialMetadata(req.headers.accept)) return sendJson(res, 200, partial(obj));
      return sendJson(res, 200, typed(def, obj));
    }
    case 'PUT': {
      const warnings: string[] = [];
      const obj = asObject(def, decodeBody(await readBody(req), mediaType(req.headers['content-type'])));
      if (obj.metadata.name && obj.metadata.name !== name)
        throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
      if (def.namespaced && obj.metadata.namespace && obj.metadata.namespace !== ns)
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      obj.metadata.name = name;
      if (ns) obj.metadata.namespace = ns;
      checkFields(obj, fieldValidationParam(q), warnings);
      const wopts = { fieldManager: fieldManagerOf(req, q), dryRun: dryRunParam(q), review: env.review, subresource: writeSub };
      const out = statusOnly ? store.updateStatus(resource, obj, wopts) : store.update(resource, obj, wopts);
      return writeDone(200, typed(def, out), warnings);
    }
    case 'PATCH': {
      const { code, obj, warnings } = await patchObject(env, req, def, ns, name, q, writeSub);
      return writeDone(code, typed(def, obj), warnings);
    }
    case 'DELETE': {
      if (sub) throw methodNotAllowed();
      const opts = await deleteOptions(req, q);
      const before = store.getOrThrow(resource, ns, name);
      const out = store.delete(resource, ns, name, opts) ?? before;
      const after = opts.dryRun ? undefined : store.get(resource, ns, name);
      // a dry run says what a real delete would: graceful kinds and finalizers keep the object
      const wasDeleted = opts.dryRun
        ? !def.gracefulDelete && !before.metadata.finalizers?.length
        : after?.metadata.uid !== before.metadata.uid;
      // 202 only for an object kept with orphanDependents=false, as handlers/delete.go says
      const code = !wasDeleted && opts.orphanDependents === false ? 202 : 200;
      if (!wasDeleted || RETURNS_DELETED_OBJECT.has(resource)) return writeDone(code, typed(def, out));
      return writeDone(code, deletedStatus(def, name, before.metadata.uid));
    }
  }
  throw methodNotAllowed();
}

/**
 * The registries whose Store sets ReturnDeletedObject (k8s.io/kubernetes pkg/registry/core/
 * {pod,service,namespace,serviceaccount}/storage/storage.go) answer a delete with the deleted
 * object; every other one with finalizeDelete's Status (k8s.io/apiserver
 * pkg/registry/generic/registry/store.go).
 */
const RETURNS_DELETED_OBJECT = new Set(['pods', 'services', 'namespaces', 'serviceaccounts']);

/** finalizeDelete's Status: no code, and the resource (not the kind) in details.kind */
function deletedStatus(def: ResourceDef, name: string, uid: string | undefined): Omit<Status, 'code'> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, ...(def.group ? { group: def.group } : {}), kind: def.resource, uid } };
}

/**
 * DeleteOptions come from the body when there is one, else from the query, as handlers/delete.go
 * decodes them (never both).
 */
async function deleteOptions(
  req: IncomingMessage,
  q: Query,
): Promise<DeleteOptions & { resourceVersion?: string; uid?: string; orphanDependents?: boolean }> {
  const raw = await readBody(req);
  const fromBody = raw.toString('utf8').trim() !== '';
  const body = fromBody ? (decodeBody(raw, mediaType(req.headers['content-type'])) as DeleteOptionsBody) : {};
  const policy = fromBody ? body.propagationPolicy : (q.get('propagationPolicy') ?? undefined);
  if (policy !== undefined && policy !== null && !isPropagationPolicy(policy))
    throw badRequest(
      `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan", "nil"`,
    );
  const orphan = fromBody ? body.orphanDependents : q.has('orphanDependents') ? queryBool(q, 'orphanDependents') : undefined;
  const graceRaw = fromBody ? body.gracePeriodSeconds : intParam(q, 'gracePeriodSeconds');
  const dry = fromBody ? Array.isArray(body.dryRun) && body.dryRun.includes('All') : dryRunParam(q);
  return {
    propagationPolicy: policy ?? (orphan === true ? 'Orphan' : undefined),
    gracePeriodSeconds: graceRaw === undefined || graceRaw === null ? undefined : Number(graceRaw),
    dryRun: dry,
    orphanDependents: orphan ?? undefined,
    resourceVersion: body.preconditions?.resourceVersion,
    uid: body.preconditions?.uid,
  };
}

const POLICIES: ReadonlyArray<string | undefined> = ['Foreground', 'Background', 'Orphan'] satisfies DeleteOptions['propagationPolicy'][];
const isPropagationPolicy = (p: string): p is NonNullable<DeleteOptions['propagationPolicy']> => POLICIES.includes(p);

const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

async function patchObject(
  env: HandlerEnv, req: IncomingMessage, def: ResourceDef, ns: string | undefined, name: string, q: Query, subresource?: string,
): Promise<{ code: number; obj: KubeObject; warnings: string[] }> {
  const { store } = env;
  const resource = resourceName(def);
  const ct = mediaType(req.headers['content-type']);
  if (!PATCH_TYPES.includes(ct)) throw unsupportedMediaType(ct);
  const patch = decodeBody(await readBody(req), ct);
  const validation = fieldValidationParam(q);
  const manager = fieldManagerOf(req, q);
  const dryRun = dryRunParam(q);
  const warnings: string[] = [];

  if (ct === 'application/apply-patch+yaml') {
    if (!q.get('fieldManager')) throw badRequest('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    const applied = asObject(def, patch);
    if (applied.metadata.managedFields !== undefined) throw badRequest('metadata.managedFields must be nil');
    if (applied.metadata.name && applied.metadata.name !== name) throw badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`);
    applied.metadata.name = name;
    if (ns) applied.metadata.namespace = ns;
    checkFields(applied, validation, warnings);
    const force = queryBool(q, 'force');
    for (let attempt = 0; ; attempt++) {
      const live = store.get(resource, ns, name);
      const { object, managedFields } = serverSideApply({ live, applied, manager, force, apiVersion: groupVersion(def), subresource });
      try {
        if (!live) return { code: 201, obj: store.create(resource, object, { fieldManager: manager, dryRun, managedFields, operation: 'Apply', review: env.review }), warnings };
        object.metadata.resourceVersion = live.metadata.resourceVersion;
        const wopts = { fieldManager: manager, dryRun, managedFields, operation: 'Apply' as const, resourceVersion: live.metadata.resourceVersion, subresource, review: env.review };
        return { code: 200, obj: subresource === 'status' ? store.updateStatus(resource, object, wopts) : store.update(resource, object, wopts), warnings };
      } catch (e) {
        if (attempt < 5 && e instanceof StatusError && e.status.reason === 'Conflict' && !e.status.details?.causes) continue;
        throw e;
      }
    }
  }

  for (let attempt = 0; ; attempt++) {
    const cur = store.getOrThrow(resource, ns, name);
    let next: KubeObject;
    if (ct === 'application/json-patch+json') next = applyJsonPatch(cur, patch, def.kind, name) as KubeObject;
    else if (ct === 'application/merge-patch+json') next = applyMergePatch(cur, patch) as KubeObject;
    else next = applyStrategicMergePatch(cur, patch) as KubeObject;
    if (typeof next !== 'object' || next === null) throw badRequest('the patch did not produce an object');
    checkTypeMeta(def, next);
    if (next.metadata?.name !== name) throw badRequest(`the name of the object (${next.metadata?.name}) does not match the name on the URL (${name})`);
    checkFields(next, validation, warnings);
    // a patch that names a resourceVersion is a precondition; otherwise it applies to the latest
    const explicitRV: string | undefined = isObject(patch) ? patch.metadata?.resourceVersion : undefined;
    const wopts = {
      fieldManager: manager,
      dryRun,
      resourceVersion: explicitRV ?? cur.metadata.resourceVersion,
      subresource,
      review: env.review,
    };
    try {
      const out = subresource === 'status' ? store.updateStatus(resource, next, wopts) : store.update(resource, next, wopts);
      return { code: 200, obj: out, warnings };
    } catch (e) {
      if (!explicitRV && attempt < 5 && e instanceof StatusError && e.status.reason === 'Conflict') continue;
      throw e;
    }
  }
}

function toScale(def: ResourceDef, o: KubeObject): KubeObject {
  const spec = isObject(o.spec) ? o.spec : {};
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: o.metadata.name,
      namespace: o.metadata.namespace,
      uid: o.metadata.uid,
      resourceVersion: o.metadata.resourceVersion,
      creationTimestamp: o.metadata.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: isObject(o.status) ? (o.status.replicas ?? 0) : 0, selector: def.scale?.selector(o) ?? '' },
  };
}

async function handleScale(
  env: HandlerEnv,
  req: IncomingMessage,
  res: ServerResponse,
  def: ResourceDef,
  ns: string | undefined,
  name: string,
  q: Query,
): Promise<void> {
  const { store } = env;
  const resource = resourceName(def);
  const method = req.method ?? 'GET';
  const cur = store.getOrThrow(resource, ns, name);
  if (method === 'GET') return sendJson(res, 200, toScale(def, cur));
  if (method !== 'PUT' && method !== 'PATCH') throw methodNotAllowed();
  const ct = mediaType(req.headers['content-type']);
  const body = decodeBody(await readBody(req), ct);
  const scale = toScale(def, cur);
  let next: unknown;
  if (method === 'PUT') next = body;
  else if (ct === 'application/json-patch+json') next = applyJsonPatch(scale, body, 'Scale', name);
  else if (ct === 'application/merge-patch+json' || ct === 'application/strategic-merge-patch+json') next = applyMergePatch(scale, body);
  else throw unsupportedMediaType(ct);
  const nextSpec = isObject(next) && isObject(next.spec) ? next.spec : {};
  const replicas: unknown = nextSpec.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)
    throw new StatusError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      reason: 'Invalid',
      code: 422,
      message: `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
      details: {
        name,
        group: 'autoscaling',
        kind: 'Scale',
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
            field: 'spec.replicas',
          },
        ],
      },
    });
  const nextRV: string | undefined = isObject(next) ? next.metadata?.resourceVersion : undefined;
  const wantRV = nextRV && method === 'PUT' ? nextRV : undefined;
  const updated: KubeObject = { ...cur, spec: { ...(isObject(cur.spec) ? cur.spec : {}), replicas } };
  const out = store.update(resource, updated, {
    fieldManager: fieldManagerOf(req, q),
    dryRun: dryRunParam(q),
    resourceVersion: wantRV ?? cur.metadata.resourceVersion,
    subresource: 'scale',
  });
  await store.flush?.();
  sendJson(res, 200, toScale(def, out));
}
