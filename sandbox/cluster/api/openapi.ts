// /openapi/v3 and /openapi/v2: Kubernetes 1.32's own documents (schemas/upstream.ts), one v3
// document per served group-version, as kube-apiserver publishes them; `kubectl explain` reads
// their schemas and kubectl's validation their PATCH operation's fieldValidation parameter.
import { createHash } from 'node:crypto';
import { apiGroups, RESOURCES } from '../resources/index.ts';
import { upstreamV2, upstreamV3 } from '../schemas/index.ts';
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
  if (!RESOURCES.some((d) => d.group === group && d.version === version)) return undefined;
  const upstream = upstreamV3(gvPath(group, version));
  if (!upstream) return undefined;
  const doc = { ...upstream, info: INFO };
  // the apiserver's hash: SHA-512 of the document, upper-case hex
  const hash = createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase();
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
