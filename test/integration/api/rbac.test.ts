// RBAC on the API with the real kubectl (`--as`, `--as-group`, which work over plain http) and
// raw HTTP with bearer tokens from a test authenticator: refusals word for word, bindings'
// scopes, aggregation, impersonation, the review resources, and the chapter's CoreDNS RBAC.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import WebSocket from 'ws';
import { LEARNER } from '../../../sandbox/cluster/auth/access.ts';
import { reconcileBootstrapPolicy } from '../../../sandbox/cluster/auth/bootstrap-policy.ts';
import { RbacAuthorizer } from '../../../sandbox/cluster/auth/rbac.ts';
import type { Authenticator, UserInfo } from '../../../sandbox/cluster/auth/types.ts';
import type { KubeObject, PodRuntimeHost } from '../../../sandbox/cluster/contracts.ts';
import { startLab, type Lab } from './harness.ts';

const saUser = (ns: string, name: string): UserInfo => ({
  username: `system:serviceaccount:${ns}:${name}`,
  groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
});
/** test users by token, beside the lab's admin token (the learner, kubectl's kubeconfig here) */
const TOKENS: Record<string, UserInfo> = {
  'sa-default': saUser('default', 'default'),
  'sa-coredns': saUser('kube-system', 'coredns'),
  'user-x': { username: 'x', groups: ['system:authenticated'] },
  'no-groups': { username: 'lonely', groups: [] },
};
const authenticator: Authenticator = {
  authenticate(headers) {
    const h = headers.authorization;
    if (!h) return { ok: true, user: LEARNER };
    const user = TOKENS[h.replace(/^Bearer /, '')];
    return user ? { ok: true, user } : { ok: false, reason: 'invalid bearer token' };
  },
};

const runtime: PodRuntimeHost = {
  async exec(_pod, _c, _command, io) {
    io.stdout.write('ran');
    return 0;
  },
  async attach() {
    return 0;
  },
  logs: () => Readable.from(['a log line\n']),
};

let lab: Lab;
let rbac: RbacAuthorizer;
before(async () => {
  lab = await startLab({
    runtime,
    access: (store) => {
      reconcileBootstrapPolicy(store);
      rbac = new RbacAuthorizer(store);
      return { authenticator, authorizer: rbac };
    },
  });
  const p = lab.store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'busybox', namespace: 'default' }, spec: { nodeName: 'n', containers: [{ name: 'busybox', image: 'busybox:1.28' }] } });
  lab.store.updateStatus('pods', { ...p, status: { phase: 'Running', containerStatuses: [{ name: 'busybox', state: { running: {} } }] } } as KubeObject);
  lab.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } } as KubeObject);
});
after(async () => {
  rbac.close();
  await lab.close();
});

