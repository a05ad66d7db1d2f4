// The RBAC authorizer over a real store: subjects, binding scopes, aggregation, missing roles,
// the bootstrap policy, impersonation and the review resources.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { requestAttributes } from '../../../sandbox/cluster/auth/attributes.ts';
import { reconcileBootstrapPolicy } from '../../../sandbox/cluster/auth/bootstrap-policy.ts';
import { startClusterRoleAggregation } from '../../../sandbox/cluster/auth/clusterrole-aggregation.ts';
import { impersonate } from '../../../sandbox/cluster/auth/impersonation.ts';
import { RbacAuthorizer } from '../../../sandbox/cluster/auth/rbac.ts';
import { reviewContext } from '../../../sandbox/cluster/auth/review.ts';
import type { UserInfo } from '../../../sandbox/cluster/auth/types.ts';
import type { KubeObject } from '../../../sandbox/cluster/contracts.ts';
import { StatusError } from '../../../sandbox/cluster/errors.ts';
import { createStore, type PersistentStore } from '../../../sandbox/cluster/index.ts';
import { waitFor } from '../../support/wait.ts';

const RBAC = 'rbac.authorization.k8s.io';
const sa = (ns: string, name: string): UserInfo => ({
  username: `system:serviceaccount:${ns}:${name}`,
  groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
});
const alice: UserInfo = { username: 'alice', groups: ['devs', 'system:authenticated'] };

let store: PersistentStore;
let rbac: RbacAuthorizer;
const can = (user: UserInfo, method: string, url: string) => {
  const u = new URL(url, 'http://x');
  return rbac.authorize(requestAttributes(user, method, u.pathname, u.searchParams));
};
const put = (resource: string, obj: Record<string, unknown>) => store.create(`${resource}.${RBAC}`, { apiVersion: `${RBAC}/v1`, ...obj } as KubeObject);

before(async () => {
  store = await createStore({});
  store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } } as KubeObject);
  reconcileBootstrapPolicy(store);
  rbac = new RbacAuthorizer(store);
});
after(async () => {
  rbac.close();
  await store.close();
});

