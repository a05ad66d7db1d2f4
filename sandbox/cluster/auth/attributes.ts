// What a request asks to do, in the terms RBAC decides on: the apiserver's RequestInfoFactory
// (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go) reading method, path and query.
import { queryBool } from '../api/query.ts';
import type { RequestAttributes, UserInfo } from './types.ts';

const API_PREFIXES = new Set(['api', 'apis']);
/** "/api/v1/..." has no group part */
const GROUPLESS = new Set(['api']);
/** the legacy "/api/v1/watch/..." and "/proxy/..." forms name the verb in the path */
const SPECIAL_VERBS = new Set(['proxy', 'watch']);
/** "/api/v1/namespaces/<ns>/status" is the namespace's own subresource, not a resource "status" */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

const METHOD_VERBS: Record<string, string> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** a fieldSelector `metadata.name=<x>` (or ==) names one object, as the apiserver reads it */
function nameFromFieldSelector(sel: string | null): string {
  if (!sel) return '';
  const parts = sel.split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of parts) {
    const m = /^metadata\.name(?:==|=)(.*)$/.exec(p);
    if (m && m[1] && !m[1].includes('/') && m[1] !== '.' && m[1] !== '..') return m[1];
  }
  return '';
}

export function requestAttributes(user: UserInfo, method: string, pathname: string, query: URLSearchParams): RequestAttributes {
  const attrs: RequestAttributes = {
    user, verb: method.toLowerCase(), resourceRequest: false, path: pathname,
    apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '',
  };
  let parts = pathname.split('/').filter((p) => p !== '').map(safeDecode);
  if (parts.length < 3 || !API_PREFIXES.has(parts[0])) return attrs;
  const prefix = parts[0];
  parts = parts.slice(1);
  if (!GROUPLESS.has(prefix)) {
    if (parts.length < 3) return attrs;
    attrs.apiGroup = parts[0];
    parts = parts.slice(1);
  }
  attrs.resourceRequest = true;
  attrs.apiVersion = parts[0];
  parts = parts.slice(1);
  if (SPECIAL_VERBS.has(parts[0]) && parts.length >= 2) {
    attrs.verb = parts[0];
    parts = parts.slice(1);
  } else {
    attrs.verb = METHOD_VERBS[method.toUpperCase()] ?? '';
  }
  if (parts[0] === 'namespaces' && parts.length > 1) {
    attrs.namespace = parts[1];
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) parts = parts.slice(2);
  }
  // resource/name/subresource; a proxy's path after the name is not a subresource
  if (parts.length >= 3 && attrs.verb !== 'proxy') attrs.subresource = parts[2];
  if (parts.length >= 2) attrs.name = parts[1];
  if (parts.length >= 1) attrs.resource = parts[0];
  if (!attrs.name && attrs.verb === 'get') {
    attrs.verb = queryBool(query, 'watch') ? 'watch' : 'list';
    attrs.name = nameFromFieldSelector(query.get('fieldSelector'));
  }
  if (!attrs.name && attrs.verb === 'delete') attrs.verb = 'deletecollection';
  return attrs;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
