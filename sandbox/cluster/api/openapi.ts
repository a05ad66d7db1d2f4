// /openapi/v3 and /openapi/v2: Kubernetes 1.32's own documents (schemas/upstream.ts), one v3
// document per served group-version, as kube-apiserver publishes them; `kubectl explain` reads
// their schemas and kubectl's validation their PATCH operation's fieldValidation parameter.
import { apiGroups, RESOURCES } from '../resources/index.ts';
import { upstreamV2, upstreamV3, upstreamV3Hash } from '../schemas/index.ts';
import { KUBE_VERSION } from './discovery.ts';
import { swaggerToProtobuf } from './openapi-v2-proto.ts';

const gvPath = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`);

const cache = new Map<string, { doc: unknown; hash: string }>();

// the files in the repo say "unversioned"; a running apiserver names its own version
const INFO = { title: 'Kubernetes', version: KUBE_VERSION.gitVersion };

export function openapiDocument(group: string, version: string): { doc: unknown; hash: string } | undefined {
  const key = `${group}/${version}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const hash = documentHash(group, version);
  const upstream = hash ? upstreamV3(gvPath(group, version)) : undefined;
  if (!hash || !upstream) return undefined;
  const out = { doc: { ...upstream, info: INFO }, hash };
  cache.set(key, out);
  return out;
}

/**
 * The hash in a document's URL. The apiserver's is a SHA-512 of the document, upper-case hex;
 * clients only use it as a cache key, so ours is a SHA-512 of the shipped file and the version:
 * it changes exactly when the served document does, and the root lists every document without
 * parsing one (about 0.2 s of CPU at each start before).
 */
function documentHash(group: string, version: string): string | undefined {
  if (!RESOURCES.some((d) => d.group === group && d.version === version)) return undefined;
  return upstreamV3Hash(gvPath(group, version), INFO.version);
}

export function openapiRoot() {
  const paths: Record<string, unknown> = {};
  for (const g of apiGroups()) {
    for (const v of new Set(RESOURCES.filter((d) => d.group === g).map((d) => d.version))) {
      paths[gvPath(g, v)] = { serverRelativeURL: `/openapi/v3/${gvPath(g, v)}?hash=${documentHash(g, v)}` };
    }
  }
  return { paths };
}

let v2: { json: Buffer; protobuf?: Buffer } | undefined;

/**
 * /openapi/v2: upstream's swagger.json, which kubectl reads for `explain --output=plaintext-openapiv2`
 * and for kinds the v3 documents do not list (so that an unserved kind ends in "no matches for
 * kind"). kubectl asks for gnostic's protobuf encoding; other clients get JSON.
 */
export function openapiV2(accept: string | undefined): { body: Buffer; contentType: string } | undefined {
  v2 ??= { json: Buffer.from(JSON.stringify({ ...upstreamV2(), info: INFO })) };
  if ((accept ?? '').includes('protobuf')) {
    try {
      v2.protobuf ??= swaggerToProtobuf({ ...upstreamV2(), info: INFO });
      return { body: v2.protobuf, contentType: 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf' };
    } catch {
      return undefined;
    }
  }
  return { body: v2.json, contentType: 'application/json' };
}