async function call(
  path: string,
  token: string | undefined,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await lab.fetch(path, {
    method: init.method ?? 'GET',
    headers: {
      Accept: 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      ...init.headers,
    },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as { message?: string; reason?: string; code?: number; [k: string]: unknown } };
}

const forbidden = (message: string, details: Record<string, string>) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Forbidden', details, code: 403 });

describe('refusals over HTTP, word for word', () => {
  test('a ServiceAccount without bindings cannot list pods in its namespace', async () => {
    const r = await call('/api/v1/namespaces/default/pods', 'sa-default');
    assert.equal(r.status, 403);
    assert.deepEqual(r.body, forbidden('pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"', { kind: 'pods' }));
  });

  test('at the cluster scope, a named object, a grouped resource', async () => {
    assert.equal((await call('/api/v1/pods?watch=true', 'sa-default')).body.message,
      'pods is forbidden: User "system:serviceaccount:default:default" cannot watch resource "pods" in API group "" at the cluster scope');
    const named = await call('/api/v1/namespaces/default/pods/busybox', 'user-x');
    assert.deepEqual(named.body, forbidden('pods "busybox" is forbidden: User "x" cannot get resource "pods" in API group "" in the namespace "default"', { name: 'busybox', kind: 'pods' }));
    assert.deepEqual((await call('/apis/discovery.k8s.io/v1/endpointslices', 'sa-coredns')).body,
      forbidden('endpointslices.discovery.k8s.io is forbidden: User "system:serviceaccount:kube-system:coredns" cannot list resource "endpointslices" in API group "discovery.k8s.io" at the cluster scope', { group: 'discovery.k8s.io', kind: 'endpointslices' }));
  });

  test('a subresource over POST, and logs', async () => {
    const r = await call('/api/v1/namespaces/default/pods/busybox/exec?command=ls', 'user-x', { method: 'POST' });
    assert.equal(r.body.message, 'pods "busybox" is forbidden: User "x" cannot create resource "pods/exec" in API group "" in the namespace "default"');
    assert.equal((await call('/api/v1/namespaces/default/pods/busybox/log', 'user-x')).body.message,
      'pods "busybox" is forbidden: User "x" cannot get resource "pods/log" in API group "" in the namespace "default"');
  });

  test('a path: every authenticated user may read /version, a user outside system:authenticated may not', async () => {
    assert.equal((await call('/version', 'sa-default')).status, 200);
    assert.equal((await call('/apis', 'sa-default')).status, 200);
    const r = await call('/version', 'no-groups');
    assert.deepEqual(r.body, forbidden('forbidden: User "lonely" cannot get path "/version"', {}));
  });

  test('an unknown token is 401 Unauthorized', async () => {
    const r = await call('/api/v1/pods', 'wrong');
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  });

  test('an exec WebSocket needs get (or create) on pods/exec: refused with the Status before the upgrade', async () => {
    const url = `${lab.api.url.replace('http', 'ws')}/api/v1/namespaces/default/pods/busybox/exec?command=ls&container=busybox&stdout=true`;
    const refused = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const ws = new WebSocket(url, ['v5.channel.k8s.io'], { ca: lab.tls.ca, headers: { Authorization: 'Bearer user-x' } });
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      ws.on('open', () => reject(new Error('the upgrade was accepted')));
      ws.on('error', () => undefined);
    });
    assert.equal(refused.status, 403);
    assert.equal(JSON.parse(refused.body).message, 'pods "busybox" is forbidden: User "x" cannot get resource "pods/exec" in API group "" in the namespace "default"');
    // the learner (the kubeconfig's admin token) gets through
    const out = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(url, ['v5.channel.k8s.io'], lab.tls);
      let text = '';
      ws.on('message', (d: Buffer) => {
        if (d[0] === 1) text += d.subarray(1).toString();
      });
      ws.on('close', () => resolve(text));
      ws.on('error', reject);
    });
    assert.equal(out, 'ran');
  });

  test('impersonation without the impersonate verb is refused like the apiserver', async () => {
    const r = await call('/api/v1/namespaces/default/pods', 'user-x', { headers: { 'Impersonate-User': 'admin' } });
    assert.deepEqual(r.body, forbidden('users "admin" is forbidden: User "x" cannot impersonate resource "users" in API group "" at the cluster scope', { name: 'admin', kind: 'users' }));
    const g = await call('/api/v1/namespaces/default/pods', undefined, { headers: { 'Impersonate-User': 'system:serviceaccount:default:default' } });
    assert.equal(g.body.message, 'pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"');
  });
});

