// Where the kubernetes plugin finds its API: Corefile options, the embedder's kubeconfig,
// in-cluster, ~/.kube/config; and what it reads from a kubeconfig file.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiAccess } from '../../../dns-server/plugins/kubernetes/access.ts';
import { readKubeconfig } from '../../../dns-server/plugins/kubernetes/kubeconfig-file.ts';
import { chooseSource, KubeconfigError } from '../../../dns-server/plugins/kubernetes/source.ts';
import { parseKubernetes } from '../../../dns-server/plugins/kubernetes/parse.ts';
import { directiveFrom } from '../../../dns-server/test-support/kube/handler-harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8s-access-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function kubeconfig(name: string, user: string, extraCluster = ''): string {
  const p = join(dir, name);
  writeFileSync(p, [
    'apiVersion: v1', 'kind: Config',
    'clusters:',
    '- name: lab', '  cluster:', '    server: https://10.0.0.1:6443', '    certificate-authority: ca.pem', extraCluster,
    '- name: plain', '  cluster:', '    server: http://127.0.0.1:8080',
    'users:', '- name: u', '  user:', user,
    'contexts:',
    '- name: lab', '  context: {cluster: lab, user: u}',
    '- name: plain', '  context: {cluster: plain, user: u}',
    'current-context: lab', '',
  ].join('\n'));
  return p;
}
writeFileSync(join(dir, 'ca.pem'), 'CA-BYTES');

describe('reading a kubeconfig file', () => {
  test('current context, CA file relative to the kubeconfig, token', () => {
    const c = readKubeconfig(kubeconfig('a', '    token: abc'));
    if (c === 'needs-client-node') assert.fail('a token needs no client-node');
    assert.equal(c.server, 'https://10.0.0.1:6443');
    assert.equal(c.ca?.toString(), 'CA-BYTES');
    assert.equal(c.token, 'abc');
    assert.equal(c.skipTLSVerify, false);
  });
  test('a named context; http needs no insecure-skip-tls-verify', () => {
    const c = readKubeconfig(kubeconfig('b', '    token: abc'), 'plain');
    assert.ok(c !== 'needs-client-node' && c.server === 'http://127.0.0.1:8080' && c.skipTLSVerify === true);
  });
  test('client certificate data', () => {
    const c = readKubeconfig(kubeconfig('c', `    client-certificate-data: ${Buffer.from('CERT').toString('base64')}\n    client-key-data: ${Buffer.from('KEY').toString('base64')}`));
    if (c === 'needs-client-node') assert.fail('certificates need no client-node');
    assert.equal(c.cert?.toString(), 'CERT');
    assert.equal(c.key?.toString(), 'KEY');
  });
  test('exec users are left to client-node', () => {
    assert.equal(readKubeconfig(kubeconfig('d', '    exec: {command: aws, apiVersion: client.authentication.k8s.io/v1}')), 'needs-client-node');
  });
  test('an unknown context names the ones there are', () => {
    assert.throws(() => readKubeconfig(kubeconfig('e', '    token: x'), 'nope'), (err: unknown) => err instanceof KubeconfigError && err.code === 'DNS_ERR_KUBECONFIG' && /context "nope" is not in .*; contexts there: lab, plain/.test(err.message));
  });
  test('a file that is not YAML', () => {
    const p = join(dir, 'bad');
    writeFileSync(p, 'clusters: [unclosed');
    assert.throws(() => readKubeconfig(p), (err: unknown) => err instanceof KubeconfigError && /cannot read kubeconfig/.test(err.message));
  });
  test('endpoint access sends no credentials', async () => {
    const a = await apiAccess({ kind: 'endpoint', url: 'http://127.0.0.1:9/' }, {});
    assert.equal(a.server, 'http://127.0.0.1:9');
    assert.deepEqual((await a.requestOptions()).headers, {});
  });
  test('a token becomes a Bearer header', async () => {
    const a = await apiAccess({ kind: 'file', path: kubeconfig('f', '    token: s3cret') }, {});
    assert.equal((await a.requestOptions()).headers.Authorization, 'Bearer s3cret');
  });
});

