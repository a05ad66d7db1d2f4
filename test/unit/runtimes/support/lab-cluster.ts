// A small real cluster for runtime tests: the real store and API server, the real service proxy
// and runtime host, the chapter's two Services. Pods are started the way the kubelet starts them
// (status.podIP set, then startContainer per container). Everything listens on port 0.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { MemoryStore } from '../../../../sandbox/cluster/store.ts';
import { startDeletionControllers } from '../../../../sandbox/cluster/controllers/deletion.ts';
import { startApiServer, type ApiServer } from '../../../../sandbox/cluster/api/index.ts';
import { kubeconfigFor } from '../../../../sandbox/cluster/api/kubeconfig.ts';
import { memoryCredentials, secureApiOptions } from '../../../../sandbox/cluster/auth/credentials.ts';
import { createServiceProxy, type ServiceProxy } from '../../../../sandbox/cluster/proxy/index.ts';
import { createRuntimeHost, type UpstreamNameserver } from '../../../../sandbox/cluster/runtimes/index.ts';
import type { ContainerProcess, ContainerRuntimeHost, KubeObject } from '../../../../sandbox/cluster/contracts.ts';
import type { PodCredentials } from '../../../../sandbox/cluster/auth/types.ts';

export interface LabCluster {
  store: MemoryStore;
  proxy: ServiceProxy;
  host: ContainerRuntimeHost;
  api?: ApiServer;
  kubeconfig: string;
  dir: string;
  startPod(pod: KubeObject, podIP: string, node?: string): Promise<{ pod: KubeObject; procs: Map<string, ContainerProcess> }>;
  setEndpoints(
    namespace: string,
    service: string,
    ips: string[],
    ports: Array<{ name: string; port: number; protocol: 'UDP' | 'TCP' }>,
    ready?: boolean,
  ): void;
  exec(
    pod: KubeObject,
    command: string[],
    opts?: { container?: string; tty?: boolean; stdin?: string },
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  logs(pod: KubeObject, container?: string): Promise<string>;
  close(): Promise<void>;
}

export const svc = (namespace: string, name: string, clusterIP: string, ports: Array<{ name: string; port: number; protocol: 'UDP' | 'TCP' }>, selector: Record<string, string>): KubeObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels: { ...selector } }, spec: { clusterIP, selector, ports },
});

