// The chapter's own manifests (lessons/templates) through kubectl against the API, and the
// remaining commands: diff, delete -f of a multi-document file, namespace deletion, wait
// --for=delete, api-versions, get --raw.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startLab, type Lab } from './harness.ts';
import { waitFor } from '../../support/wait.ts';

const templates = fileURLToPath(new URL('../../../lessons/templates/', import.meta.url));

let lab: Lab;
before(async () => { lab = await startLab(); });
after(async () => { await lab?.close(); });

describe("the chapter's manifests", () => {
  test('create -f coredns-kops.yaml: one line per object, in file order', async () => {
    assert.equal(await lab.ok(['create', '-f', `${templates}coredns-kops.yaml`]), [
      'serviceaccount/coredns created',
      'clusterrole.rbac.authorization.k8s.io/system:coredns created',
      'clusterrolebinding.rbac.authorization.k8s.io/system:coredns created',
      'configmap/coredns created',
      'deployment.apps/coredns created',
      '',
    ].join('\n'));
  });

  test('the Corefile is stored verbatim in the ConfigMap', async () => {
    const corefile = await lab.ok(['get', 'configmap', 'coredns', '-n', 'kube-system', '-o', 'jsonpath={.data.Corefile}']);
    assert.match(corefile, /kubernetes cluster\.local/);
  });

  test('apply -f coredns-service.yaml: "service/kube-dns configured", same VIP, new selector', async () => {
    assert.equal(await lab.ok(['apply', '-f', `${templates}coredns-service.yaml`]), 'service/kube-dns configured\n');
    const out = await lab.ok(['get', 'svc', 'kube-dns', '-n', 'kube-system', '-o', 'wide']);
    assert.match(out, /\nkube-dns +ClusterIP +100\.64\.0\.10 +<none> +53\/UDP,53\/TCP,9153\/TCP +\d+s +k8s-app=coredns\n$/);
  });

  test('create -f busybox.yaml', async () => {
    assert.equal(await lab.ok(['create', '-f', `${templates}busybox.yaml`]), 'pod/busybox created\n');
  });

  test('diff -f shows what apply would change, exit 1 when there is a difference', async () => {
    const f = lab.file('svc-diff.yaml', (await import('node:fs')).readFileSync(`${templates}coredns-service.yaml`, 'utf8').replace('port: 9153', 'port: 9154'));
    const r = await lab.kubectl(['diff', '-f', f]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^diff -u -N \S+\/LIVE-\d+\/v1\.Service\.kube-system\.kube-dns \S+\/MERGED-\d+\/v1\.Service\.kube-system\.kube-dns\n/);
    // ports merge by their key (port): 9153 is deleted and 9154 added, so targetPort is defaulted anew
    assert.match(r.stdout, /\n   - name: metrics\n-    port: 9153\n\+    port: 9154\n     protocol: TCP\n-    targetPort: 9153\n\+    targetPort: 9154\n/);
    const same = await lab.kubectl(['diff', '-f', `${templates}coredns-service.yaml`]);
    assert.deepEqual([same.code, same.stdout], [0, '']);
  });

  test('delete -f coredns-kops.yaml deletes every object it names', async () => {
    assert.equal(await lab.ok(['delete', '-f', `${templates}coredns-kops.yaml`]), [
      'serviceaccount "coredns" deleted',
      'clusterrole.rbac.authorization.k8s.io "system:coredns" deleted',
      'clusterrolebinding.rbac.authorization.k8s.io "system:coredns" deleted',
      'configmap "coredns" deleted',
      'deployment.apps "coredns" deleted',
      '',
    ].join('\n'));
  });
});

describe('more commands', () => {
  test('delete namespace removes what is in it', async () => {
    await lab.ok(['create', 'namespace', 'scratch']);
    await lab.ok(['create', '-f', lab.file('in-ns.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inside\n  namespace: scratch\n')]);
    assert.equal(await lab.ok(['delete', 'namespace', 'scratch']), 'namespace "scratch" deleted\n');
    const r = await lab.kubectl(['get', 'configmap', 'inside', '-n', 'scratch']);
    assert.equal(r.stderr, 'Error from server (NotFound): namespaces "scratch" not found\n');
  });

  test('wait --for=delete returns once the object is gone', async () => {
    await lab.ok(['create', '-f', lab.file('gone.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gone\n')]);
    const watching = lab.nextRequest(/^GET \/api\/v1\/namespaces\/default\/configmaps\?.*watch=true/, 'kubectl wait\'s watch');
    const waiting = lab.kubectl(['wait', '--for=delete', 'configmap/gone', '--timeout=20s']);
    await watching;
    await lab.ok(['delete', 'configmap', 'gone', '--wait=false']);
    const r = await waiting;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'configmap/gone condition met\n');
  });

  test('api-versions', async () => {
    const lines = (await lab.ok(['api-versions'])).trimEnd().split('\n');
    for (const gv of ['apps/v1', 'discovery.k8s.io/v1', 'rbac.authorization.k8s.io/v1', 'coordination.k8s.io/v1', 'v1']) assert.ok(lines.includes(gv), `${gv} in ${lines.join(' ')}`);
  });

  test('get --raw', async () => {
    const v = JSON.parse(await lab.ok(['get', '--raw', '/version']));
    assert.equal(v.major, '1');
    assert.equal(v.minor, '32');
    const list = JSON.parse(await lab.ok(['get', '--raw', '/api/v1/namespaces/kube-system/services']));
    assert.equal(list.kind, 'ServiceList');
  });

  test('get -w --output-watch-events labels each event', async () => {
    const watching = lab.nextRequest(/^GET \/api\/v1\/namespaces\/default\/configmaps\?.*watch=true/, 'the watch of kubectl get -w');
    const child = lab.spawnKubectl(['get', 'configmaps', '-n', 'default', '-w', '--output-watch-events']);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await watching;
      await lab.ok(['create', '-f', lab.file('ev.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ev\n')]);
      await lab.ok(['delete', 'configmap', 'ev']);
      await waitFor(() => /\nDELETED +ev +0 +\d+s\n/.test(out), { what: 'the DELETED row', show: () => out });
      assert.match(out, /^EVENT +NAME +DATA +AGE\nADDED +ev +0 +\d+s\n/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
