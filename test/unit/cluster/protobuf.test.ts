// kubectl's protobuf request bodies, decoded with the schemas read from the kubectl binary.
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeDescriptors } from '../../../sandbox/cluster/api/protobuf/descriptors.ts';
import { decodeKubeProtobuf } from '../../../sandbox/cluster/api/protobuf/decode.ts';
import { lengthDelimited, varint } from '../../../sandbox/cluster/api/protobuf/encode.ts';
import { StatusError } from '../../../sandbox/cluster/errors.ts';

// a minimal protobuf writer on the encoder's primitives, with field numbers looked up by name
const bytesField = lengthDelimited;
const intField = (num: number, n: number) => Buffer.concat([varint(num * 8), varint(n)]);
const str = (num: number, s: string) => bytesField(num, Buffer.from(s));

function fieldNo(message: string, name: string): number {
  const d = kubeDescriptors().get(message);
  assert.ok(d, `kubectl's binary has no ${message}`);
  const f = [...d.fields.values()].find((x) => x.name === name);
  assert.ok(f, `${message} has no field ${name}`);
  return f.number;
}

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const envelope = (apiVersion: string, kind: string, raw: Buffer) =>
  Buffer.concat([
    Buffer.from([0x6b, 0x38, 0x73, 0x00]),
    bytesField(1, Buffer.concat([str(1, apiVersion), str(2, kind)])),
    bytesField(2, raw),
  ]);

test('a Namespace with labels', () => {
  const meta = Buffer.concat([
    str(fieldNo(META, 'name'), 'lab'),
    bytesField(fieldNo(META, 'labels'), Buffer.concat([str(1, 'team'), str(2, 'dns')])),
    intField(fieldNo(META, 'generation'), 0),
  ]);
  const ns = bytesField(fieldNo('k8s.io.api.core.v1.Namespace', 'metadata'), meta);
  assert.deepEqual(decodeKubeProtobuf(envelope('v1', 'Namespace', ns)), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lab', labels: { team: 'dns' } } });
});

test('a Deployment with replicas, an int-or-string and a container port', () => {
  const D = 'k8s.io.api.apps.v1.';
  const C = 'k8s.io.api.core.v1.';
  const intstr = (s: string) => Buffer.concat([intField(1, 1), str(3, s)]);
  const container = Buffer.concat([str(fieldNo(`${C}Container`, 'name'), 'web'), str(fieldNo(`${C}Container`, 'image'), 'nginx'), bytesField(fieldNo(`${C}Container`, 'ports'), intField(fieldNo(`${C}ContainerPort`, 'containerPort'), 80))]);
  const podSpec = bytesField(fieldNo(`${C}PodSpec`, 'containers'), container);
  const template = bytesField(fieldNo(`${C}PodTemplateSpec`, 'spec'), podSpec);
  const rolling = bytesField(fieldNo(`${D}DeploymentStrategy`, 'rollingUpdate'), bytesField(fieldNo(`${D}RollingUpdateDeployment`, 'maxSurge'), intstr('50%')));
  const spec = Buffer.concat([intField(fieldNo(`${D}DeploymentSpec`, 'replicas'), 3), bytesField(fieldNo(`${D}DeploymentSpec`, 'template'), template), bytesField(fieldNo(`${D}DeploymentSpec`, 'strategy'), rolling)]);
  const obj = decodeKubeProtobuf(envelope('apps/v1', 'Deployment', bytesField(fieldNo(`${D}Deployment`, 'spec'), spec))) as Deployment;
  assert.equal(obj.spec!.replicas, 3);
  assert.equal(obj.spec!.strategy!.rollingUpdate!.maxSurge, '50%');
  assert.deepEqual(obj.spec!.template.spec!.containers, [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }]);
});

test('a body without the magic is 415, not a crash', () => {
  assert.throws(() => decodeKubeProtobuf(Buffer.from('{"kind":"Namespace"}')), (e: unknown) => e instanceof StatusError && e.status.code === 415);
});

test('a truncated body is a clear BadRequest', async () => {
  const { decodeBody } = await import('../../../sandbox/cluster/api/respond.ts');
  const ns = bytesField(fieldNo('k8s.io.api.core.v1.Namespace', 'metadata'), str(fieldNo(META, 'name'), 'lab'));
  const whole = envelope('v1', 'Namespace', ns);
  assert.throws(() => decodeBody(whole.subarray(0, whole.length - 3), 'application/vnd.kubernetes.protobuf'), (e: unknown) => e instanceof StatusError && e.status.code === 400 && /malformed/.test(e.status.message ?? ''));
});
