// The Kubernetes 1.32 OpenAPI documents, upstream's files as data (k8s-1.32/README.md says where
// each comes from). Each is decompressed and parsed on first use and kept.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';

/** an OpenAPI schema object, as far as the lab reads one (the rest passes through) */
export interface Schema {
  type?: string;
  format?: string;
  description?: string;
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  required?: string[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  [extension: string]: unknown;
}

export interface OpenApiV3Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, unknown>;
  components: { schemas: Record<string, Schema> };
}

export interface SwaggerDocument {
  swagger: string;
  info: { title: string; version: string };
  paths: Record<string, unknown>;
  definitions: Record<string, Schema>;
  [key: string]: unknown;
}

const DATA = new URL('./k8s-1.32/', import.meta.url);

const read = <T>(file: string): T => JSON.parse(brotliDecompressSync(readFileSync(new URL(file, DATA))).toString('utf8')) as T;

/** "api/v1", "apis/apps/v1" -> upstream's file name */
const v3File = (gvPath: string) => `v3/${gvPath.replaceAll('/', '__')}_openapi.json.br`;

const v3Docs = new Map<string, OpenApiV3Document | null>();
const v3Hashes = new Map<string, string | null>();

/** what `use` makes of a shipped file, or null when the file is not shipped */
function ifShipped<T>(use: () => T): T | null {
  try {
    return use();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return null;
  }
}

/** the cached value for gvPath, made once (null for a group-version that is not shipped) */
function once<T>(cache: Map<string, T | null>, gvPath: string, make: () => T): T | undefined {
  let v = cache.get(gvPath);
  if (v === undefined) cache.set(gvPath, (v = ifShipped(make)));
  return v ?? undefined;
}

/**
 * An upper-case hex SHA-512 that names one shipped v3 document's content (with `salt`, the
 * serving version), or undefined when not shipped. Taken over the compressed file, so naming all
 * of them in /openapi/v3 costs a read of each rather than a decompress and parse of each.
 */
export function upstreamV3Hash(gvPath: string, salt: string): string | undefined {
  return once(v3Hashes, gvPath, () => createHash('sha512').update(salt).update(readFileSync(new URL(v3File(gvPath), DATA))).digest('hex').toUpperCase());
}

/** upstream's v3 document for a group-version path ("api/v1", "apis/apps/v1"), or undefined when not shipped */
export function upstreamV3(gvPath: string): OpenApiV3Document | undefined {
  return once(v3Docs, gvPath, () => read<OpenApiV3Document>(v3File(gvPath)));
}

let swagger: SwaggerDocument | undefined;
/** upstream's api/openapi-spec/swagger.json */
export function upstreamV2(): SwaggerDocument {
  swagger ??= read<SwaggerDocument>('swagger.json.br');
  return swagger;
}

const index = new Map<string, Schema>();

/** the group-version path whose document declares a kind's schemas first ("io.k8s.api.apps.v1.X" -> "apis/apps/v1") */
function ownDocument(fullName: string): string | undefined {
  const m = /^io\.k8s\.api\.([^.]+)\.([^.]+)\./.exec(fullName);
  if (!m) return 'api/v1'; // apimachinery's meta/v1, runtime, intstr, resource: every document has them
  if (m[1] === 'core') return 'api/v1';
  return SHIPPED_V3.find((p) => p.split('/')[1].split('.')[0] === m[1] && p.endsWith(`/${m[2]}`));
}

/** a component schema by its full name ("io.k8s.api.core.v1.Pod"), in its 1.32 v3 form */
export function lookupSchema(fullName: string): Schema | undefined {
  const hit = index.get(fullName);
  if (hit) return hit;
  const own = ownDocument(fullName);
  // a kind from another group (policy's Eviction, autoscaling's Scale) sits in the documents that use it
  for (const gvPath of own ? [own, ...SHIPPED_V3] : SHIPPED_V3) {
    const s = upstreamV3(gvPath)?.components.schemas[fullName];
    if (s) {
      index.set(fullName, s);
      return s;
    }
  }
  return undefined;
}

const kindIndex = new Map<string, string>();

/**
 * The component name of a kind, as its x-kubernetes-group-version-kind says
 * ("io.k8s.api.apps.v1.Deployment", "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition").
 */
export function schemaNameOf(group: string, version: string, kind: string): string | undefined {
  const gvPath = group ? `apis/${group}/${version}` : `api/${version}`;
  const key = `${gvPath}/${kind}`;
  if (!kindIndex.has(key)) {
    const schemas = upstreamV3(gvPath)?.components.schemas ?? {};
    for (const [name, s] of Object.entries(schemas)) {
      const gvks = (s['x-kubernetes-group-version-kind'] ?? []) as Array<{ group: string; version: string; kind: string }>;
      for (const g of gvks) if (g.group === group && g.version === version) kindIndex.set(`${gvPath}/${g.kind}`, name);
    }
  }
  return kindIndex.get(key);
}

/** the group-versions whose v3 documents are shipped (one per served group-version) */
export const SHIPPED_V3 = [
  'api/v1',
  'apis/admissionregistration.k8s.io/v1',
  'apis/apps/v1',
  'apis/apiextensions.k8s.io/v1',
  'apis/apiregistration.k8s.io/v1',
  'apis/authentication.k8s.io/v1',
  'apis/authorization.k8s.io/v1',
  'apis/autoscaling/v1',
  'apis/autoscaling/v2',
  'apis/batch/v1',
  'apis/certificates.k8s.io/v1',
  'apis/coordination.k8s.io/v1',
  'apis/discovery.k8s.io/v1',
  'apis/events.k8s.io/v1',
  'apis/flowcontrol.apiserver.k8s.io/v1',
  'apis/networking.k8s.io/v1',
  'apis/node.k8s.io/v1',
  'apis/policy/v1',
  'apis/rbac.authorization.k8s.io/v1',
  'apis/scheduling.k8s.io/v1',
  'apis/storage.k8s.io/v1',
];
