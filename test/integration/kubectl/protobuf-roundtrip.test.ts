// Every kind the real kubectl sends as protobuf (its typed commands: create <kind>, auth can-i,
// auth whoami, debug --copy-to, debug node/...) arrives intact: what kubectl would send, as its
// --dry-run=client -o json shows, is what the API stores. Inline structs (Volume's VolumeSource,
// Probe's ProbeHandler, ConfigMapVolumeSource's LocalObjectReference), empty messages
// (emptyDir: {}) and pointer zeros (replicas: 0, automountServiceAccountToken: false) included.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NODES, nodeName } from '../../../sandbox/cluster/status-quo/nodes.ts';
import { startLab, type Lab } from './harness.ts';

let lab: Lab;
before(async () => {
  lab = await startLab();
});
after(() => lab.close());

/** every leaf kubectl sent is in the stored object (the server may add defaults and status) */
function assertSubset(sent: unknown, stored: unknown, path = ''): void {
  if (sent === null) return; // creationTimestamp: null
  if (Array.isArray(sent)) {
    assert.ok(Array.isArray(stored), `${path} should be an array: ${JSON.stringify(stored)}`);
    assert.equal(stored.length, sent.length, `${path} length`);
    sent.forEach((v, i) => assertSubset(v, stored[i], `${path}[${i}]`));
    return;
  }
  if (typeof sent === 'object') {
    assert.ok(stored && typeof stored === 'object' && !Array.isArray(stored), `${path} should be an object: ${JSON.stringify(stored)}`);
    for (const [k, v] of Object.entries(sent as Record<string, unknown>)) {
      if (path === '' && k === 'status') continue;
      assertSubset(v, (stored as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
    }
    return;
  }
  assert.deepEqual(stored, sent, path);
}

const CREATES: Array<{ what: string; args: string[]; get: string[] }> = [
  { what: 'Namespace', args: ['create', 'namespace', 'pb-ns'], get: ['namespace', 'pb-ns'] },
  { what: 'Deployment (replicas 0, a port)', args: ['create', 'deployment', 'pb-dep', '--image=nginx', '--replicas=0', '--port=80'], get: ['deployment', 'pb-dep'] },
  { what: 'Service', args: ['create', 'service', 'clusterip', 'pb-svc', '--tcp=80:8080', '--tcp=53:53'], get: ['service', 'pb-svc'] },
  { what: 'ConfigMap', args: ['create', 'configmap', 'pb-cm', '--from-literal=a=b', '--from-literal=empty='], get: ['configmap', 'pb-cm'] },
  { what: 'Secret', args: ['create', 'secret', 'generic', 'pb-sec', '--from-literal=k=v'], get: ['secret', 'pb-sec'] },
  { what: 'ServiceAccount', args: ['create', 'serviceaccount', 'pb-sa'], get: ['serviceaccount', 'pb-sa'] },
  { what: 'Role', args: ['create', 'role', 'pb-role', '--verb=get,list', '--resource=pods,pods/log', '--resource-name=x'], get: ['role', 'pb-role'] },
  { what: 'RoleBinding', args: ['create', 'rolebinding', 'pb-rb', '--role=pb-role', '--user=u', '--serviceaccount=default:pb-sa', '--group=g'], get: ['rolebinding', 'pb-rb'] },
  { what: 'ClusterRole', args: ['create', 'clusterrole', 'pb-cr', '--verb=get', '--non-resource-url=/healthz'], get: ['clusterrole', 'pb-cr'] },
  { what: 'ClusterRoleBinding', args: ['create', 'clusterrolebinding', 'pb-crb', '--clusterrole=pb-cr', '--user=u'], get: ['clusterrolebinding', 'pb-crb'] },
  { what: 'ResourceQuota', args: ['create', 'quota', 'pb-q', '--hard=pods=2,requests.cpu=500m', '--scopes=NotBestEffort'], get: ['resourcequota', 'pb-q'] },
];

describe('kubectl create <kind> (protobuf bodies)', () => {
  for (const c of CREATES) {
    test(`${c.what}: what kubectl sends is what is stored`, async () => {
      const sent = JSON.parse(await lab.ok([...c.args, '--dry-run=client', '-o', 'json']));
      await lab.ok(c.args);
      const stored = JSON.parse(await lab.ok(['get', ...c.get, '-o', 'json']));
      assertSubset(sent, stored);
    });
  }
});

describe('reviews (protobuf bodies)', () => {
  test('auth can-i: the SelfSubjectAccessReview keeps its namespace, verb, resource and subresource', async () => {
    assert.equal((await lab.ok(['auth', 'can-i', 'create', 'pods', '--subresource=exec', '-n', 'kube-system'])).trim(), 'yes');
  });

  test('auth whoami: the SelfSubjectReview comes back with the user', async () => {
    const out = JSON.parse(await lab.ok(['auth', 'whoami', '-o', 'json']));
    assert.equal(out.kind, 'SelfSubjectReview');
    assert.equal(out.status.userInfo.username, 'admin');
  });
});

describe('kubectl debug (protobuf bodies)', () => {
  const source = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pb-src', namespace: 'default', labels: { app: 'src' } },
    spec: {
      nodeName: nodeName(NODES.find((n) => n.role === 'node')!),
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 0,
      containers: [{
        name: 'web', image: 'nginx',
        readinessProbe: { httpGet: { path: '/ready', port: 80 }, periodSeconds: 5 },
        livenessProbe: { tcpSocket: { port: 80 }, initialDelaySeconds: 3 },
        startupProbe: { exec: { command: ['cat', '/tmp/ok'] } },
        lifecycle: { preStop: { exec: { command: ['sleep', '1'] } } },
        volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }, { name: 'scratch', mountPath: '/scratch' }],
        securityContext: { runAsNonRoot: false, allowPrivilegeEscalation: false },
      }],
      volumes: [
        { name: 'cfg', configMap: { name: 'pb-cm', items: [{ key: 'a', path: 'a.txt', mode: 0 }], optional: false } },
        { name: 'scratch', emptyDir: {} },
        { name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }] } },
        { name: 'sec', secret: { secretName: 'pb-sec', defaultMode: 256 } },
      ],
    },
  };

  // the legacy profile copies the containers as they are (general and the others drop probes)
  test('--copy-to: the copy keeps volumes, probes, lifecycle and pointer zeros', async () => {
    await lab.ok(['apply', '-f', '-'], { input: JSON.stringify(source) });
    await lab.ok(['debug', 'pb-src', '--copy-to=pb-copy', '--image=busybox:1.28', '--container=dbg', '--profile=legacy']);
    const copy = JSON.parse(await lab.ok(['get', 'pod', 'pb-copy', '-o', 'json']));
    assertSubset(source.spec.volumes, copy.spec.volumes, 'spec.volumes');
    const web = copy.spec.containers.find((c: { name: string }) => c.name === 'web');
    for (const k of ['readinessProbe', 'livenessProbe', 'startupProbe', 'lifecycle', 'volumeMounts', 'securityContext'] as const)
      assertSubset(source.spec.containers[0][k], web[k], k);
    assert.equal(web.readinessProbe.handler, undefined);
    assert.equal(copy.spec.volumes[0].volumeSource, undefined);
    assert.equal(copy.spec.automountServiceAccountToken, false);
    assert.equal(copy.spec.terminationGracePeriodSeconds, 0);
    assert.ok(copy.spec.containers.some((c: { name: string; image: string }) => c.name === 'dbg' && c.image === 'busybox:1.28'));
  });

  test('node/<name>: the node debugging pod has its hostPath volume and host namespaces', async () => {
    const node = nodeName(NODES.find((n) => n.role === 'node')!);
    const out = await lab.ok(['debug', `node/${node}`, '--image=busybox:1.28', '--profile=sysadmin']);
    const name = /Creating debugging pod (\S+)/.exec(out)?.[1];
    assert.ok(name, out);
    const pod = JSON.parse(await lab.ok(['get', 'pod', name, '-o', 'json']));
    assert.equal(pod.spec.nodeName, node);
    assert.equal(pod.spec.hostPID, true);
    assert.equal(pod.spec.hostNetwork, true);
    const host = pod.spec.volumes.find((v: { hostPath?: { path: string } }) => v.hostPath);
    assert.equal(host?.hostPath.path, '/');
    assert.equal(pod.spec.containers[0].securityContext.privileged, true);
  });
});
