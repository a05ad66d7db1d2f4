// Bearer tokens, as the apiserver's token authenticators see them: the learner's static admin
// token (kops's `admin` user, in system:masters), and ServiceAccount tokens, JWTs signed with the
// state dir's ServiceAccount key and bound to their ServiceAccount (and pod) by uid the way the
// TokenRequest API binds them. A token that verifies but whose ServiceAccount or pod is gone, or
// has another uid, is refused: deleting the ServiceAccount revokes it.
import { createHash, randomBytes, randomUUID, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterStore } from '../contracts.ts';
import { writePrivateFile, type Pki } from './pki.ts';
import type { Authenticator, AuthnResult, PodCredentials, UserInfo } from './types.ts';

/** the user kops writes into the admin kubeconfig; cluster-admin through the system:masters binding */
export const ADMIN_USER: UserInfo = { username: 'admin', groups: ['system:masters', 'system:authenticated'] };

/** the apiserver's default --service-account-issuer (and audience) */
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** a kubelet asks for 3607 s; the apiserver extends such tokens to a year and warns after the hour */
const REQUESTED_SECONDS = 3607;
const EXTENDED_SECONDS = 365 * 24 * 3600;
/** clock skew the apiserver tolerates on exp/nbf */
const LEEWAY_SECONDS = 60;

export const ADMIN_TOKEN_FILE = 'admin-token';

/** 32 random bytes, base64url: never contains the dots that mark a JWT */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** <stateDir>/admin-token (0600), made once: the learner's kubeconfig stays valid across restarts */
export function loadOrCreateAdminToken(stateDir: string): string {
  const path = join(stateDir, ADMIN_TOKEN_FILE);
  try {
    const t = readFileSync(path, 'utf8').trim();
    if (/^[A-Za-z0-9_-]{32,}$/.test(t)) return t;
  } catch {
    // missing: made below
  }
  const token = randomToken();
  writePrivateFile(path, `${token}\n`);
  return token;
}

export interface ServiceAccountRef {
  namespace: string;
  name: string;
  uid: string;
}

export interface BoundPod {
  name: string;
  uid: string;
}

export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string[];
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
  'kubernetes.io': {
    namespace: string;
    serviceaccount: { name: string; uid: string };
    pod?: { name: string; uid: string };
    warnafter?: number;
  };
}

const b64json = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** the key id the apiserver puts in the header: SHA-256 of the public key's DER, base64url */
function keyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
}

export interface ServiceAccountTokens {
  /** a bound token, as the TokenRequest API answers a kubelet */
  issue(sa: ServiceAccountRef, pod?: BoundPod, opts?: { now?: number; expirationSeconds?: number; audiences?: string[] }): string;
  /** the claims of a token this key signed and that is within its lifetime, or why not */
  verify(token: string, now?: number): { ok: true; claims: TokenClaims } | { ok: false; reason: string };
}

