import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, fnv32a, podTemplateHash, randomSuffix, safeEncode } from '../../../sandbox/cluster/controllers/names.ts';

describe('generated names', () => {
  test('the pod-template-hash is decimal and ignores key order and the hash label itself', () => {
    const a = { metadata: { labels: { app: 'x', tier: 'y' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    const b = { spec: { containers: [{ image: 'i', name: 'c' }] }, metadata: { labels: { tier: 'y', app: 'x', 'pod-template-hash': '1' } } };
    assert.match(podTemplateHash(a), /^\d{1,10}$/);
    assert.equal(podTemplateHash(a), podTemplateHash(b));
  });

  test('the encoded style is apimachinery SafeEncodeString of the decimal hash, as ComputeHash prints it since 1.11', () => {
    // each digit's byte modulo the 27-letter alphabet: '0' (48) is '4', '6' (54) is 'b', '9' (57) is 'f'
    assert.equal(safeEncode('0123456789'), '456789bcdf');
    const t = { spec: { containers: [{ name: 'c', image: 'i' }] } };
    assert.equal(podTemplateHash(t, 0, 'encoded'), safeEncode(podTemplateHash(t)));
    assert.match(podTemplateHash(t, 0, 'encoded'), /^[bcdf4-9]{1,10}$/);
    assert.notEqual(podTemplateHash(t, 1, 'encoded'), podTemplateHash(t, 0, 'encoded'));
  });

  test('a different template or a collision count gives a different hash', () => {
    const a = { spec: { containers: [{ name: 'c', image: 'i:1' }] } };
    const b = { spec: { containers: [{ name: 'c', image: 'i:2' }] } };
    assert.notEqual(podTemplateHash(a), podTemplateHash(b));
    assert.notEqual(podTemplateHash(a), podTemplateHash(a, 1));
  });

  test('fnv32a matches the published FNV-1a test vectors', () => {
    assert.equal(fnv32a(''), 0x811c9dc5);
    assert.equal(fnv32a('a'), 0xe40c292c);
    assert.equal(fnv32a('foobar'), 0xbf9cf968);
  });

  test('canonical JSON sorts keys at every depth and drops undefined', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined, x: 0 }], c: null } }), '{"a":{"c":null,"d":[2,{"x":0,"z":1}]},"b":1}');
  });

  test('random suffixes use the apimachinery alphabet', () => {
    for (let i = 0; i < 50; i++) assert.match(randomSuffix(), /^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});
