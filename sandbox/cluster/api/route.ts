// Parses a Kubernetes API path into what it names: a discovery document, or a resource
// (optionally in a namespace, optionally one object, optionally a subresource).
import { badRequest } from '../errors.ts';
import { findByGVR, type ResourceDef } from '../resources/index.ts';

export type Route =
  | { type: 'version' }
  | { type: 'healthz'; what: string }
  | { type: 'api-root' }
  | { type: 'apis-root' }
  | { type: 'group'; group: string }
  | { type: 'group-version'; group: string; version: string }
  | { type: 'openapi-v3-root' }
  | { type: 'openapi-v3'; group: string; version: string }
  | { type: 'openapi-v2' }
  | { type: 'resource'; def: ResourceDef; namespace?: string; name?: string; subresource?: string }
  | { type: 'unknown' };

/** a bad escape is the client's error (400 BadRequest, as Go's url.PathUnescape fails), not a 500 */
function unescapeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    const bad = /%(?![0-9a-fA-F]{2}).{0,2}/s.exec(segment)?.[0] ?? segment;
    throw badRequest(`invalid URL escape ${JSON.stringify(bad)}`);
  }
}

/** Throws a BadRequest StatusError for a malformed percent-escape in a resource path. */
export function parseRoute(pathname: string): Route {
  const p = pathname.replace(/\/+$/, '') || '/';
  if (p === '/version') return { type: 'version' };
  if (p === '/healthz' || p === '/livez' || p === '/readyz' || p.startsWith('/healthz/') || p.startsWith('/livez/') || p.startsWith('/readyz/'))
    return { type: 'healthz', what: p };
  if (p === '/api') return { type: 'api-root' };
  if (p === '/apis') return { type: 'apis-root' };
  if (p === '/openapi/v3') return { type: 'openapi-v3-root' };
  if (p === '/openapi/v2' || p === '/swagger.json') return { type: 'openapi-v2' };
  let m = /^\/openapi\/v3\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(p);
  if (m) return { type: 'openapi-v3', group: m[1] ? '' : m[2], version: m[1] ?? m[3] };
  m = /^\/apis\/([^/]+)$/.exec(p);
  if (m) return { type: 'group', group: m[1] };
  if (p === '/api/v1') return { type: 'group-version', group: '', version: 'v1' };
  m = /^\/apis\/([^/]+)\/([^/]+)$/.exec(p);
  if (m) return { type: 'group-version', group: m[1], version: m[2] };
  m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/(.+)$/.exec(p);
  if (!m) return { type: 'unknown' };
  const group = m[1] ? '' : m[2];
  const version = m[1] ?? m[3];
  const parts = m[4].split('/').map(unescapeSegment);
  let namespace: string | undefined;
  // "namespaces/<ns>/<resource>..." is a namespaced path unless it is the namespace object itself
  if (parts[0] === 'namespaces' && parts.length >= 3 && !(parts.length === 3 && ['status', 'finalize'].includes(parts[2]))) {
    namespace = parts[1];
    parts.splice(0, 2);
  }
  const def = findByGVR(group, version, parts[0]);
  if (!def || parts.length > 3) return { type: 'unknown' };
  if (namespace !== undefined && !def.namespaced) return { type: 'unknown' };
  return { type: 'resource', def, namespace, name: parts[1], subresource: parts[2] };
}