describe('RBAC authorizer', () => {
  test('system:masters may do anything, even with no binding at all', () => {
    assert.equal(can({ username: 'admin', groups: ['system:masters', 'system:authenticated'] }, 'DELETE', '/api/v1/namespaces/kube-system/secrets').allowed, true);
  });

  test('a ServiceAccount with no binding is refused; discovery and whoami are allowed to every authenticated user', () => {
    const d = sa('default', 'default');
    assert.equal(can(d, 'GET', '/api/v1/namespaces/default/pods').allowed, false);
    assert.equal(can(d, 'GET', '/api/v1/namespaces/default/pods').reason, '');
    assert.equal(can(d, 'GET', '/version').allowed, true);
    assert.equal(can(d, 'GET', '/apis/apps/v1').allowed, true);
    assert.equal(can(d, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews').allowed, true);
    assert.equal(can({ username: 'nobody', groups: [] }, 'GET', '/version').allowed, false);
  });

  test("kube-dns's ServiceAccount may list and watch services and endpoints (system:kube-dns), namespaces and endpointslices (the lab's stand-in role), and nothing else", () => {
    const kd = sa('kube-system', 'kube-dns');
    assert.equal(can(kd, 'GET', '/api/v1/services?watch=true').allowed, true);
    const d = can(kd, 'GET', '/api/v1/endpoints');
    assert.deepEqual(d, { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "system:kube-dns" of ClusterRole "system:kube-dns" to ServiceAccount "kube-dns/kube-system"' });
    assert.deepEqual(can(kd, 'GET', '/apis/discovery.k8s.io/v1/endpointslices'), { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "coredns-lab:kube-dns-stand-in" of ClusterRole "coredns-lab:kube-dns-stand-in" to ServiceAccount "kube-dns/kube-system"' });
    assert.equal(can(kd, 'GET', '/api/v1/namespaces?watch=true').allowed, true);
    assert.equal(can(kd, 'POST', '/api/v1/namespaces/default/services').allowed, false);
    assert.equal(can(kd, 'GET', '/api/v1/namespaces/kube-system/secrets').allowed, false);
  });

  test('a RoleBinding grants in its own namespace only, to a ServiceAccount named without a namespace', () => {
    put('roles', { kind: 'Role', metadata: { name: 'pod-reader', namespace: 'team' }, rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }] });
    put('rolebindings', {
      kind: 'RoleBinding', metadata: { name: 'read-pods', namespace: 'team' },
      roleRef: { apiGroup: RBAC, kind: 'Role', name: 'pod-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'bot' }],
    });
    const bot = sa('team', 'bot');
    assert.deepEqual(can(bot, 'GET', '/api/v1/namespaces/team/pods'), { allowed: true, reason: 'RBAC: allowed by RoleBinding "read-pods/team" of Role "pod-reader" to ServiceAccount "bot/team"' });
    assert.equal(can(bot, 'GET', '/api/v1/namespaces/default/pods').allowed, false);
    assert.equal(can(bot, 'GET', '/api/v1/pods').allowed, false, 'a RoleBinding never grants at the cluster scope');
    assert.equal(can(sa('default', 'bot'), 'GET', '/api/v1/namespaces/team/pods').allowed, false, 'same name, other namespace');
  });

  test('a RoleBinding to a ClusterRole applies the ClusterRole in the binding namespace; groups are subjects', () => {
    put('rolebindings', {
      kind: 'RoleBinding', metadata: { name: 'devs-view', namespace: 'team' },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'Group', apiGroup: RBAC, name: 'devs' }],
    });
    assert.equal(can(alice, 'GET', '/apis/apps/v1/namespaces/team/deployments').allowed, true);
    assert.equal(can(alice, 'GET', '/apis/apps/v1/namespaces/default/deployments').allowed, false);
    assert.equal(can(alice, 'DELETE', '/apis/apps/v1/namespaces/team/deployments/x').allowed, false, 'view cannot delete');
    assert.equal(can(alice, 'GET', '/api/v1/namespaces/team/secrets').allowed, false, 'view cannot read secrets');
  });

  test('aggregation: admin > edit > view, and a new role labelled aggregate-to-view joins all three', () => {
    put('clusterrolebindings', {
      kind: 'ClusterRoleBinding', metadata: { name: 'alice-admin' },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'admin' }, subjects: [{ kind: 'User', apiGroup: RBAC, name: 'alice' }],
    });
    assert.equal(can(alice, 'POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings').allowed, true, 'admin\'s own rules');
    assert.equal(can(alice, 'POST', '/api/v1/namespaces/default/pods/p/exec').allowed, true, 'edit\'s rules');
    assert.equal(can(alice, 'GET', '/api/v1/namespaces/default/pods/p/log').allowed, true, 'view\'s rules');
    assert.equal(can(alice, 'GET', '/apis/coordination.k8s.io/v1/namespaces/default/leases').allowed, false);
    put('clusterroles', {
      kind: 'ClusterRole', metadata: { name: 'lease-viewer', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules: [{ verbs: ['get', 'list'], apiGroups: ['coordination.k8s.io'], resources: ['leases'] }],
    });
    assert.equal(can(alice, 'GET', '/apis/coordination.k8s.io/v1/namespaces/default/leases').allowed, true, 'seen after the watch event, through view and edit');
  });

  test('a binding to a missing role says so in the reason', () => {
    put('clusterrolebindings', {
      kind: 'ClusterRoleBinding', metadata: { name: 'dangling' },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'gone' }, subjects: [{ kind: 'User', apiGroup: RBAC, name: 'carol' }],
    });
    assert.deepEqual(can({ username: 'carol', groups: [] }, 'GET', '/api/v1/nodes'), { allowed: false, reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found' });
  });

  test('resourceNames limit a rule to the named object', () => {
    put('roles', { kind: 'Role', metadata: { name: 'one-cm', namespace: 'team' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['coredns'] }] });
    put('rolebindings', { kind: 'RoleBinding', metadata: { name: 'dave-cm', namespace: 'team' }, roleRef: { apiGroup: RBAC, kind: 'Role', name: 'one-cm' }, subjects: [{ kind: 'User', name: 'dave' }] });
    const dave = { username: 'dave', groups: [] };
    assert.equal(can(dave, 'GET', '/api/v1/namespaces/team/configmaps/coredns').allowed, true);
    assert.equal(can(dave, 'GET', '/api/v1/namespaces/team/configmaps/other').allowed, false);
  });

  test('deleting a binding takes its grant away', () => {
    store.delete(`rolebindings.${RBAC}`, 'team', 'dave-cm');
    assert.equal(can({ username: 'dave', groups: [] }, 'GET', '/api/v1/namespaces/team/configmaps/coredns').allowed, false);
  });

  test('rulesFor lists the rules of the user in a namespace', () => {
    const rules = rbac.rulesFor(sa('team', 'bot'), 'team');
    assert.deepEqual(rules.resourceRules.find((r) => r.resources?.includes('pods')), { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] });
    assert.ok(rules.resourceRules.some((r) => r.resources?.includes('selfsubjectaccessreviews')));
    assert.ok(rules.nonResourceRules.some((r) => r.nonResourceURLs.includes('/version')));
    assert.equal(rules.incomplete, false);
    assert.equal(rbac.rulesFor(sa('team', 'bot'), 'default').resourceRules.some((r) => r.resources?.includes('pods')), false);
  });

  test('the bootstrap policy is labelled rbac-defaults with autoupdate, and reconciling twice creates nothing', () => {
    const role = store.get(`clusterroles.${RBAC}`, undefined, 'cluster-admin')!;
    assert.equal(role.metadata.labels?.['kubernetes.io/bootstrapping'], 'rbac-defaults');
    assert.equal(role.metadata.annotations?.['rbac.authorization.kubernetes.io/autoupdate'], 'true');
    assert.equal(reconcileBootstrapPolicy(store), 0);
    store.delete(`clusterroles.${RBAC}`, undefined, 'system:kube-dns');
    assert.equal(reconcileBootstrapPolicy(store), 1);
  });
});

describe('bootstrap policy reconciliation', () => {
  const CR = `clusterroles.${RBAC}`;
  const CRB = `clusterrolebindings.${RBAC}`;
  test('autoupdate=true: lost rules and subjects come back, a changed roleRef is recreated', () => {
    store.mutate(CR, undefined, 'system:kube-dns', (o) => ({ ...o, rules: [{ verbs: ['list'], apiGroups: [''], resources: ['services'] }] }) as KubeObject);
    store.mutate(CRB, undefined, 'system:basic-user', (o) => ({ ...o, subjects: [] }) as KubeObject);
    store.delete(CRB, undefined, 'system:discovery');
    put('clusterrolebindings', {
      kind: 'ClusterRoleBinding', metadata: { name: 'system:discovery', annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' }, subjects: [],
    });
    assert.equal(reconcileBootstrapPolicy(store), 3);
    const kd = sa('kube-system', 'kube-dns');
    assert.equal(can(kd, 'GET', '/api/v1/endpoints?watch=1').allowed, true);
    assert.deepEqual((store.get(CR, undefined, 'system:kube-dns') as KubeObject & { rules: unknown[] }).rules[0], { verbs: ['list'], apiGroups: [''], resources: ['services'] }, 'what was there stays');
    assert.equal(can(kd, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews').allowed, true);
    assert.equal((store.get(CRB, undefined, 'system:discovery') as KubeObject & { roleRef: { name: string } }).roleRef.name, 'system:discovery');
    assert.equal(reconcileBootstrapPolicy(store), 0);
  });

  test('without autoupdate the learner\'s changes stay', () => {
    store.mutate(CR, undefined, 'system:public-info-viewer', (o) => ({ ...o, metadata: { ...o.metadata, annotations: {} }, rules: [] }) as KubeObject);
    assert.equal(reconcileBootstrapPolicy(store), 0);
    assert.deepEqual((store.get(CR, undefined, 'system:public-info-viewer') as KubeObject & { rules: unknown[] }).rules, []);
  });
});

describe('clusterrole aggregation controller', () => {
  test('writes the selected roles\' rules into admin, edit and view, and follows new ones', async () => {
    const stop = startClusterRoleAggregation(store, rbac);
    try {
      const rulesOf = (name: string) => ((store.get(`clusterroles.${RBAC}`, undefined, name) as KubeObject & { rules?: unknown[] }).rules ?? []) as Array<{ resources?: string[] }>;
      const has = (name: string, resource: string) => rulesOf(name).some((r) => r.resources?.includes(resource));
      assert.ok(has('view', 'pods/log'));
      assert.ok(!has('view', 'secrets'));
      assert.ok(has('edit', 'pods/log') && has('edit', 'secrets'));
      assert.ok(has('admin', 'rolebindings') && has('admin', 'pods/log'));
      put('clusterroles', {
        kind: 'ClusterRole', metadata: { name: 'cm-viewer', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
        rules: [{ verbs: ['get'], apiGroups: ['example.com'], resources: ['widgets'] }],
      });
      await waitFor(() => has('admin', 'widgets'), { what: 'widgets aggregated into admin', interval: 0 });
      assert.ok(has('view', 'widgets') && has('edit', 'widgets') && has('admin', 'widgets'));
    } finally {
      stop();
    }
  });
});

describe('impersonation', () => {
  const bob: UserInfo = { username: 'bob', groups: ['system:authenticated'] };
  test('without headers the requestor acts as itself', () => {
    assert.equal(impersonate(bob, {}, rbac), bob);
  });
  test('a user without the impersonate verb is refused in the apiserver words', () => {
    assert.throws(() => impersonate(bob, { 'impersonate-user': ['x'] }, rbac), (e: unknown) =>
      e instanceof StatusError && e.status.code === 403 &&
      e.status.message === 'users "x" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope');
    assert.throws(() => impersonate(bob, { 'impersonate-user': ['system:serviceaccount:kube-system:coredns'] }, rbac), (e: unknown) =>
      e instanceof StatusError &&
      e.status.message === 'serviceaccounts "coredns" is forbidden: User "bob" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "kube-system"');
  });
  test('an impersonated ServiceAccount gets the ServiceAccount groups and system:authenticated', () => {
    const admin = { username: 'admin', groups: ['system:masters', 'system:authenticated'] };
    assert.deepEqual(impersonate(admin, { 'impersonate-user': ['system:serviceaccount:kube-system:coredns'] }, rbac), sa('kube-system', 'coredns'));
  });
  test('groups, uid and extras are carried, each authorized', () => {
    const admin = { username: 'admin', groups: ['system:masters'] };
    assert.deepEqual(
      impersonate(admin, { 'impersonate-user': ['jane'], 'impersonate-group': ['a', 'b'], 'impersonate-uid': ['42'], 'impersonate-extra-scopes%2Fx': ['s1'] }, rbac),
      { username: 'jane', groups: ['a', 'b', 'system:authenticated'], uid: '42', extra: { 'scopes/x': ['s1'] } },
    );
    assert.throws(() => impersonate(bob, { 'impersonate-user': ['bob'], 'impersonate-group': ['system:masters'] }, { authorize: (a) => ({ allowed: a.resource === 'users', reason: '' }) }), (e: unknown) =>
      e instanceof StatusError && e.status.message === 'groups "system:masters" is forbidden: User "bob" cannot impersonate resource "groups" in API group "" at the cluster scope');
  });
});

describe('review resources answer for the requesting user', () => {
  const ssar = (verb: string, resource: string, namespace = '', group = '') =>
    ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {}, spec: { resourceAttributes: { verb, resource, group, namespace } } }) as unknown as KubeObject;
  /** a review as the API answers it */
  type Answered = KubeObject & { status: { allowed?: boolean; userInfo?: unknown } };
  test('SelfSubjectAccessReview', () => {
    const review = reviewContext(sa('kube-system', 'kube-dns'), rbac);
    const yes = store.create('selfsubjectaccessreviews.authorization.k8s.io', ssar('watch', 'services'), { review }) as Answered;
    assert.equal(yes.status.allowed, true);
    const no = store.create('selfsubjectaccessreviews.authorization.k8s.io', ssar('list', 'secrets'), { review }) as Answered;
    assert.deepEqual(no.status, { allowed: false });
    const unrestricted = store.create('selfsubjectaccessreviews.authorization.k8s.io', ssar('list', 'endpointslices', '', 'discovery.k8s.io')) as Answered;
    assert.equal(unrestricted.status.allowed, true, 'in-process callers are the cluster itself');
  });
  test('SelfSubjectReview returns the user', () => {
    const out = store.create('selfsubjectreviews.authentication.k8s.io', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {} } as KubeObject, { review: reviewContext(alice, rbac) }) as Answered;
    assert.deepEqual(out.status.userInfo, { username: 'alice', groups: ['devs', 'system:authenticated'] });
  });
});
