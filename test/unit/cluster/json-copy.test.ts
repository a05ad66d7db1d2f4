import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyJson } from '../../../sandbox/cluster/json-copy.ts';

test('copyJson copies API objects deeply, so no edit of the copy reaches the original', () => {
  const pod = { metadata: { name: 'p', labels: { a: '1' }, finalizers: ['x'] }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 53 }] }], nodeName: undefined }, status: null };
  const c = copyJson(pod);
  assert.deepEqual(c, pod);
  assert.ok('nodeName' in c.spec, 'a key holding undefined stays, as with structuredClone');
  c.metadata.labels.a = '2';
  c.metadata.finalizers.push('y');
  c.spec.containers[0]!.ports[0]!.containerPort = 54;
  assert.equal(pod.metadata.labels.a, '1');
  assert.deepEqual(pod.metadata.finalizers, ['x']);
  assert.equal(pod.spec.containers[0]!.ports[0]!.containerPort, 53);
});

test('copyJson keeps values that are not JSON data intact', () => {
  const when = new Date('2017-06-01T00:00:00Z');
  const c = copyJson({ when, n: 1, s: 'x', b: false, list: [null, 2] });
  assert.ok(c.when instanceof Date && c.when !== when && c.when.getTime() === when.getTime());
  assert.deepEqual(c.list, [null, 2]);
});
