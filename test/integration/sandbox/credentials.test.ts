// The sandbox's API as the learner and third-party clients meet it: HTTPS under the state dir's
// CA, the admin token in a kubeconfig written 0600 beside a private pki/ dir, and every client
// using the kubeconfig as written: the real kubectl, @kubernetes/client-node, Debian's
// python3-kubernetes, and the DNS pods' kubernetes plugin (a new Service resolves through it).
// A restart keeps the CA and the token, so a copied kubeconfig keeps working.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { Kubectl, lab, ROOT, run, Sandbox, tempDir } from './sandbox-process.ts';
import { waitFor } from '../../support/wait.ts';

const mode = (p: string) => statSync(p).mode & 0o777;

function withInput(
  file: string,
  args: string[],
  input: string,
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env: { ...process.env, ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({
        code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0,
        stdout,
        stderr,
      });
    });
    child.stdin!.end(input);
  });
}

describe('the sandbox API through the credentials it writes', () => {
  const stateDir = tempDir('credentials');
  let sb: Sandbox & { kubeconfig: string };
  let kubectl: Kubectl;
  let copied: string;

  before(async () => {
    sb = await Sandbox.up(stateDir, ['--dns-port', '0']);
    kubectl = new Kubectl(sb.kubeconfig, join(ROOT, 'lessons'));
    copied = join(tempDir('kubeconfig-copy'), 'config');
    copyFileSync(sb.kubeconfig, copied);
  });
  after(async () => {
    await sb?.stop('SIGKILL');
    kubectl?.cleanup();
    rmSync(stateDir, { recursive: true, force: true });
    if (copied) rmSync(join(copied, '..'), { recursive: true, force: true });
  });

  test('pki/ is 0700; the keys, certificates, token and kubeconfig are 0600', () => {
    assert.equal(mode(join(stateDir, 'pki')), 0o700);
    assert.deepEqual(readdirSync(join(stateDir, 'pki')).sort(), ['apiserver.crt', 'apiserver.key', 'ca.crt', 'ca.key', 'sa.key']);
    for (const f of readdirSync(join(stateDir, 'pki'))) assert.equal(mode(join(stateDir, 'pki', f)), 0o600, f);
    assert.equal(mode(join(stateDir, 'admin-token')), 0o600);
    assert.equal(mode(sb.kubeconfig), 0o600);
    const cfg = readFileSync(sb.kubeconfig, 'utf8');
    assert.equal(Buffer.from(/certificate-authority-data: (\S+)/.exec(cfg)![1]!, 'base64').toString('utf8'), readFileSync(join(stateDir, 'pki', 'ca.crt'), 'utf8'));
    assert.equal(/\n {4}token: (\S+)\n/.exec(cfg)![1], readFileSync(join(stateDir, 'admin-token'), 'utf8').trim());
  });

  test('kubectl cluster-info shows the https URL', async () => {
    const out = await kubectl.ok(['cluster-info']);
    assert.match(out, /^Kubernetes control plane is running at https:\/\/127\.0\.0\.1:\d+\n/);
  });

  test('kubectl apply, get, exec -i and logs', async () => {
    await kubectl.ok(['create', '-f', 'templates/busybox.yaml']);
    const applied = await withInput('kubectl', ['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: through-tls\n  namespace: default\ndata:\n  k: v\n', { KUBECONFIG: sb.kubeconfig, KUBECACHEDIR: kubectl.cacheDir });
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal(applied.stdout, 'configmap/through-tls created\n');
    assert.equal(await kubectl.ok(['get', 'configmap', 'through-tls', '-o', 'jsonpath={.data.k}']), 'v');
    await waitFor(async () => (await kubectl.ok(['get', 'pod', 'busybox', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'])) === 'True', { what: 'busybox Ready', timeout: 30_000 });
    const exec = await withInput('kubectl', ['exec', '-i', 'busybox', '--', 'sh'], 'echo typed into the pod\nhostname\n', { KUBECONFIG: sb.kubeconfig, KUBECACHEDIR: kubectl.cacheDir });
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal(exec.stdout, 'typed into the pod\nbusybox\n');
    const logs = await kubectl.ok(['logs', '-n', 'kube-system', 'deploy/kube-dns', '-c', 'kubedns']);
    assert.match(logs, /\S/);
  });

  test('@kubernetes/client-node lists and watches (an informer) with the kubeconfig as written', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(sb.kubeconfig);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const pods = await core.listNamespacedPod({ namespace: 'kube-system' });
    assert.ok(pods.items.some((p) => p.metadata?.name?.startsWith('kube-dns-')));
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/configmaps', () => core.listNamespacedConfigMap({ namespace: 'default' }));
    const seen = new Promise<string>((resolve) => informer.on('add', (cm) => cm.metadata?.name === 'seen-by-informer' && resolve(cm.metadata.name)));
    await informer.start();
    try {
      await kubectl.ok(['create', 'configmap', 'seen-by-informer', '--from-literal=a=b']);
      assert.equal(await seen, 'seen-by-informer');
    } finally {
      await informer.stop();
    }
  });

  test('Debian\'s python3-kubernetes lists the kube-system Services with the kubeconfig as written', async () => {
    const r = await run('/usr/bin/python3', ['-c', [
      'import sys',
      'from kubernetes import client, config',
      'config.load_kube_config(sys.argv[1])',
      'print(",".join(s.metadata.name for s in client.CoreV1Api().list_namespaced_service("kube-system").items))',
    ].join('\n'), sb.kubeconfig]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'kube-dns\n');
  });

  test('Python\'s ssl with VERIFY_X509_STRICT accepts the serving certificate for 127.0.0.1 and localhost', async () => {
    const port = Number(/server: https:\/\/127\.0\.0\.1:(\d+)/.exec(readFileSync(sb.kubeconfig, 'utf8'))![1]);
    const r = await run('/usr/bin/python3', ['-c', [
      'import socket, ssl, sys',
      'ctx = ssl.create_default_context(cafile=sys.argv[1])',
      'ctx.verify_flags |= ssl.VERIFY_X509_STRICT',
      'for name in ("127.0.0.1", "localhost"):',
      '    with ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[2]))), server_hostname=name) as s:',
      '        print(name, s.version())',
    ].join('\n'), join(stateDir, 'pki', 'ca.crt'), String(port)]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^127\.0\.0\.1 TLSv1\.3\nlocalhost TLSv1\.3\n$/);
  });

  test('the DNS pods\' kubernetes plugin watches through the CA and token: a new Service resolves', async () => {
    await kubectl.ok(['create', 'service', 'clusterip', 'through-tls', '--tcp=80:80']);
    const ip = (await kubectl.ok(['get', 'service', 'through-tls', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    assert.match(ip, /^100\.6[4-9]\.|^100\.7[01]\./);
    await waitFor(async () => {
      const r = await run('dig', ['+short', '@127.0.0.1', '-p', String(sb.dnsPort), 'through-tls.default.svc.cluster.local']);
      return r.stdout.trim() === ip;
    }, { what: 'the Service in DNS' });
  });

  test('sandbox status probes the API with the state dir\'s credentials', async () => {
    const r = await lab(['sandbox', 'status', '--state-dir', stateDir]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /running/);
  });

  test('a restart keeps the CA and the token: a copy of the kubeconfig still works', async () => {
    const before = readFileSync(sb.kubeconfig, 'utf8');
    assert.equal(await sb.stop(), 0);
    sb = await Sandbox.up(stateDir, ['--dns-port', '0']);
    const after = readFileSync(sb.kubeconfig, 'utf8');
    const pick = (cfg: string, re: RegExp) => re.exec(cfg)![1];
    assert.equal(pick(after, /certificate-authority-data: (\S+)/), pick(before, /certificate-authority-data: (\S+)/));
    assert.equal(pick(after, /\n {4}token: (\S+)\n/), pick(before, /\n {4}token: (\S+)\n/));
    // the port is reused when free; the copy is pointed at the new one if not, and must then verify and authenticate as it is
    const server = pick(after, /server: (\S+)/)!;
    writeFileSync(copied, readFileSync(copied, 'utf8').replace(/server: \S+/, `server: ${server}`));
    const k = new Kubectl(copied);
    try {
      assert.equal(await k.ok(['get', 'configmap', 'through-tls', '-o', 'name']), 'configmap/through-tls\n');
    } finally {
      k.cleanup();
    }
  });
});
