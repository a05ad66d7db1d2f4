// The starting state as a real 1.32 cluster shows it to kubectl: kube-root-ca.crt in every
// namespace (kube-controller-manager's root-ca-cert-publisher), the ServiceAccount admission's
// kube-api-access-xxxxx projected volume and the DefaultTolerationSeconds tolerations on every
// pod (`kubectl describe pod`), and kops's static pods as mirror pods on their machines.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startClusterLab, type Lab } from './harness.ts';
import { waitFor } from '../../support/wait.ts';

let lab: Lab;
before(async () => { lab = await startClusterLab(); });
after(async () => { await lab?.close(); });

describe('kube-root-ca.crt', () => {
  test('is in every namespace, with the cluster CA and the publisher\'s description', async () => {
    const namespaces = (await lab.ok(['get', 'ns', '-o', 'name'])).trim().split('\n').map((n) => n.replace('namespace/', ''));
    assert.ok(namespaces.includes('kube-node-lease'));
    const out = await lab.ok(['get', 'configmaps', '-A', '--field-selector=metadata.name=kube-root-ca.crt', '-o', 'custom-columns=NS:.metadata.namespace', '--no-headers']);
    assert.deepEqual(out.trim().split('\n').sort(), [...namespaces].sort());
    const cm = JSON.parse(await lab.ok(['get', 'cm', 'kube-root-ca.crt', '-o', 'json'])) as { data: Record<string, string>; metadata: { annotations: Record<string, string> } };
    assert.deepEqual(Object.keys(cm.data), ['ca.crt']);
    assert.match(cm.data['ca.crt']!, /^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n?$/);
    assert.match(cm.metadata.annotations['kubernetes.io/description']!, /^Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints/);
    // the CA in it is the one kubectl trusts
    const kubeconfigCa = Buffer.from(/certificate-authority-data: (\S+)/.exec(await lab.ok(['config', 'view', '--raw']))![1]!, 'base64').toString();
    assert.equal(cm.data['ca.crt']!.trim(), kubeconfigCa.trim());
  });

  test('a new namespace gets it, and it comes back when deleted or edited', async () => {
    await lab.ok(['create', 'namespace', 'fresh']);
    await waitFor(async () => (await lab.kubectl(['get', 'cm', 'kube-root-ca.crt', '-n', 'fresh'])).code === 0, { what: 'kube-root-ca.crt in fresh' });
    const uid = await lab.ok(['get', 'cm', 'kube-root-ca.crt', '-n', 'fresh', '-o', 'jsonpath={.metadata.uid}']);
    await lab.ok(['delete', 'cm', 'kube-root-ca.crt', '-n', 'fresh']);
    await waitFor(async () => {
      const r = await lab.kubectl(['get', 'cm', 'kube-root-ca.crt', '-n', 'fresh', '-o', 'jsonpath={.metadata.uid}']);
      return r.code === 0 && r.stdout !== uid;
    }, { what: 'kube-root-ca.crt recreated' });
    await lab.ok(['patch', 'cm', 'kube-root-ca.crt', '-n', 'fresh', '--type=merge', '-p', '{"data":{"ca.crt":"nope","extra":"x"}}']);
    await waitFor(async () => {
      const data = JSON.parse(await lab.ok(['get', 'cm', 'kube-root-ca.crt', '-n', 'fresh', '-o', 'jsonpath={.data}'])) as Record<string, string>;
      return Object.keys(data).join() === 'ca.crt' && data['ca.crt']!.startsWith('-----BEGIN CERTIFICATE-----');
    }, { what: 'kube-root-ca.crt put back' });
  });
});