export async function labCluster(
  opts: { api?: boolean; credentials?: PodCredentials; nodeUpstreams?: UpstreamNameserver[] } = {},
): Promise<LabCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'coredns-lab-rt-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const store = new MemoryStore();
  const deletion = startDeletionControllers(store);
  for (const ns of ['default', 'kube-system']) store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  store.create('services', svc('default', 'kubernetes', '100.64.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }], {}));
  store.create('services', svc('kube-system', 'kube-dns', '100.64.0.10', [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }], { 'k8s-app': 'kube-dns' }));
  const proxy = createServiceProxy({ store });
  // no dnsTimeoutMs: the tests run the resolver with the defaults the sandbox uses
  const host = createRuntimeHost({ store, proxy, kubeconfig, credentials: opts.credentials, nodeUpstreams: opts.nodeUpstreams });
  let api: ApiServer | undefined;
  if (opts.api) {
    const creds = await memoryCredentials();
    api = await startApiServer({ store, runtime: host, port: 0, host: '127.0.0.1', ...secureApiOptions(creds, store) });
    writeFileSync(kubeconfig, kubeconfigFor({ server: api.url, caPem: creds.pki.caPem, token: creds.adminToken }), { mode: 0o600 });
  }

  const cluster: LabCluster = {
    store, proxy, host, api, kubeconfig, dir,
    async startPod(pod, podIP, node = 'ip-172-20-84-184.us-west-1.compute.internal') {
      // the templates create their ServiceAccount beside the pod, and admission needs it first
      const sa = (pod.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName;
      const ns = pod.metadata.namespace ?? 'default';
      if (sa && !store.get('serviceaccounts', ns, sa)) store.create('serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: ns } });
      const created = store.create('pods', { ...pod, spec: { ...(pod.spec as object), nodeName: node } });
      const running = store.mutate('pods', created.metadata.namespace, created.metadata.name!, (o) => ({
        ...o, status: { phase: 'Running', podIP, podIPs: [{ ip: podIP }], hostIP: '172.20.84.184', startTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') },
      }), { status: true })!;
      const procs = new Map<string, ContainerProcess>();
      const containers = (running.spec as { containers: Array<{ name: string; image: string }> }).containers;
      for (const c of containers) procs.set(c.name, await host.startContainer(running, c.name));
      // what the kubelet records once the containers run, so the API serves exec and logs
      const startedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const withStatuses = store.mutate('pods', running.metadata.namespace, running.metadata.name!, (o) => ({
        ...o,
        status: {
          ...(o.status as object),
          containerStatuses: containers.map((c) => ({ name: c.name, image: c.image, imageID: '', ready: true, started: true, restartCount: 0, containerID: `containerd://${c.name}`, state: { running: { startedAt } } })),
        },
      }), { status: true })!;
      return { pod: withStatuses, procs };
    },
    setEndpoints(namespace, service, ips, ports, ready = true) {
      const name = `${service}-lab`;
      const slice: KubeObject = {
        apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
        metadata: { name, namespace, labels: { 'kubernetes.io/service-name': service } },
        addressType: 'IPv4', ports, endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready } })),
      };
      const existing = store.get('endpointslices.discovery.k8s.io', namespace, name);
      if (existing) store.update('endpointslices.discovery.k8s.io', { ...slice, metadata: { ...slice.metadata, resourceVersion: existing.metadata.resourceVersion } });
      else store.create('endpointslices.discovery.k8s.io', slice);
    },
    async exec(pod, command, o = {}) {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      let err = '';
      stdout.on('data', (d) => { out += d; });
      stderr.on('data', (d) => { err += d; });
      const stdin = o.stdin !== undefined ? new PassThrough() : undefined;
      const container = o.container ?? (pod.spec as { containers: Array<{ name: string }> }).containers[0].name;
      const p = host.exec(pod, container, command, { stdin, stdout, stderr, tty: o.tty ?? false });
      if (stdin) {
        // typed a little later, as a person (or kubectl) would send it
        setImmediate(() => { stdin.write(o.stdin!); if (!o.tty) stdin.end(); });
      }
      const code = await p;
      return { code, stdout: out, stderr: err };
    },
    async logs(pod, container) {
      const s = host.logs(pod, { container });
      let text = '';
      for await (const chunk of s) text += chunk;
      return text;
    },
    async close() {
      await host.close();
      await proxy.close();
      await api?.close();
      await deletion.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

export function busyboxPod(name = 'busybox', extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { restartPolicy: 'Always', containers: [{ name: 'busybox', image: 'busybox:1.28', command: ['sleep', '3600'], ...extra }] },
  };
}

export const CHAPTER_COREFILE = `.:53 {
    errors
    log
    health :8080
    ready :8181
    kubernetes cluster.local 100.64.0.0/13
    forward . /etc/resolv.conf
    cache 30
}
`;

export function corednsObjects(corefile = CHAPTER_COREFILE, name = 'coredns-1'): { configMap: KubeObject; pod: KubeObject } {
  return {
    configMap: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: corefile } },
    pod: {
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'kube-system', labels: { 'k8s-app': 'coredns' } },
      spec: {
        dnsPolicy: 'Default',
        containers: [{
          name: 'coredns', image: 'coredns-lab/dns-server:1.11.3', args: ['-conf', '/etc/coredns/Corefile'],
          ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }, { name: 'metrics', containerPort: 9153, protocol: 'TCP' }],
          volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns' }],
        }],
        volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
      },
    },
  };
}

export interface KubectlResult { code: number | null; stdout: string; stderr: string }

/** the real kubectl against this lab cluster, with its own cache dir; `input` goes to its stdin */
export function kubectl(c: LabCluster, args: string[], input?: string): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = spawn('kubectl', ['--kubeconfig', c.kubeconfig, '--cache-dir', join(c.dir, 'cache'), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/**
 * `kubectl exec <pod> -- <cmd>`: stderr is the pod's own, without the "command terminated with exit
 * code N" line kubectl adds after it
 */
export async function execInPod(c: LabCluster, pod: string, ...cmd: string[]): Promise<KubectlResult> {
  const r = await kubectl(c, ['exec', pod, '--', ...cmd]);
  return { ...r, stderr: r.stderr.replace(/command terminated with exit code \d+\n$/, '') };
}
