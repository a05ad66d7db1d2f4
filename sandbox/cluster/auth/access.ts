// The apiserver's filter chain after authentication, in its order: impersonation (who the
// request acts as), then authorization (may they). Authentication itself is the request
// gate's (api/request-gate.ts), which runs first and hands over the user; without an
// authorizer everything is allowed (the in-memory servers tests start).
import type { IncomingMessage } from 'node:http';
import { requestAttributes } from './attributes.ts';
import { forbiddenError } from './forbidden.ts';
import { distinctHeaders, impersonate } from './impersonation.ts';
import type { Authenticator, Authorizer, RequestAttributes, UserInfo } from './types.ts';

/** the learner's kubeconfig user: cluster-admin through system:masters, as on kops */
export const LEARNER: UserInfo = { username: 'admin', groups: ['system:masters', 'system:authenticated'] };

export interface AccessControl {
  authenticator?: Authenticator;
  authorizer?: Authorizer;
}

/** the request's attributes with the user it acts as; throws the 403 Status */
export function admit(ac: AccessControl, req: IncomingMessage, url: URL, user: UserInfo): RequestAttributes {
  return admitAs(ac, req, url, user, false);
}

/**
 * An exec or attach WebSocket is a GET, which Kubernetes 1.32 authorizes as `get` on
 * pods/exec. When that is refused, kubectl falls back to SPDY, a POST authorized as `create`,
 * and a real 1.32 cluster lets it in. This API speaks no SPDY, so it lets the WebSocket in on
 * `create` too: a Role granting `create` on pods/exec (the usual one) works as on a real
 * cluster. Refused both ways, the answer is the `get` refusal; kubectl's SPDY retry then gets
 * the `create` one, as from a real apiserver. A port-forward WebSocket (GET) is let in on `create`
 * of pods/portforward the same way; its SPDY form is a POST, authorized as `create`.
 */
export function admitUpgrade(ac: AccessControl, req: IncomingMessage, url: URL, user: UserInfo): RequestAttributes {
  return admitAs(ac, req, url, user, true);
}

function admitAs(ac: AccessControl, req: IncomingMessage, url: URL, authenticated: UserInfo, upgrade: boolean): RequestAttributes {
  const user = impersonate(authenticated, req.headersDistinct ?? distinctHeaders(req.headers), ac.authorizer);
  const attrs = requestAttributes(user, req.method ?? 'GET', url.pathname, url.searchParams);
  if (ac.authorizer) {
    const d = ac.authorizer.authorize(attrs);
    const streaming = upgrade && attrs.verb === 'get' && attrs.resource === 'pods' && (attrs.subresource === 'exec' || attrs.subresource === 'attach' || attrs.subresource === 'portforward');
    if (!d.allowed && !(streaming && ac.authorizer.authorize({ ...attrs, verb: 'create' }).allowed)) throw forbiddenError(attrs, d.reason);
  }
  return attrs;
}
