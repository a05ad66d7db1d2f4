// Who a bearer token makes a request: the admin token is kops's admin user; a ServiceAccount
// token is its ServiceAccount, with the groups and extras the apiserver gives it, while the
// ServiceAccount (and pod) it is bound to still exist with the same uid.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryPki } from '../../../sandbox/cluster/auth/pki.ts';
import { loadOrCreateAdminToken, podCredentials, ServiceAccountMissingError, serviceAccountTokens, tokenAuthenticator } from '../../../sandbox/cluster/auth/tokens.ts';
import { MemoryStore } from '../../../sandbox/cluster/store.ts';

const store = new MemoryStore();
after(() => store.close());
for (const name of ['default', 'kube-system']) store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const sa = store.create('serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: 'kube-system' } });
const pod = store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'coredns-1', namespace: 'kube-system' }, spec: { serviceAccountName: 'coredns', containers: [{ name: 'c', image: 'x' }] } });
const pki = await createMemoryPki();
const tokens = serviceAccountTokens(pki.serviceAccountKey);
const authn = tokenAuthenticator({ adminToken: 'admin-secret-token', serviceAccounts: tokens, store });
const who = (token: string) => authn.authenticate({ authorization: `Bearer ${token}` });
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));

describe('users', () => {
  test('the admin token is kops\'s admin in system:masters', () => {
    assert.deepEqual(who('admin-secret-token'), { ok: true, user: { username: 'admin', groups: ['system:masters', 'system:authenticated'] } });
  });

  test('a pod\'s token is its ServiceAccount, with the pod in the extras', () => {
    const creds = podCredentials({ caPem: pki.caPem, serviceAccounts: tokens, store, apiServer: () => ({ host: '127.0.0.1', port: 6443 }) });
    const jwt = creds.serviceAccountToken({ namespace: 'kube-system', name: 'coredns-1', uid: pod.metadata.uid!, serviceAccountName: 'coredns' });
    const r = who(jwt);
    assert.ok(r.ok);
    const jti = claims(jwt).jti;
    assert.deepEqual(r.user, {
      username: 'system:serviceaccount:kube-system:coredns',
      uid: sa.metadata.uid,
      groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
      extra: {
        'authentication.kubernetes.io/credential-id': [`JTI=${jti}`],
        'authentication.kubernetes.io/pod-name': ['coredns-1'],
        'authentication.kubernetes.io/pod-uid': [pod.metadata.uid!],
      },
    });
    assert.equal(creds.caPem, pki.caPem);
    assert.deepEqual(creds.apiServer(), { host: '127.0.0.1', port: 6443 });
  });

  test('a pod whose ServiceAccount does not exist gets no token', () => {
    const creds = podCredentials({ caPem: pki.caPem, serviceAccounts: tokens, store, apiServer: () => ({ host: '127.0.0.1', port: 6443 }) });
    assert.throws(() => creds.serviceAccountToken({ namespace: 'default', name: 'p', uid: 'u', serviceAccountName: 'missing' }), (e: unknown) => e instanceof ServiceAccountMissingError && e.code === 'LAB_ERR_SERVICEACCOUNT_MISSING');
  });
});

describe('a bound token, as the TokenRequest API issues it to a kubelet', () => {
  test('has a real bound token\'s header and claims, extended to a year with warnafter at the hour', () => {
    const now = Date.UTC(2026, 0, 1);
    const jwt = tokens.issue({ namespace: 'kube-system', name: 'coredns', uid: sa.metadata.uid! }, { name: 'coredns-1', uid: pod.metadata.uid! }, { now });
    const header = JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8'));
    assert.equal(header.alg, 'ES256');
    assert.match(header.kid, /^[A-Za-z0-9_-]{43}$/);
    const c = claims(jwt);
    const iat = now / 1000;
    assert.deepEqual({ ...c, jti: typeof c.jti }, {
      aud: ['https://kubernetes.default.svc.cluster.local'],
      exp: iat + 365 * 24 * 3600,
      iat,
      iss: 'https://kubernetes.default.svc.cluster.local',
      jti: 'string',
      'kubernetes.io': { namespace: 'kube-system', pod: { name: 'coredns-1', uid: pod.metadata.uid }, serviceaccount: { name: 'coredns', uid: sa.metadata.uid }, warnafter: iat + 3607 },
      nbf: iat,
      sub: 'system:serviceaccount:kube-system:coredns',
    });
  });

  test('stops working when its ServiceAccount is deleted, and stays dead when one of that name comes back', () => {
    const s = store.create('serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'temp', namespace: 'default' } });
    const jwt = tokens.issue({ namespace: 'default', name: 'temp', uid: s.metadata.uid! });
    assert.equal(who(jwt).ok, true);
    store.delete('serviceaccounts', 'default', 'temp');
    assert.deepEqual(who(jwt), { ok: false, reason: 'serviceaccounts "temp" not found' });
    const again = store.create('serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'temp', namespace: 'default' } });
    assert.deepEqual(who(jwt), { ok: false, reason: `service account UID (${again.metadata.uid}) does not match claim (${s.metadata.uid})` });
  });

  test('a token with a tampered payload fails its signature', () => {
    const jwt = tokens.issue({ namespace: 'kube-system', name: 'coredns', uid: sa.metadata.uid! });
    const [h, , sig] = jwt.split('.');
    const payload = Buffer.from(JSON.stringify({ ...claims(jwt), 'kubernetes.io': { ...claims(jwt)['kubernetes.io'], namespace: 'default' } })).toString('base64url');
    assert.deepEqual(who(`${h}.${payload}.${sig}`), { ok: false, reason: 'invalid signature' });
  });
});

test('the admin token is made once per state dir, 0600, and read back after', () => {
  const d = mkdtempSync(join(tmpdir(), 'token-'));
  try {
    const t = loadOrCreateAdminToken(d);
    assert.match(t, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(statSync(join(d, 'admin-token')).mode & 0o777, 0o600);
    assert.equal(readFileSync(join(d, 'admin-token'), 'utf8'), `${t}\n`);
    assert.equal(loadOrCreateAdminToken(d), t);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
