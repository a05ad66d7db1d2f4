// The API server's trust boundary, as the apiserver draws it: authentication turns a request's
// bearer token into a user; authorization decides what that user may do with the request's
// attributes (RBAC); pods get a ServiceAccount token and the CA so that in-cluster clients, the
// DNS pods among them, authenticate like any other client.
import type { IncomingHttpHeaders } from 'node:http';

/** who a request comes from (authentication.k8s.io/v1 UserInfo) */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** what the apiserver's authenticator chain answers for one request */
export type AuthnResult =
  | { ok: true; user: UserInfo }
  /** no credential at all, or one that no authenticator accepts: both are 401 Unauthorized */
  | { ok: false; reason: string };

export interface Authenticator {
  authenticate(headers: IncomingHttpHeaders): AuthnResult;
}

/** the attributes RBAC decides on (k8s.io/apiserver authorizer.Attributes) */
export interface RequestAttributes {
  user: UserInfo;
  /**
   * get list watch create update patch delete deletecollection, or impersonate/bind/escalate;
   * for non-resource requests the lower-cased HTTP method
   */
  verb: string;
  resourceRequest: boolean;
  /** the URL path, for non-resource requests (/version, /api, /openapi/v3, ...) */
  path: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

export interface Decision {
  allowed: boolean;
  /** why, in the apiserver's words (empty when allowed by a plain rule) */
  reason: string;
}

export interface Authorizer {
  authorize(attrs: RequestAttributes): Decision;
}

/** the credentials a pod runtime needs to give pods what a real kubelet mounts */
export interface PodCredentials {
  /** PEM of the cluster CA (the ServiceAccount volume's ca.crt) */
  caPem: string;
  /** a signed ServiceAccount token for this pod (the ServiceAccount volume's token) */
  serviceAccountToken(pod: { namespace: string; name: string; uid: string; serviceAccountName: string }): string;
  /** where an in-cluster client really connects: the API server's loopback address (it stands for kubernetes.default:443) */
  apiServer(): { host: string; port: number };
}
