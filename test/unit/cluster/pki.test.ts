// The state dir's PKI: made once with private modes, reused across restarts, parts made again
// when missing or not issued by the CA, and certificates that strict verifiers accept.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryPki, loadOrCreatePki } from '../../../sandbox/cluster/auth/pki.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function stateDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'pki-'));
  dirs.push(d);
  return d;
}
const mode = (p: string) => statSync(p).mode & 0o777;
const FILES = ['ca.crt', 'ca.key', 'apiserver.crt', 'apiserver.key', 'sa.key'];

describe('a state dir\'s PKI', () => {
  test('lives in pki/ (0700) with every file 0600', async () => {
    const d = stateDir();
    await loadOrCreatePki(d);
    assert.equal(mode(join(d, 'pki')), 0o700);
    for (const f of FILES) assert.equal(mode(join(d, 'pki', f)), 0o600, f);
  });

  test('is reused as it is on the next start', async () => {
    const d = stateDir();
    const a = await loadOrCreatePki(d);
    const b = await loadOrCreatePki(d);
    assert.equal(b.caPem, a.caPem);
    assert.equal(b.serving.cert, a.serving.cert);
    assert.equal(b.serving.key, a.serving.key);
    assert.deepEqual(b.serviceAccountKey.publicKey.export({ format: 'jwk' }), a.serviceAccountKey.publicKey.export({ format: 'jwk' }));
  });

  const rows: Array<{ name: string; damage: (pki: string) => void | Promise<void>; newCa: boolean; newServing: boolean }> = [
    { name: 'a missing serving certificate is made again under the same CA', damage: (p) => unlinkSync(join(p, 'apiserver.crt')), newCa: false, newServing: true },
    { name: 'a serving certificate from another CA is replaced', damage: async (p) => writeFileSync(join(p, 'apiserver.crt'), (await createMemoryPki()).serving.cert), newCa: false, newServing: true },
    { name: 'a lost CA key means a new CA and a new serving certificate', damage: (p) => unlinkSync(join(p, 'ca.key')), newCa: true, newServing: true },
    { name: 'a CA key that is not the CA certificate\'s is replaced', damage: async (p) => writeFileSync(join(p, 'ca.key'), (await createMemoryPki()).serving.key), newCa: true, newServing: true },
  ];
  for (const row of rows) {
    test(row.name, async () => {
      const d = stateDir();
      const a = await loadOrCreatePki(d);
      await row.damage(join(d, 'pki'));
      const b = await loadOrCreatePki(d);
      assert.equal(b.caPem !== a.caPem, row.newCa, 'CA');
      assert.equal(b.serving.cert !== a.serving.cert, row.newServing, 'serving certificate');
      assert.ok(new X509Certificate(b.serving.cert).checkIssued(new X509Certificate(b.caPem)));
      for (const f of FILES) assert.equal(mode(join(d, 'pki', f)), 0o600, f);
    });
  }
});

describe('the certificates', () => {
  test('the serving certificate passes openssl verify -x509_strict for TLS servers', async () => {
    const d = stateDir();
    await loadOrCreatePki(d);
    const out = execFileSync('openssl', ['verify', '-x509_strict', '-purpose', 'sslserver', '-CAfile', join(d, 'pki', 'ca.crt'), join(d, 'pki', 'apiserver.crt')], { encoding: 'utf8' });
    assert.equal(out.trim(), `${join(d, 'pki', 'apiserver.crt')}: OK`);
  });

  test('covers loopback and the names a real apiserver certificate carries', async () => {
    const pki = await createMemoryPki();
    const cert = new X509Certificate(pki.serving.cert);
    assert.equal(cert.subjectAltName, 'DNS:localhost, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local, IP Address:127.0.0.1, IP Address:100.64.0.1, IP Address:10.96.0.1');
    assert.equal(cert.ca, false);
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1']);
    const text = execFileSync('openssl', ['x509', '-noout', '-text'], { input: pki.serving.cert, encoding: 'utf8' });
    assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:FALSE/);
    assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature/);
    assert.match(text, /X509v3 Subject Key Identifier/);
    assert.match(text, /X509v3 Authority Key Identifier/);
    const ca = execFileSync('openssl', ['x509', '-noout', '-text'], { input: pki.caPem, encoding: 'utf8' });
    assert.match(ca, /X509v3 Basic Constraints: critical\n\s+CA:TRUE/);
    assert.match(ca, /X509v3 Key Usage: critical\n\s+Digital Signature, Certificate Sign, CRL Sign/);
  });
});
