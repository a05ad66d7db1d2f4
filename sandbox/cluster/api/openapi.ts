// /openapi/v3: the root lists one document per group-version; each document declares the
// operations kubectl looks for (a PATCH that takes fieldValidation switches kubectl to
// server-side validation) and the schemas `kubectl explain` reads.
import { createHash } from 'node:crypto';
import { apiGroups, RESOURCES, type ResourceDef } from '../resources/index.ts';
import { componentSchemas } from '../schemas/index.ts';
import { KUBE_VERSION } from './discovery.ts';
import { encodeMessage } from './protobuf/encode.ts';

const gvPath = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`);

const cache = new Map<string, { doc: unknown; hash: string }>();

function operationsFor(d: ResourceDef) {
  const base = `/${gvPath(d.group, d.version)}${d.namespaced ? '/namespaces/{namespace}' : ''}/${d.resource}`;
  const gvk = { group: d.group, version: d.version, kind: d.kind };
  const ref = { $ref: `#/components/schemas/${schemaName(d)}` };
  const params = [
    { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
    { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
    { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
  ];
  const op = (verb: string, action: string) => ({
    operationId: `${verb}${d.namespaced ? 'Namespaced' : ''}${d.kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    parameters: params,
    responses: { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } },
  });
  const paths: Record<string, unknown> = {};
  if ((d.verbs ?? ['get']).includes('get'))
    paths[`${base}/{name}`] = { get: op('read', 'get'), put: op('replace', 'put'), patch: op('patch', 'patch'), delete: op('delete', 'delete') };
  paths[base] = { post: op('create', 'post'), ...(d.virtual ? {} : { get: op('list', 'list') }) };
  return paths;
}

/** io.k8s.api.apps.v1.Deployment */
export function schemaName(d: Pick<ResourceDef, 'group' | 'version' | 'kind'>): string {
  return `io.k8s.api.${d.group ? d.group.split('.')[0] : 'core'}.${d.version}.${d.kind}`;
}

export function openapiDocument(group: string, version: string): { doc: unknown; hash: string } | undefined {
  const key = `${group}/${version}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const defs = RESOURCES.filter((d) => d.group === group && d.version === version);
  if (defs.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const d of defs) Object.assign(paths, operationsFor(d));
  const doc = { openapi: '3.0.0', info: { title: 'Kubernetes', version: KUBE_VERSION.gitVersion }, paths, components: { schemas: componentSchemas(group, version) } };
  const hash = createHash('sha512').update(JSON.stringify(doc)).digest('hex').slice(0, 64).toUpperCase();
  const out = { doc, hash };
  cache.set(key, out);
  return out;
}

export function openapiRoot() {
  const paths: Record<string, unknown> = {};
  for (const g of apiGroups()) {
    for (const v of new Set(RESOURCES.filter((d) => d.group === g).map((d) => d.version))) {
      const doc = openapiDocument(g, v)!;
      paths[gvPath(g, v)] = { serverRelativeURL: `/openapi/v3/${gvPath(g, v)}?hash=${doc.hash}` };
    }
  }
  return { paths };
}

const V2_DOC = { swagger: '2.0', info: { title: 'Kubernetes', version: KUBE_VERSION.gitVersion }, paths: {}, definitions: {} };

/**
 * /openapi/v2 without definitions: the lab's schemas are served as v3. kubectl still reads v2 for
 * kinds v3 does not list (a manifest with an unknown kind), and must get a document it can parse
 * so that it says "no matches for kind" rather than "could not find the requested resource".
 * kubectl asks for gnostic's protobuf encoding; other clients get JSON.
 */
export function openapiV2(accept: string | undefined): { body: Buffer; contentType: string } | undefined {
  if ((accept ?? '').includes('protobuf')) {
    try {
      return { body: encodeMessage('openapi.v2.Document', V2_DOC), contentType: 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf' };
    } catch {
      return undefined;
    }
  }
  return { body: Buffer.from(JSON.stringify(V2_DOC)), contentType: 'application/json' };
}