export function serviceAccountTokens(key: Pki['serviceAccountKey']): ServiceAccountTokens {
  const kid = keyId(key.publicKey);
  const header = b64json({ alg: 'ES256', kid });
  return {
    issue(sa, pod, opts = {}) {
      const iat = Math.floor((opts.now ?? Date.now()) / 1000);
      const requested = opts.expirationSeconds ?? REQUESTED_SECONDS;
      const extended = requested === REQUESTED_SECONDS;
      const claims: TokenClaims = {
        aud: opts.audiences ?? [SERVICE_ACCOUNT_ISSUER],
        exp: iat + (extended ? EXTENDED_SECONDS : requested),
        iat,
        iss: SERVICE_ACCOUNT_ISSUER,
        jti: randomUUID(),
        'kubernetes.io': {
          namespace: sa.namespace,
          ...(pod ? { pod: { name: pod.name, uid: pod.uid } } : {}),
          serviceaccount: { name: sa.name, uid: sa.uid },
          ...(extended ? { warnafter: iat + requested } : {}),
        },
        nbf: iat,
        sub: `system:serviceaccount:${sa.namespace}:${sa.name}`,
      };
      const signingInput = `${header}.${b64json(claims)}`;
      const sig = sign('sha256', Buffer.from(signingInput), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
      return `${signingInput}.${sig.toString('base64url')}`;
    },
    verify(token, now = Date.now()) {
      const parts = token.split('.');
      if (parts.length !== 3) return { ok: false, reason: 'not a JWT' };
      const [h, p, s] = parts as [string, string, string];
      let head: { alg?: string };
      let claims: TokenClaims;
      try {
        head = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string };
        claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as TokenClaims;
      } catch {
        return { ok: false, reason: 'malformed JWT' };
      }
      if (head.alg !== 'ES256') return { ok: false, reason: `unexpected signing algorithm ${String(head.alg)}` };
      const signed = verify('sha256', Buffer.from(`${h}.${p}`), { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
      if (!signed) return { ok: false, reason: 'invalid signature' };
      if (claims.iss !== SERVICE_ACCOUNT_ISSUER) return { ok: false, reason: 'unexpected issuer' };
      const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      if (!aud.includes(SERVICE_ACCOUNT_ISSUER)) return { ok: false, reason: 'token audiences is invalid for the target audiences' };
      const t = Math.floor(now / 1000);
      if (typeof claims.exp !== 'number' || t > claims.exp + LEEWAY_SECONDS) return { ok: false, reason: 'token has expired' };
      if (typeof claims.nbf === 'number' && t < claims.nbf - LEEWAY_SECONDS) return { ok: false, reason: 'token is not valid yet' };
      const k = claims['kubernetes.io'];
      if (!k?.namespace || !k.serviceaccount?.name || !k.serviceaccount.uid) return { ok: false, reason: 'token has no ServiceAccount claims' };
      return { ok: true, claims };
    },
  };
}

function sameSecret(a: string, b: string): boolean {
  // digests first: equal lengths for timingSafeEqual, and no early exit on the token's length
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** the token of an `Authorization: Bearer` header, as the apiserver's bearer token authenticator reads it */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const m = /^bearer\s+(\S+)\s*$/i.exec(authorization.trim());
  return m?.[1];
}

export interface TokenAuthenticatorOptions {
  /** the static token of the admin user */
  adminToken: string;
  serviceAccounts: ServiceAccountTokens;
  /** where bound ServiceAccounts and pods are looked up */
  store: Pick<ClusterStore, 'get'>;
}

/** the static admin token, then ServiceAccount JWTs; anything else is Unauthorized (anonymous auth is off) */
export function tokenAuthenticator(opts: TokenAuthenticatorOptions): Authenticator {
  const serviceAccount = (token: string): AuthnResult => {
    const v = opts.serviceAccounts.verify(token);
    if (!v.ok) return v;
    const k = v.claims['kubernetes.io'];
    const sa = opts.store.get('serviceaccounts', k.namespace, k.serviceaccount.name);
    if (!sa) return { ok: false, reason: `serviceaccounts "${k.serviceaccount.name}" not found` };
    if (sa.metadata.uid !== k.serviceaccount.uid) return { ok: false, reason: `service account UID (${sa.metadata.uid}) does not match claim (${k.serviceaccount.uid})` };
    const extra: Record<string, string[]> = { 'authentication.kubernetes.io/credential-id': [`JTI=${v.claims.jti}`] };
    if (k.pod) {
      const pod = opts.store.get('pods', k.namespace, k.pod.name);
      if (!pod) return { ok: false, reason: `pods "${k.pod.name}" not found` };
      if (pod.metadata.uid !== k.pod.uid) return { ok: false, reason: `pod UID (${pod.metadata.uid}) does not match claim (${k.pod.uid})` };
      extra['authentication.kubernetes.io/pod-name'] = [k.pod.name];
      extra['authentication.kubernetes.io/pod-uid'] = [k.pod.uid];
    }
    return {
      ok: true,
      user: {
        username: `system:serviceaccount:${k.namespace}:${k.serviceaccount.name}`,
        uid: k.serviceaccount.uid,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${k.namespace}`, 'system:authenticated'],
        extra,
      },
    };
  };
  return {
    authenticate(headers) {
      const token = bearerToken(headers.authorization);
      if (!token) return { ok: false, reason: 'no bearer token' };
      if (sameSecret(token, opts.adminToken)) return { ok: true, user: { ...ADMIN_USER, groups: [...ADMIN_USER.groups] } };
      if (token.split('.').length === 3) return serviceAccount(token);
      return { ok: false, reason: 'invalid bearer token' };
    },
  };
}

export interface PodCredentialsOptions {
  caPem: string;
  serviceAccounts: ServiceAccountTokens;
  store: Pick<ClusterStore, 'get'>;
  apiServer: () => { host: string; port: number };
}

/** thrown when a pod's ServiceAccount does not exist: a kubelet cannot get it a token either */
export class ServiceAccountMissingError extends Error {
  readonly code = 'LAB_ERR_SERVICEACCOUNT_MISSING';
  constructor(namespace: string, name: string) {
    super(`serviceaccounts "${name}" not found in namespace "${namespace}": the pod's token cannot be issued`);
    this.name = 'ServiceAccountMissingError';
  }
}

/** what the kubelet's ServiceAccount volume gets: the CA, and a token bound to the pod */
export function podCredentials(opts: PodCredentialsOptions): PodCredentials {
  return {
    caPem: opts.caPem,
    serviceAccountToken(pod) {
      const sa = opts.store.get('serviceaccounts', pod.namespace, pod.serviceAccountName || 'default');
      if (!sa?.metadata.uid) throw new ServiceAccountMissingError(pod.namespace, pod.serviceAccountName || 'default');
      return opts.serviceAccounts.issue(
        { namespace: pod.namespace, name: sa.metadata.name!, uid: sa.metadata.uid },
        { name: pod.name, uid: pod.uid },
      );
    },
    apiServer: opts.apiServer,
  };
}
