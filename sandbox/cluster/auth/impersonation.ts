// Impersonation headers (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go): each
// Impersonate-* value is authorized as verb `impersonate` on users, groups, serviceaccounts (in
// their namespace), uids or userextras; the request then runs as the user they describe.
import type { IncomingHttpHeaders } from 'node:http';
import { internalError } from '../errors.ts';
import { forbiddenError } from './forbidden.ts';
import { parseServiceAccountUsername } from './rbac.ts';
import type { Authorizer, RequestAttributes, UserInfo } from './types.ts';

const AUTHENTICATED = 'system:authenticated';
const UNAUTHENTICATED = 'system:unauthenticated';
const ANONYMOUS = 'system:anonymous';
const EXTRA_PREFIX = 'impersonate-extra-';

/** one header value per entry, as Go's http.Header keeps repeated headers apart */
export type DistinctHeaders = Record<string, string[] | undefined>;

export function distinctHeaders(headers: IncomingHttpHeaders): DistinctHeaders {
  const out: DistinctHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v : [v];
  return out;
}

function record(requestor: UserInfo, resource: string, name: string, group = '', namespace = '', subresource = ''): RequestAttributes {
  return {
    user: requestor, verb: 'impersonate', resourceRequest: true, path: '',
    apiGroup: group, apiVersion: 'v1', resource, subresource, namespace, name,
  };
}

function unescapeExtraKey(k: string): string {
  try {
    return decodeURIComponent(k);
  } catch {
    return k;
  }
}

/**
 * The user a request acts as: the requestor itself without Impersonate-* headers, otherwise the
 * impersonated user once every header value is authorized. Throws the apiserver's 403.
 */
export function impersonate(requestor: UserInfo, headers: DistinctHeaders, authorizer: Authorizer | undefined): UserInfo {
  const userHeader = headers['impersonate-user']?.[0] ?? '';
  const groupHeaders = headers['impersonate-group'] ?? [];
  const uidHeader = headers['impersonate-uid']?.[0] ?? '';
  const extraHeaders = Object.entries(headers).filter(([k]) => k.startsWith(EXTRA_PREFIX));
  if (!userHeader && groupHeaders.length === 0 && !uidHeader && extraHeaders.length === 0) return requestor;
  if (!userHeader) throw internalError('requested impersonation of groups, uid or user-extra without impersonating a user');

  const checks: RequestAttributes[] = [];
  const username = userHeader;
  let groups: string[] = [];
  const extra: Record<string, string[]> = {};
  const sa = parseServiceAccountUsername(userHeader);
  if (sa) {
    checks.push(record(requestor, 'serviceaccounts', sa.name, '', sa.namespace));
    if (groupHeaders.length === 0) groups = ['system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`];
  } else {
    checks.push(record(requestor, 'users', userHeader));
  }
  for (const g of groupHeaders) {
    checks.push(record(requestor, 'groups', g));
    groups.push(g);
  }
  for (const [header, values] of extraHeaders) {
    const key = unescapeExtraKey(header.slice(EXTRA_PREFIX.length));
    for (const v of values ?? []) {
      checks.push(record(requestor, 'userextras', v, 'authentication.k8s.io', '', key));
      (extra[key] ??= []).push(v);
    }
  }
  if (uidHeader) checks.push(record(requestor, 'uids', uidHeader, 'authentication.k8s.io'));

  if (authorizer)
    for (const attrs of checks) {
      const d = authorizer.authorize(attrs);
      if (!d.allowed) throw forbiddenError(attrs, d.reason);
    }

  if (username !== ANONYMOUS) {
    if (!groups.includes(AUTHENTICATED) && !groups.includes(UNAUTHENTICATED)) groups.push(AUTHENTICATED);
  } else if (!groups.includes(UNAUTHENTICATED)) {
    groups.push(UNAUTHENTICATED);
  }
  return { username, groups, ...(uidHeader ? { uid: uidHeader } : {}), ...(Object.keys(extra).length ? { extra } : {}) };
}
