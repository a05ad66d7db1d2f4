import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { labelMatcher, fieldMatcher } from '../../../sandbox/cluster/resources/selectors.ts';
import { lookupResource } from '../../../sandbox/cluster/resources/index.ts';
import { StatusError } from '../../../sandbox/cluster/errors.ts';
import type { KubeObject } from '../../../sandbox/cluster/contracts.ts';

const pod = (labels: Record<string, string>, extra: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns1', labels }, ...extra }) as KubeObject;

describe('label selectors', () => {
  const rows: Array<[string, Record<string, string>, boolean]> = [
    ['', {}, true],
    ['app=web', { app: 'web' }, true],
    ['app==web', { app: 'web' }, true],
    ['app=web', { app: 'db' }, false],
    ['app!=web', { app: 'db' }, true],
    ['app!=web', {}, true],
    ['app', { app: '' }, true],
    ['app', {}, false],
    ['!app', {}, true],
    ['!app', { app: 'x' }, false],
    ['tier in (a, b)', { tier: 'b' }, true],
    ['tier in (a,b)', { tier: 'c' }, false],
    ['tier notin (a,b)', { tier: 'c' }, true],
    ['tier notin (a,b)', {}, true],
    ['app=web,tier in (a,b)', { app: 'web', tier: 'a' }, true],
    ['app=web,tier in (a,b)', { app: 'web', tier: 'z' }, false],
    ['k8s-app=kube-dns', { 'k8s-app': 'kube-dns' }, true],
  ];
  for (const [sel, labels, want] of rows)
    test(`${JSON.stringify(sel)} on ${JSON.stringify(labels)} -> ${want}`, () => assert.equal(labelMatcher(sel)(pod(labels)), want));

  test('a malformed selector is BadRequest', () => {
    assert.throws(() => labelMatcher('a in (b'), (e: unknown) => e instanceof StatusError && e.status.reason === 'BadRequest');
  });
});

describe('field selectors', () => {
  const pods = lookupResource('pods')!;
  const events = lookupResource('events')!;
  const p = pod({}, { spec: { nodeName: 'node-1' }, status: { phase: 'Running' } });
  const ev = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', namespace: 'ns1' }, involvedObject: { kind: 'Service', name: 'kube-dns', namespace: 'kube-system', uid: 'u1' } } as KubeObject;
  const rows: Array<[string, typeof pods, KubeObject, boolean]> = [
    ['metadata.name=p', pods, p, true],
    ['metadata.name!=p', pods, p, false],
    ['metadata.namespace=ns1', pods, p, true],
    ['status.phase=Running', pods, p, true],
    ['status.phase!=Running', pods, p, false],
    ['spec.nodeName=node-1,status.phase=Running', pods, p, true],
    ['spec.nodeName=', pods, pod({}), true],
    ['involvedObject.name=kube-dns,involvedObject.kind=Service', events, ev, true],
    ['involvedObject.kind=Service,involvedObject.uid=u1,involvedObject.namespace=kube-system', events, ev, true],
    ['involvedObject.uid=other', events, ev, false],
  ];
  for (const [sel, def, obj, want] of rows) test(`${def.resource}: ${sel} -> ${want}`, () => assert.equal(fieldMatcher(def, sel)(obj), want));

  test('an unsupported field is BadRequest naming it', () => {
    assert.throws(
      () => fieldMatcher(pods, 'spec.foo=x'),
      (e: unknown) => e instanceof StatusError && e.status.reason === 'BadRequest' && e.status.message === 'field label not supported: spec.foo',
    );
  });
});
