// The PolicyRule matcher, row by row, and the apiserver's 403 wording for refused attributes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { forbiddenError } from '../../../sandbox/cluster/auth/forbidden.ts';
import { ruleAllows, type PolicyRule } from '../../../sandbox/cluster/auth/rules.ts';
import type { RequestAttributes } from '../../../sandbox/cluster/auth/types.ts';

const user = { username: 'system:serviceaccount:default:default', groups: [] };
const res = (verb: string, apiGroup: string, resource: string, extra: Partial<RequestAttributes> = {}): RequestAttributes => ({
  user, verb, resourceRequest: true, path: '', apiGroup, apiVersion: 'v1', resource, subresource: '', namespace: 'default', name: '', ...extra,
});
const nonRes = (verb: string, path: string): RequestAttributes => ({
  user, verb, resourceRequest: false, path, apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '',
});

const rows: Array<{ name: string; rule: PolicyRule; attrs: RequestAttributes; allowed: boolean }> = [
  { name: 'exact verb, group and resource', rule: { verbs: ['list'], apiGroups: [''], resources: ['pods'] }, attrs: res('list', '', 'pods'), allowed: true },
  { name: 'another verb', rule: { verbs: ['list'], apiGroups: [''], resources: ['pods'] }, attrs: res('watch', '', 'pods'), allowed: false },
  { name: 'verb *', rule: { verbs: ['*'], apiGroups: [''], resources: ['pods'] }, attrs: res('deletecollection', '', 'pods'), allowed: true },
  { name: 'another group', rule: { verbs: ['list'], apiGroups: [''], resources: ['endpointslices'] }, attrs: res('list', 'discovery.k8s.io', 'endpointslices'), allowed: false },
  { name: 'group *', rule: { verbs: ['list'], apiGroups: ['*'], resources: ['endpointslices'] }, attrs: res('list', 'discovery.k8s.io', 'endpointslices'), allowed: true },
  { name: 'no apiGroups matches nothing', rule: { verbs: ['list'], resources: ['pods'] }, attrs: res('list', '', 'pods'), allowed: false },
  { name: 'resource *', rule: { verbs: ['get'], apiGroups: ['apps'], resources: ['*'] }, attrs: res('get', 'apps', 'deployments', { subresource: 'scale' }), allowed: true },
  { name: 'pods does not cover pods/exec', rule: { verbs: ['create'], apiGroups: [''], resources: ['pods'] }, attrs: res('create', '', 'pods', { subresource: 'exec' }), allowed: false },
  { name: 'pods/exec covers exec', rule: { verbs: ['create'], apiGroups: [''], resources: ['pods/exec'] }, attrs: res('create', '', 'pods', { subresource: 'exec' }), allowed: true },
  { name: 'pods/exec does not cover pods', rule: { verbs: ['get'], apiGroups: [''], resources: ['pods/exec'] }, attrs: res('get', '', 'pods'), allowed: false },
  { name: '*/scale covers deployments/scale', rule: { verbs: ['update'], apiGroups: ['apps'], resources: ['*/scale'] }, attrs: res('update', 'apps', 'deployments', { subresource: 'scale' }), allowed: true },
  { name: '*/scale does not cover deployments/status', rule: { verbs: ['update'], apiGroups: ['apps'], resources: ['*/scale'] }, attrs: res('update', 'apps', 'deployments', { subresource: 'status' }), allowed: false },
  { name: '*/scale does not cover deployments', rule: { verbs: ['update'], apiGroups: ['apps'], resources: ['*/scale'] }, attrs: res('update', 'apps', 'deployments'), allowed: false },
  { name: 'resourceNames match the name', rule: { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['coredns'] }, attrs: res('get', '', 'configmaps', { name: 'coredns' }), allowed: true },
  { name: 'resourceNames refuse another name', rule: { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['coredns'] }, attrs: res('get', '', 'configmaps', { name: 'other' }), allowed: false },
  { name: 'resourceNames refuse a list without a name', rule: { verbs: ['list'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['coredns'] }, attrs: res('list', '', 'configmaps'), allowed: false },
  { name: 'a resource rule never allows a path', rule: { verbs: ['get'], apiGroups: ['*'], resources: ['*'] }, attrs: nonRes('get', '/version'), allowed: false },
  { name: 'exact non-resource URL', rule: { verbs: ['get'], nonResourceURLs: ['/version'] }, attrs: nonRes('get', '/version'), allowed: true },
  { name: 'non-resource URL with another verb', rule: { verbs: ['get'], nonResourceURLs: ['/healthz'] }, attrs: nonRes('post', '/healthz'), allowed: false },
  { name: 'trailing * is a prefix', rule: { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, attrs: nonRes('get', '/apis/apps/v1'), allowed: true },
  { name: '/apis/* does not cover /apis', rule: { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, attrs: nonRes('get', '/apis'), allowed: false },
  { name: 'non-resource *', rule: { verbs: ['*'], nonResourceURLs: ['*'] }, attrs: nonRes('get', '/openapi/v3'), allowed: true },
  { name: 'a non-resource rule never allows a resource', rule: { verbs: ['*'], nonResourceURLs: ['*'] }, attrs: res('get', '', 'pods'), allowed: false },
];

describe('PolicyRule matching', () => {
  for (const r of rows) test(`${r.name} -> ${r.allowed}`, () => assert.equal(ruleAllows(r.attrs, r.rule), r.allowed));
});

describe('Forbidden, in the apiserver words', () => {
  const cases: Array<{ name: string; attrs: RequestAttributes; reason?: string; message: string; details: Record<string, string> }> = [
    {
      name: 'a namespaced list', attrs: res('list', '', 'pods'),
      message: 'pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"',
      details: { kind: 'pods' },
    },
    {
      name: 'a cluster-scoped list', attrs: res('list', '', 'pods', { namespace: '' }),
      message: 'pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" at the cluster scope',
      details: { kind: 'pods' },
    },
    {
      name: 'a named get', attrs: res('get', '', 'pods', { name: 'busybox', user: { username: 'x', groups: [] } }),
      message: 'pods "busybox" is forbidden: User "x" cannot get resource "pods" in API group "" in the namespace "default"',
      details: { kind: 'pods', name: 'busybox' },
    },
    {
      name: 'a subresource in a group', attrs: res('create', '', 'pods', { name: 'busybox', subresource: 'exec', user: { username: 'x', groups: [] } }),
      message: 'pods "busybox" is forbidden: User "x" cannot create resource "pods/exec" in API group "" in the namespace "default"',
      details: { kind: 'pods', name: 'busybox' },
    },
    {
      name: 'a grouped resource', attrs: res('list', 'discovery.k8s.io', 'endpointslices', { namespace: '' }),
      message: 'endpointslices.discovery.k8s.io is forbidden: User "system:serviceaccount:default:default" cannot list resource "endpointslices" in API group "discovery.k8s.io" at the cluster scope',
      details: { kind: 'endpointslices', group: 'discovery.k8s.io' },
    },
    {
      name: 'a path', attrs: { ...nonRes('get', '/version'), user: { username: 'x', groups: [] } },
      message: 'forbidden: User "x" cannot get path "/version"', details: {},
    },
    {
      name: 'with the authorizer reason', attrs: res('list', '', 'pods'), reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found',
      message: 'pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default": RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found',
      details: { kind: 'pods' },
    },
  ];
  for (const c of cases)
    test(c.name, () => {
      const e = forbiddenError(c.attrs, c.reason ?? '');
      assert.equal(e.status.code, 403);
      assert.equal(e.status.reason, 'Forbidden');
      assert.equal(e.status.message, c.message);
      assert.deepEqual(e.status.details, c.details);
    });
});