describe('choosing the API source (K51: endpoint, kubeconfig, tls)', () => {
  const cfg = (block: string) => parseKubernetes(directiveFrom(block), ['.']);
  const home = mkdtempSync(join(tmpdir(), 'k8s-home-'));
  after(() => rmSync(home, { recursive: true, force: true }));
  const cases: Array<{ name: string; block: string; hook?: string; env?: Record<string, string>; expect: object | RegExp }> = [
    { name: 'endpoint wins', block: 'kubernetes cluster.local {\n endpoint http://a:1\n }', hook: '/x', expect: { kind: 'endpoint', url: 'http://a:1', tls: undefined } },
    { name: 'endpoint with tls files', block: `kubernetes cluster.local {\n endpoint https://a:1\n tls ${join(dir, 'ca.pem')} ${join(dir, 'ca.pem')} ${join(dir, 'ca.pem')}\n }`, expect: { kind: 'endpoint', url: 'https://a:1', tls: { cert: join(dir, 'ca.pem'), key: join(dir, 'ca.pem'), ca: join(dir, 'ca.pem') } } },
    { name: 'endpoint with a missing tls file', block: 'kubernetes cluster.local {\n endpoint https://a:1\n tls /no/cert /no/key /no/ca\n }', expect: /tls file \/no\/cert does not exist/ },
    { name: 'kubeconfig option', block: `kubernetes cluster.local {\n kubeconfig ${join(dir, 'a')} lab\n }`, expect: { kind: 'file', path: join(dir, 'a'), context: 'lab' } },
    { name: 'missing kubeconfig file', block: 'kubernetes cluster.local {\n kubeconfig /nonexistent/kc\n }', expect: /kubeconfig file \/nonexistent\/kc does not exist/ },
    { name: 'the embedder\'s kubeconfig', block: 'kubernetes cluster.local', hook: '/sandbox/kubeconfig', expect: { kind: 'file', path: '/sandbox/kubeconfig', embedder: true } },
    { name: '$KUBECONFIG', block: 'kubernetes cluster.local', env: { KUBECONFIG: join(dir, 'a'), HOME: home }, expect: { kind: 'file', path: join(dir, 'a') } },
    { name: 'nothing at all', block: 'kubernetes cluster.local', env: { HOME: home }, expect: /no Kubernetes API to watch: .* add 'endpoint http:\/\/HOST:PORT' or 'kubeconfig PATH'/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const run = () => chooseSource(cfg(c.block), c.hook, c.env ?? { HOME: home });
      if (c.expect instanceof RegExp)
        assert.throws(run, (err: unknown) => err instanceof KubeconfigError && (c.expect as RegExp).test(err.message));
      else assert.deepEqual(run(), c.expect);
    });
  }
});

describe('an https API with a CA and a token (kind, minikube, in-cluster)', () => {
  test('the plugin verifies the server certificate, sends the token, and syncs', async () => {
    const { execFileSync } = await import('node:child_process');
    const { readFileSync } = await import('node:fs');
    const { StubKubeApi } = await import('../../../dns-server/test-support/kube/stub-api.ts');
    const { namespace, service } = await import('../../../dns-server/test-support/kube/objects.ts');
    const { plugin } = await import('../../../dns-server/plugins/kubernetes/index.ts');
    const { ask, testContext } = await import('../../../dns-server/test-support/kube/handler-harness.ts');
    const keyPath = join(dir, 'tls.key');
    const certPath = join(dir, 'tls.crt');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const api = new StubKubeApi({ cert: readFileSync(certPath), key: readFileSync(keyPath) });
    api.applyAll([namespace('web'), service({ namespace: 'web', name: 'secure', clusterIP: '10.0.0.7' })]);
    await api.start();
    const kc = api.writeKubeconfig(mkdtempSync(join(dir, 'kc-')));
    const h = plugin.setup(directiveFrom(`kubernetes cluster.local {\n kubeconfig ${kc}\n }`), testContext());
    try {
      await h.start!();
      assert.equal(h.ready!(), true, 'synced over https');
      const { msg } = await ask(h, 'secure.web.svc.cluster.local.', 'A');
      assert.equal((msg.answers?.[0] as { data?: string })?.data, '10.0.0.7');
      assert.ok(api.requests.length > 0 && api.requests.every((r) => r.authorization === 'Bearer stub-token'), 'every request carries the token');

      // a kubeconfig trusting another CA must not sync
      const otherKey = join(dir, 'other.key');
      const otherCert = join(dir, 'other.crt');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', otherKey, '-out', otherCert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
      const wrong = join(dir, 'wrong-ca');
      writeFileSync(wrong, readFileSync(kc, 'utf8').replace(/certificate-authority-data: \S+/, `certificate-authority-data: ${readFileSync(otherCert).toString('base64')}`));
      const ctx = testContext();
      const bad = plugin.setup(directiveFrom(`kubernetes cluster.local {\n kubeconfig ${wrong}\n startup_timeout 300ms\n }`), ctx);
      try {
        await bad.start!();
        assert.equal(bad.ready!(), false, 'an untrusted server certificate is refused');
        assert.ok(ctx.lines.some((l) => /Failed to watch .*(certificate|self.signed)/i.test(l)), ctx.lines.join('\n'));
      } finally {
        await bad.stop!();
      }
    } finally {
      await h.stop!();
      await api.stop();
    }
  });
});
