// The embedded API server in a process of its own, so the bench measures its latency from
// outside and its memory alone. argv: <extraPods>. Seeds the Status Quo, a "bench" namespace,
// the kube-system pods a running cluster has, and <extraPods> more pods in "bench"; then
// prints one JSON line {port, plainPort, ca, token, rss, heapUsed, external} (after a full GC)
// and serves until killed. `port` is the API as the sandbox serves it (HTTPS, bearer token,
// RBAC over the bootstrap policy);
// `plainPort` is the same API on the same store over plain HTTP without authentication, for the
// cost of TLS and for the floor to record from.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type ApiServer } from '../../sandbox/cluster/api/index.ts';
import { memoryCredentials, secureApiOptions } from '../../sandbox/cluster/auth/credentials.ts';
import { RbacAuthorizer } from '../../sandbox/cluster/auth/rbac.ts';
import type { KubeObject } from '../../sandbox/cluster/contracts.ts';
import { startDeletionControllers } from '../../sandbox/cluster/controllers/deletion.ts';
import { createStore } from '../../sandbox/cluster/persistence/open-store.ts';
import { seedStatusQuo } from '../../sandbox/cluster/status-quo/index.ts';

const extra = Number(process.argv[2] ?? 0);
const dir = mkdtempSync(join(tmpdir(), 'bench-api-'));
const store = await createStore({ stateDir: dir });
seedStatusQuo(store);
const deletion = startDeletionControllers(store);
store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });

/** a pod as the kubelet leaves it once running: spec, and a status with conditions and containers */
function runningPod(namespace: string, name: string, app: string, ip: string, node: string, containers: string[]): KubeObject {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { 'k8s-app': app, 'pod-template-hash': '5d8f7c9b6d' } },
    spec: {
      nodeName: node,
      containers: containers.map((c, i) => ({
        name: c,
        image: `gcr.io/google_containers/k8s-dns-${c}-amd64:1.14.5`,
        ports: [{ containerPort: 10053 + i, protocol: 'UDP' }],
        resources: { requests: { cpu: '100m', memory: '70Mi' } },
      })),
    },
    status: {
      phase: 'Running',
      podIP: ip,
      podIPs: [{ ip }],
      hostIP: '172.20.58.230',
      startTime: now,
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastTransitionTime: now })),
      containerStatuses: containers.map((c) => ({
        name: c, ready: true, started: true, restartCount: 0, image: `k8s-dns-${c}:1.14.5`, imageID: `docker-pullable://${c}@sha256:0`,
        containerID: `docker://${'0'.repeat(64)}`, state: { running: { startedAt: now } },
      })),
    },
  };
}

const node = 'ip-172-20-58-230.eu-central-1.compute.internal';
store.create('pods', runningPod('kube-system', 'kube-dns-5d8f7c9b6d-abcde', 'kube-dns', '100.96.3.2', node, ['kubedns', 'dnsmasq', 'sidecar']));
store.create('pods', runningPod('kube-system', 'kube-dns-5d8f7c9b6d-fghij', 'kube-dns', '100.96.4.2', node, ['kubedns', 'dnsmasq', 'sidecar']));
store.create('pods', runningPod('kube-system', 'kube-dns-autoscaler-6b8f9-klmno', 'kube-dns-autoscaler', '100.96.5.2', node, ['autoscaler']));
store.create('pods', runningPod('kube-system', 'dns-controller-7d9c4-pqrst', 'dns-controller', '172.20.44.17', node, ['dns-controller']));
for (let i = 0; i < extra; i++) store.create('pods', runningPod('bench', `load-${i}`, 'load', `100.97.${(i >> 8) & 255}.${i & 255}`, node, ['app']));
await store.flush();

// filled in once listening; the signal handlers are registered before that
const servers: { server?: ApiServer; plain?: ApiServer } = {};
// a client's keep-alive socket must not keep the state dir around: give closing a moment, then go
const stop = async () => {
  await Promise.race([
    (async () => { await servers.server?.close(); await servers.plain?.close(); await deletion.stop(); await store.close(); })(),
    new Promise((r) => setTimeout(r, 2000)),
  ]);
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
// registered before the ready line: the parent may signal as soon as it reads it
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

const creds = await memoryCredentials();
const server = (servers.server = await startApiServer({ store, port: 0, host: '127.0.0.1', ...secureApiOptions(creds, store), authorizer: new RbacAuthorizer(store) }));
const plain = (servers.plain = await startApiServer({ store, port: 0, host: '127.0.0.1' }));
(globalThis as { gc?: () => void }).gc?.();
await new Promise((r) => setTimeout(r, 200));
(globalThis as { gc?: () => void }).gc?.();
const mem = process.memoryUsage();
process.stdout.write(JSON.stringify({ port: server.port, plainPort: plain.port, ca: creds.pki.caPem, token: creds.adminToken, rss: mem.rss, heapUsed: mem.heapUsed, external: mem.external }) + '\n');