describe('what describe pod shows of admission', () => {
  test('the kube-api-access volume, its mount and the 300 s tolerations', async () => {
    await lab.ok(['run', 'bb', '--image=busybox:1.28', '--restart=Never', '--', 'sleep', '3600']);
    await lab.ok(['wait', '--for=condition=Ready', 'pod/bb', '--timeout=30s'], { timeoutMs: 40000 });
    const out = await lab.ok(['describe', 'pod', 'bb']);
    const vol = /\n    Mounts:\n      \/var\/run\/secrets\/kubernetes\.io\/serviceaccount from (kube-api-access-[a-z0-9]{5}) \(ro\)\n/.exec(out);
    assert.ok(vol, out);
    assert.match(out, new RegExp(`\\nVolumes:\\n  ${vol[1]}:\\n    Type: +Projected \\(a volume that contains injected data from multiple sources\\)\\n` +
      '    TokenExpirationSeconds: +3607\\n    ConfigMapName: +kube-root-ca\\.crt\\n    ConfigMapOptional: +<nil>\\n    DownwardAPI: +true\\n'));
    assert.match(out, /\nTolerations: +node\.kubernetes\.io\/not-ready:NoExecute op=Exists for 300s\n +node\.kubernetes\.io\/unreachable:NoExecute op=Exists for 300s\n/);
    // the volume is mounted: the token, the CA and the namespace are files in the container
    assert.equal(await lab.ok(['exec', 'bb', '--', 'cat', '/var/run/secrets/kubernetes.io/serviceaccount/namespace']), 'default');
    assert.match(await lab.ok(['exec', 'bb', '--', 'cat', '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt']), /^-----BEGIN CERTIFICATE-----\n/);
  });

  test('a pod that tolerates not-ready itself keeps its toleration and gets only unreachable', async () => {
    const manifest = lab.file('tol.yaml', `apiVersion: v1
kind: Pod
metadata: {name: tol}
spec:
  tolerations:
  - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 10}
  containers:
  - {name: c, image: pause}
`);
    await lab.ok(['create', '-f', manifest]);
    const tolerations = JSON.parse(await lab.ok(['get', 'pod', 'tol', '-o', 'jsonpath={.spec.tolerations}'])) as unknown[];
    assert.deepEqual(tolerations, [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  });
});

describe('kops\'s static pods', () => {
  test('are mirror pods on their machines: the control plane on the masters, kube-proxy everywhere', async () => {
    const out = await lab.ok(['get', 'pods', '-n', 'kube-system', '-o', 'custom-columns=NAME:.metadata.name,NODE:.spec.nodeName', '--no-headers']);
    const rows = out.trim().split('\n').map((l) => l.split(/\s+/) as [string, string]);
    const nodes = (await lab.ok(['get', 'nodes', '-o', 'name'])).trim().split('\n').map((n) => n.replace('node/', ''));
    const masters = (await lab.ok(['get', 'nodes', '-l', 'kubernetes.io/role=master', '-o', 'name'])).trim().split('\n').map((n) => n.replace('node/', ''));
    for (const node of nodes) assert.ok(rows.some(([name, on]) => name === `kube-proxy-${node}` && on === node), `kube-proxy on ${node}`);
    for (const master of masters) {
      for (const c of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd-manager-main', 'etcd-manager-events'])
        assert.ok(rows.some(([name, on]) => name === `${c}-${master}` && on === master), `${c} on ${master}`);
    }
    const master = masters[0]!;
    await waitFor(async () => /Running/.test(await lab.ok(['get', 'pod', `kube-apiserver-${master}`, '-n', 'kube-system'])), { what: 'apiserver mirror Running' });
    const described = await lab.ok(['describe', 'pod', `kube-apiserver-${master}`, '-n', 'kube-system']);
    assert.match(described, /\nPriority Class Name: +system-cluster-critical\n/);
    assert.match(described, /\nAnnotations: +kubernetes\.io\/config\.hash: [0-9a-f]{32}\n +kubernetes\.io\/config\.mirror: [0-9a-f]{32}\n/);
    assert.match(described, new RegExp(`\\nControlled By: +Node/${master.replace(/\./g, '\\.')}\\n`));
    // no service-account token on a mirror pod: the admission plugin leaves them alone
    assert.doesNotMatch(described, /kube-api-access/);
    const ip = await lab.ok(['get', 'node', master, '-o', 'jsonpath={.status.addresses[0].address}']);
    assert.equal(await lab.ok(['get', 'pod', `kube-apiserver-${master}`, '-n', 'kube-system', '-o', 'jsonpath={.status.podIP}']), ip);
  });
});