describe('kubectl', () => {
  test('the learner can do everything', async () => {
    const r = await lab.kubectl(['auth', 'can-i', '*', '*', '--all-namespaces']);
    assert.equal(r.stdout, 'yes\n', r.stderr);
    assert.equal((await lab.kubectl(['create', 'namespace', 'scratch'])).code, 0);
    assert.equal((await lab.kubectl(['get', 'secrets', '-A'])).code, 0);
  });

  test('a refusal prints as Error from server (Forbidden)', async () => {
    const r = await lab.kubectl(['get', 'pods', '--as', 'system:serviceaccount:default:default']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"\n');
    const one = await lab.kubectl(['get', 'pod', 'busybox', '--as', 'x']);
    assert.equal(one.stderr, 'Error from server (Forbidden): pods "busybox" is forbidden: User "x" cannot get resource "pods" in API group "" in the namespace "default"\n');
  });

  test('auth whoami shows the user, impersonated or not', async () => {
    assert.match((await lab.kubectl(['auth', 'whoami'])).stdout, /Username\s+admin\nGroups\s+\[system:masters system:authenticated\]/);
    const sa = await lab.kubectl(['auth', 'whoami', '--as', 'system:serviceaccount:kube-system:coredns']);
    assert.match(sa.stdout, /Username\s+system:serviceaccount:kube-system:coredns\nGroups\s+\[system:serviceaccounts system:serviceaccounts:kube-system system:authenticated\]/, sa.stderr);
    const g = await lab.kubectl(['auth', 'whoami', '--as', 'jane', '--as-group', 'devs']);
    assert.match(g.stdout, /Username\s+jane\nGroups\s+\[devs system:authenticated\]/);
  });

  test("can-i for CoreDNS's ServiceAccount: no before the chapter's ClusterRole, yes after", async () => {
    const ask = async () => (await lab.kubectl(['auth', 'can-i', 'list', 'endpointslices.discovery.k8s.io', '--as', 'system:serviceaccount:kube-system:coredns'])).stdout;
    assert.equal(await ask(), 'no\n');
    const manifest = readFileSync(new URL('../../../lessons/templates/coredns-kops.yaml', import.meta.url), 'utf8');
    const rbacDocs = manifest.split(/^---$/m).filter((d) => /kind: (ClusterRole|ClusterRoleBinding)\n/.test(d)).join('---\n');
    const applied = await lab.kubectl(['apply', '-f', '-'], { input: rbacDocs });
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal(await ask(), 'yes\n');
    assert.equal((await lab.kubectl(['auth', 'can-i', 'watch', 'services', '--as', 'system:serviceaccount:kube-system:coredns'])).stdout, 'yes\n');
    assert.equal((await lab.kubectl(['auth', 'can-i', 'get', 'secrets', '-n', 'kube-system', '--as', 'system:serviceaccount:kube-system:coredns'])).stdout, 'no\n');
  });

  test('a RoleBinding grants only in its namespace', async () => {
    assert.equal((await lab.kubectl(['create', 'role', 'cm-reader', '-n', 'team', '--verb=get,list', '--resource=configmaps'])).code, 0);
    assert.equal((await lab.kubectl(['create', 'rolebinding', 'cm-reader', '-n', 'team', '--role=cm-reader', '--user=bob'])).code, 0);
    assert.equal((await lab.kubectl(['get', 'configmaps', '-n', 'team', '--as', 'bob'])).code, 0);
    const other = await lab.kubectl(['get', 'configmaps', '-n', 'default', '--as', 'bob']);
    assert.equal(other.stderr, 'Error from server (Forbidden): configmaps is forbidden: User "bob" cannot list resource "configmaps" in API group "" in the namespace "default"\n');
    const all = await lab.kubectl(['get', 'configmaps', '-A', '--as', 'bob']);
    assert.match(all.stderr, /cannot list resource "configmaps" in API group "" at the cluster scope/);
  });

  test('aggregation: a role labelled aggregate-to-view joins view, and edit and admin above it', async () => {
    assert.equal((await lab.kubectl(['create', 'clusterrolebinding', 'eve-edit', '--clusterrole=edit', '--user=eve'])).code, 0);
    const ask = async () => (await lab.kubectl(['auth', 'can-i', 'list', 'leases.coordination.k8s.io', '-n', 'default', '--as', 'eve'])).stdout;
    assert.equal((await lab.kubectl(['auth', 'can-i', 'create', 'deployments.apps', '--as', 'eve'])).stdout, 'yes\n');
    assert.equal(await ask(), 'no\n');
    const role = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: lease-viewer\n  labels:\n    rbac.authorization.k8s.io/aggregate-to-view: "true"\nrules:\n- apiGroups: [coordination.k8s.io]\n  resources: [leases]\n  verbs: [get, list, watch]\n';
    assert.equal((await lab.kubectl(['apply', '-f', '-'], { input: role })).code, 0);
    assert.equal(await ask(), 'yes\n');
  });

  test('auth can-i --list answers from the rules', async () => {
    const r = await lab.kubectl(['auth', 'can-i', '--list', '-n', 'team', '--as', 'bob']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Resources +Non-Resource URLs +Resource Names +Verbs\n/);
    assert.match(r.stdout, /\nconfigmaps +\[\] +\[\] +\[get list\]\n/);
    assert.match(r.stdout, /\n +\[\/version\] +\[\] +\[get\]\n/);
    assert.doesNotMatch(r.stdout, /\n\*\.\* /, 'bob is no admin');
    assert.match((await lab.kubectl(['auth', 'can-i', '--list'])).stdout, /\n\*\.\* +\[\] +\[\] +\[\*\]\n/);
  });

  test('kubectl exec: refused as a real 1.32 cluster refuses it; create or get on pods/exec lets it in', async () => {
    assert.equal((await lab.kubectl(['create', 'role', 'pod-get', '--verb=get', '--resource=pods'])).code, 0);
    for (const u of ['ex1', 'ex2', 'ex3']) assert.equal((await lab.kubectl(['create', 'rolebinding', `${u}-pod-get`, '--role=pod-get', `--user=${u}`])).code, 0);
    // the WebSocket is refused `get`, kubectl retries over SPDY and prints that refusal
    const refused = await lab.kubectl(['exec', 'busybox', '--as', 'ex1', '--', 'ls']);
    assert.equal(refused.stderr, 'Error from server (Forbidden): pods "busybox" is forbidden: User "ex1" cannot create resource "pods/exec" in API group "" in the namespace "default"\n');
    assert.equal((await lab.kubectl(['create', 'role', 'exec-create', '--verb=create', '--resource=pods/exec'])).code, 0);
    assert.equal((await lab.kubectl(['create', 'rolebinding', 'ex2-exec', '--role=exec-create', '--user=ex2'])).code, 0);
    assert.deepEqual(await lab.kubectl(['exec', 'busybox', '--as', 'ex2', '--', 'ls']), { code: 0, stdout: 'ran', stderr: '' });
    assert.equal((await lab.kubectl(['create', 'role', 'exec-get', '--verb=get', '--resource=pods/exec'])).code, 0);
    assert.equal((await lab.kubectl(['create', 'rolebinding', 'ex3-exec', '--role=exec-get', '--user=ex3'])).code, 0);
    assert.deepEqual(await lab.kubectl(['exec', 'busybox', '--as', 'ex3', '--', 'ls']), { code: 0, stdout: 'ran', stderr: '' });
  });

  test('escalation: a namespace admin may grant only what it holds, unless it may escalate or bind', async () => {
    assert.equal((await lab.kubectl(['create', 'rolebinding', 'ann-admin', '-n', 'team', '--clusterrole=admin', '--user=ann'])).code, 0);
    const role = (name: string, rules: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: ${name}\n  namespace: team\nrules:\n${rules}`;
    const ok = await lab.kubectl(['create', '-f', '-', '--as', 'ann'], { input: role('cm-editor', '- apiGroups: [""]\n  resources: [configmaps, secrets]\n  verbs: [get, list, update]\n') });
    assert.equal(ok.code, 0, ok.stderr);
    const refused = await lab.kubectl(['create', '-f', '-', '--as', 'ann'], { input: role('node-lister', '- apiGroups: [""]\n  resources: [nodes, configmaps]\n  verbs: [list, watch]\n- nonResourceURLs: [/metrics]\n  verbs: [get]\n') });
    assert.equal(refused.stderr, 'Error from server (Forbidden): error when creating "STDIN": roles.rbac.authorization.k8s.io "node-lister" is forbidden: user "ann" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["nodes"], Verbs:["list" "watch"]}\n{NonResourceURLs:["/metrics"], Verbs:["get"]}\n');
    const bind = await lab.kubectl(['create', 'rolebinding', 'steal', '-n', 'team', '--clusterrole=cluster-admin', '--user=ann', '--as', 'ann']);
    assert.match(bind.stderr, /rolebindings\.rbac\.authorization\.k8s\.io "steal" is forbidden: user "ann" \(groups=\["system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\["\*"\], Resources:\["\*"\], Verbs:\["\*"\]\}/);
    assert.equal((await lab.kubectl(['create', 'rolebinding', 'viewers', '-n', 'team', '--clusterrole=view', '--group=devs', '--as', 'ann'])).code, 0, 'view is within admin');
    // `bind` on the role lets its holder bind it without holding it
    assert.equal((await lab.kubectl(['create', 'role', 'binder', '-n', 'team', '--verb=bind', '--resource=clusterroles', '--resource-name=cluster-admin'])).code, 0);
    assert.equal((await lab.kubectl(['create', 'rolebinding', 'ann-binder', '-n', 'team', '--role=binder', '--user=ann'])).code, 0);
    assert.equal((await lab.kubectl(['create', 'rolebinding', 'steal', '-n', 'team', '--clusterrole=cluster-admin', '--user=ann', '--as', 'ann'])).code, 0);
  });

  test('the learner may impersonate; a user without the verb may not', async () => {
    const r = await lab.kubectl(['get', 'pods', '--as', 'x', '--as-group', 'system:masters']);
    assert.equal(r.code, 0, 'admin impersonates x in system:masters');
    const t = await call('/api/v1/namespaces/default/pods', 'user-x', { headers: { 'Impersonate-User': 'x', 'Impersonate-Group': 'system:masters' } });
    assert.equal(t.body.message, 'users "x" is forbidden: User "x" cannot impersonate resource "users" in API group "" at the cluster scope');
  });
});
