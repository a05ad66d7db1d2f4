// The OpenAPI documents are Kubernetes 1.32's own files (schemas/k8s-1.32/README.md): every served
// kind is described there, and what the files say is upstream's, not a translation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import { RESOURCES } from '../../../sandbox/cluster/resources/index.ts';
import { lookupSchema, schemaNameOf, SHIPPED_V3, upstreamV2, upstreamV3 } from '../../../sandbox/cluster/schemas/index.ts';

const DATA = new URL('../../../sandbox/cluster/schemas/k8s-1.32/', import.meta.url);

test('every served kind has its 1.32 schema in the v3 document of its group-version', () => {
  for (const d of RESOURCES) {
    const gv = d.group ? `apis/${d.group}/${d.version}` : `api/${d.version}`;
    assert.ok(SHIPPED_V3.includes(gv), `${gv} is shipped`);
    const name = schemaNameOf(d.group, d.version, d.kind);
    assert.ok(name, `${d.kind} in ${gv}`);
    assert.equal(lookupSchema(name!), upstreamV3(gv)!.components.schemas[name!]);
  }
});

test('the shipped files are the ones the README lists, byte for byte', () => {
  const readme = readFileSync(new URL('README.md', DATA), 'utf8');
  const sums = [...readme.matchAll(/^([0-9a-f]{64}) {2}(\S+)$/gm)];
  assert.equal(sums.length, 1 + SHIPPED_V3.length);
  for (const [, sum, file] of sums) assert.equal(createHash('sha256').update(brotliDecompressSync(readFileSync(new URL(`${file}.br`, DATA)))).digest('hex'), sum, file);
});

test('fields kubernetes-types 1.30 lacks: image volumes (1.31), pod-level resources (1.32)', () => {
  assert.ok(lookupSchema('io.k8s.api.core.v1.VolumeSource') === undefined, 'VolumeSource is inline in Volume, not a v3 component of its own');
  assert.ok(lookupSchema('io.k8s.api.core.v1.Volume')!.properties!.image);
  assert.ok(lookupSchema('io.k8s.api.core.v1.PodSpec')!.properties!.resources);
  assert.ok(upstreamV2().definitions['io.k8s.api.core.v1.ImageVolumeSource']);
  // a kind from another group that a core document uses
  assert.ok(lookupSchema('io.k8s.api.policy.v1.Eviction'));
});
