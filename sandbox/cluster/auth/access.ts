// The apiserver's filter chain in front of every handler, in its order: authentication (who
// sent the request), impersonation (who it acts as), authorization (may they). Without an
// authenticator every request comes from the learner, as the lab's kubeconfig user; without
// an authorizer everything is allowed (the in-memory servers tests start).
import type { IncomingMessage } from 'node:http';
import { StatusError } from '../errors.ts';
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

function unauthorized(): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
}

/** the request's attributes with the user it acts as; throws the 401 or 403 Status */
export function admit(ac: AccessControl, req: IncomingMessage, url: URL): RequestAttributes {
  return admitAs(ac, req, url, false);
}

/**
 * An exec or attach WebSocket is a GET, which Kubernetes 1.32 authorizes as `get` on
 * pods/exec. When that is refused, kubectl falls back to SPDY, a POST authorized as `create`,
 * and a real 1.32 cluster lets it in. This API speaks no SPDY, so it lets the WebSocket in on
 * `create` too: a Role granting `create` on pods/exec (the usual one) works as on a real
 * cluster. Refused both ways, the answer is the `get` refusal; kubectl's SPDY retry then gets
 * the `create` one, as from a real apiserver.
 */
export function admitUpgrade(ac: AccessControl, req: IncomingMessage, url: URL): RequestAttributes {
  return admitAs(ac, req, url, true);
}

function admitAs(ac: AccessControl, req: IncomingMessage, url: URL, upgrade: boolean): RequestAttributes {
  let user = LEARNER;
  if (ac.authenticator) {
    const r = ac.authenticator.authenticate(req.headers);
    if (!r.ok) throw unauthorized();
    user = r.user;
  }
  user = impersonate(user, req.headersDistinct ?? distinctHeaders(req.headers), ac.authorizer);
  const attrs = requestAttributes(user, req.method ?? 'GET', url.pathname, url.searchParams);
  if (ac.authorizer) {
    const d = ac.authorizer.authorize(attrs);
    const streaming = upgrade && attrs.verb === 'get' && attrs.resource === 'pods' && (attrs.subresource === 'exec' || attrs.subresource === 'attach');
    if (!d.allowed && !(streaming && ac.authorizer.authorize({ ...attrs, verb: 'create' }).allowed)) throw forbiddenError(attrs, d.reason);
  }
  return attrs;
}
