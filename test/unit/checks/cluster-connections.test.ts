// The checks' API client keeps its TLS connections: client-node alone makes a new agent, and so
// a new handshake, for every request; a workshop of 50 seats ran 10 checks a second, each paying
// several handshakes on both ends. Against a small HTTPS server with the lab's PKI that counts
// handshakes and answers what the checks ask.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryPki } from '../../../sandbox/cluster/auth/pki.ts';
import { kubeconfigFor } from '../../../sandbox/cluster/index.ts';
import { Cluster } from '../../../sandbox/checks/cluster.ts';

let server: Server;
let caPem: string;
let url: string;
let handshakes = 0;
const tokens: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'lab-cluster-conn-'));

before(async () => {
  const pki = await createMemoryPki();
  caPem = pki.caPem;
  server = createServer({ cert: pki.serving.cert, key: pki.serving.key }, (req, res) => {
    tokens.push(req.headers.authorization ?? '');
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/api/v1/nodes') res.end(JSON.stringify({ kind: 'NodeList', apiVersion: 'v1', metadata: {}, items: [] }));
    else {
      res.statusCode = 404;
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' }));
    }
  });
  server.on('secureConnection', () => handshakes++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

test('one TLS handshake for many API calls, and across check runs while the kubeconfig is unchanged', async () => {
  const kubeconfig = join(dir, 'a.kubeconfig');
  writeFileSync(kubeconfig, kubeconfigFor({ server: url, caPem, token: 'first-token' }));
  handshakes = 0;
  const c = Cluster.for(kubeconfig);
  assert.deepEqual(await c.listNodes(), []);
  assert.equal(await c.readService('kube-system', 'kube-dns'), undefined);
  assert.equal(await c.readPod('default', 'busybox'), undefined);
  // the next check run gets the same client, and with it the open connection
  assert.equal(Cluster.for(kubeconfig), c);
  assert.deepEqual(await Cluster.for(kubeconfig).listNodes(), []);
  assert.equal(handshakes, 1, 'every call after the first reuses its connection');
  assert.ok(tokens.every((t) => t === 'Bearer first-token'));
});

test('a rewritten kubeconfig (a restart: new port or token) gets a new client', async () => {
  const kubeconfig = join(dir, 'b.kubeconfig');
  writeFileSync(kubeconfig, kubeconfigFor({ server: url, caPem, token: 'old-token' }));
  const before = Cluster.for(kubeconfig);
  await before.listNodes();
  writeFileSync(kubeconfig, kubeconfigFor({ server: url, caPem, token: 'a-longer-new-token' }));
  const after = Cluster.for(kubeconfig);
  assert.notEqual(after, before);
  tokens.length = 0;
  await after.listNodes();
  assert.deepEqual(tokens, ['Bearer a-longer-new-token']);
});

test('the server is still verified against the kubeconfig\'s CA', async () => {
  const other = await createMemoryPki();
  const kubeconfig = join(dir, 'c.kubeconfig');
  writeFileSync(kubeconfig, kubeconfigFor({ server: url, caPem: other.caPem, token: 't' }));
  await assert.rejects(Cluster.for(kubeconfig).listNodes(), (err: Error) => err.name === 'ClusterUnreachableError' || /certificate/i.test(err.message));
});
