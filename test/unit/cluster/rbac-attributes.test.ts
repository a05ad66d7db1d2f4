// Request attributes as the apiserver's RequestInfoFactory derives them from method, path and query.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { requestAttributes } from '../../../sandbox/cluster/auth/attributes.ts';
import type { RequestAttributes } from '../../../sandbox/cluster/auth/types.ts';

const user = { username: 'u', groups: [] };
type Want = Partial<Omit<RequestAttributes, 'user'>>;

const rows: Array<{ name: string; method: string; url: string; want: Want }> = [
  { name: 'GET one pod is get', method: 'GET', url: '/api/v1/namespaces/default/pods/busybox', want: { verb: 'get', resourceRequest: true, apiGroup: '', apiVersion: 'v1', resource: 'pods', namespace: 'default', name: 'busybox', subresource: '' } },
  { name: 'GET the collection is list', method: 'GET', url: '/api/v1/namespaces/default/pods', want: { verb: 'list', resource: 'pods', namespace: 'default', name: '' } },
  { name: 'watch=true is watch', method: 'GET', url: '/api/v1/namespaces/default/pods?watch=true', want: { verb: 'watch' } },
  { name: 'watch=1 is watch', method: 'GET', url: '/api/v1/pods?watch=1', want: { verb: 'watch', namespace: '' } },
  { name: 'watch=false is list', method: 'GET', url: '/api/v1/pods?watch=false', want: { verb: 'list' } },
  { name: 'legacy /watch/ path is watch', method: 'GET', url: '/api/v1/watch/namespaces/kube-system/endpoints', want: { verb: 'watch', resource: 'endpoints', namespace: 'kube-system' } },
  { name: 'a metadata.name field selector names the object', method: 'GET', url: '/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Dcoredns&watch=true', want: { verb: 'watch', name: 'coredns' } },
  { name: 'HEAD is get', method: 'HEAD', url: '/api/v1/namespaces/default/pods/p', want: { verb: 'get' } },
  { name: 'POST is create', method: 'POST', url: '/api/v1/namespaces/default/pods', want: { verb: 'create', name: '' } },
  { name: 'PUT is update', method: 'PUT', url: '/api/v1/namespaces/default/pods/p', want: { verb: 'update', name: 'p' } },
  { name: 'PATCH is patch', method: 'PATCH', url: '/apis/apps/v1/namespaces/kube-system/deployments/coredns', want: { verb: 'patch', apiGroup: 'apps', resource: 'deployments', name: 'coredns' } },
  { name: 'DELETE one is delete', method: 'DELETE', url: '/api/v1/namespaces/default/pods/p', want: { verb: 'delete' } },
  { name: 'DELETE the collection is deletecollection', method: 'DELETE', url: '/api/v1/namespaces/default/pods', want: { verb: 'deletecollection' } },
  { name: 'exec over a WebSocket GET is get on pods/exec (1.32)', method: 'GET', url: '/api/v1/namespaces/default/pods/busybox/exec?command=nslookup', want: { verb: 'get', resource: 'pods', subresource: 'exec', name: 'busybox' } },
  { name: 'exec over SPDY POST is create on pods/exec', method: 'POST', url: '/api/v1/namespaces/default/pods/busybox/exec', want: { verb: 'create', subresource: 'exec' } },
  { name: 'logs', method: 'GET', url: '/api/v1/namespaces/kube-system/pods/coredns-1/log?follow=true', want: { verb: 'get', subresource: 'log' } },
  { name: 'attach', method: 'POST', url: '/api/v1/namespaces/default/pods/p/attach', want: { verb: 'create', subresource: 'attach' } },
  { name: 'scale', method: 'PATCH', url: '/apis/apps/v1/namespaces/kube-system/deployments/coredns/scale', want: { verb: 'patch', apiGroup: 'apps', resource: 'deployments', subresource: 'scale' } },
  { name: 'status', method: 'PUT', url: '/apis/apps/v1/namespaces/kube-system/deployments/coredns/status', want: { verb: 'update', subresource: 'status' } },
  { name: 'a cluster-scoped resource has no namespace', method: 'GET', url: '/apis/rbac.authorization.k8s.io/v1/clusterroles/view', want: { verb: 'get', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: 'view', namespace: '' } },
  { name: 'a namespace object carries its own name as namespace', method: 'GET', url: '/api/v1/namespaces/kube-system', want: { verb: 'get', resource: 'namespaces', name: 'kube-system', namespace: 'kube-system' } },
  { name: 'listing namespaces', method: 'GET', url: '/api/v1/namespaces', want: { verb: 'list', resource: 'namespaces', namespace: '' } },
  { name: "a namespace's status", method: 'PUT', url: '/api/v1/namespaces/ns1/status', want: { verb: 'update', resource: 'namespaces', name: 'ns1', subresource: 'status', namespace: 'ns1' } },
  { name: 'a review is create at the cluster scope', method: 'POST', url: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', want: { verb: 'create', apiGroup: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews', namespace: '' } },
  { name: '/version is a non-resource get', method: 'GET', url: '/version', want: { verb: 'get', resourceRequest: false, path: '/version', resource: '' } },
  { name: '/api is non-resource', method: 'GET', url: '/api', want: { verb: 'get', resourceRequest: false, path: '/api' } },
  { name: '/api/v1 is non-resource', method: 'GET', url: '/api/v1', want: { resourceRequest: false, path: '/api/v1' } },
  { name: '/apis/apps/v1 is non-resource', method: 'GET', url: '/apis/apps/v1', want: { resourceRequest: false, path: '/apis/apps/v1' } },
  { name: '/openapi/v3 is non-resource', method: 'GET', url: '/openapi/v3/apis/apps/v1', want: { resourceRequest: false, path: '/openapi/v3/apis/apps/v1' } },
  { name: 'a non-resource POST keeps the lower-cased method', method: 'POST', url: '/healthz', want: { verb: 'post', resourceRequest: false, path: '/healthz' } },
  { name: 'a percent-encoded segment is decoded', method: 'GET', url: '/api/v1/namespaces/default/configmaps/a%2Eb', want: { name: 'a.b' } },
];

describe('request attributes', () => {
  for (const r of rows)
    test(r.name, () => {
      const u = new URL(r.url, 'http://x');
      const got = requestAttributes(user, r.method, u.pathname, u.searchParams);
      const picked = Object.fromEntries(Object.keys(r.want).map((k) => [k, got[k as keyof RequestAttributes]]));
      assert.deepEqual(picked, r.want);
      assert.equal(got.user, user);
    });
});
