// exists and absent look objects up as `kubectl get <kind> <name>` does, without a kubectl
// process (Cluster.objectExists). Against a small HTTPS API with one aggregated group whose server
// is down (503, as metrics.k8s.io answers while metrics-server is not ready): the other groups
// still resolve, and the real kubectl, asked the same against the same API, agrees on each row.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:https';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryPki } from '../../../sandbox/cluster/auth/pki.ts';
import { kubeconfigFor } from '../../../sandbox/cluster/index.ts';
import { Cluster } from '../../../sandbox/checks/cluster.ts';

const status = (code: number, reason: string, message: string) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason, code, message });
const resource = (name: string, singularName: string, kind: string, shortNames: string[]) => ({ name, singularName, namespaced: true, kind, verbs: ['get', 'list'], shortNames });
const ROUTES: Record<string, [number, unknown]> = {
  '/version': [200, { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' }],
  '/api': [200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] }],
  '/api/v1': [200, { kind: 'APIResourceList', groupVersion: 'v1', resources: [resource('configmaps', 'configmap', 'ConfigMap', ['cm'])] }],
  '/apis': [200, {
    kind: 'APIGroupList', apiVersion: 'v1',
    groups: ['apps', 'metrics.k8s.io'].map((name) => {
      const version = name === 'apps' ? 'v1' : 'v1beta1';
      return { name, versions: [{ groupVersion: `${name}/${version}`, version }], preferredVersion: { groupVersion: `${name}/${version}`, version } };
    }),
  }],
  '/apis/apps/v1': [200, { kind: 'APIResourceList', groupVersion: 'apps/v1', resources: [resource('deployments', 'deployment', 'Deployment', ['deploy'])] }],
  '/apis/metrics.k8s.io/v1beta1': [503, status(503, 'ServiceUnavailable', 'the server is currently unable to handle the request')],
  '/apis/apps/v1/namespaces/default/deployments/web': [200, { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'web', namespace: 'default' } }],
  '/api/v1/namespaces/default/configmaps/settings': [403, status(403, 'Forbidden', 'configmaps "settings" is forbidden: User "learner" cannot get resource "configmaps" in API group "" in the namespace "default"')],
};

let server: Server;
let kubeconfig: string;
const dir = mkdtempSync(join(tmpdir(), 'lab-object-exists-'));

before(async () => {
  const pki = await createMemoryPki();
  server = createServer({ cert: pki.serving.cert, key: pki.serving.key }, (req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    const [code, body] = ROUTES[path] ?? [404, status(404, 'NotFound', `the server could not find the requested resource (${path})`)];
    res.statusCode = code;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigFor({ server: `https://127.0.0.1:${(server.address() as { port: number }).port}`, caPem: pki.caPem, token: 't' }));
});
after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

function kubectlGet(kind: string, name: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['get', kind, name, '-n', 'default', '-o', 'name', '--cache-dir', join(dir, 'kube-cache')], { env: { ...process.env, KUBECONFIG: kubeconfig } }, (err, _out, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stderr }),
    );
  });
}

test('a down aggregated group does not stop the others resolving; found, missing and Forbidden agree with kubectl', async () => {
  const cluster = Cluster.for(kubeconfig);
  const rows: Array<[kind: string, name: string, expected: string]> = [
    ['deploy', 'web', 'found'],
    ['deployments.apps', 'web', 'found'],
    ['Deployment', 'nope', 'missing'],
    ['cm', 'settings', 'Error from server (Forbidden): configmaps "settings" is forbidden: User "learner" cannot get resource "configmaps" in API group "" in the namespace "default"'],
  ];
  for (const [kind, name, expected] of rows) {
    const got = await cluster.objectExists(kind, 'default', name);
    const viaApi = 'error' in got ? got.error : got.found ? 'found' : 'missing';
    assert.equal(viaApi, expected, `${kind} ${name}`);
    const k = await kubectlGet(kind, name);
    const viaKubectl = k.code === 0 ? 'found' : /\(NotFound\)/.test(k.stderr) ? 'missing' : k.stderr.split('\n').find((l) => l.startsWith('Error from server')) ?? k.stderr;
    assert.equal(viaKubectl, expected, `kubectl get ${kind} ${name}: ${k.stderr}`);
  }
});
