// Pods confined to their own filesystem and network, with the ServiceAccount a kubelet mounts:
// DNS pods cannot read host files through -conf, import, hosts or a symlink (the in-pod error
// shows, never host content); a forward to a host port sends nothing and SERVFAILs after its
// timeout, while the kube-dns VIP and the node resolver still answer; busybox sees the SA files;
// a DNS pod whose ServiceAccount may not list EndpointSlices logs client-go's forbidden lines and
// never becomes ready. The real kubectl reads logs and execs against the embedded API.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labCluster, busyboxPod, type LabCluster, kubectl } from '../../unit/runtimes/support/lab-cluster.ts';
import { waitFor } from '../../support/wait.ts';
import { StubKubeApi } from '../../../dns-server/test-support/kube/stub-api.ts';
import { namespace, service } from '../../../dns-server/test-support/kube/objects.ts';
import { testCert } from '../../../dns-server/test-support/kube/test-cert.ts';
import { query } from '../../../dns-server/test-support/client.ts';
import type { KubeObject } from '../../../sandbox/cluster/contracts.ts';
import type { PodCredentials } from '../../../sandbox/cluster/auth/types.ts';

const NODE = 'ip-172-20-84-184.us-west-1.compute.internal';
const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const token = (ns: string, sa: string) => `eyJ.test-token-for.${ns}.${sa}`;

interface DnsPodOptions {
  args?: string[];
  volumes?: Array<Record<string, unknown>>;
  mounts?: Array<Record<string, unknown>>;
  serviceAccountName?: string;
}

/** a CoreDNS pod as the chapter's template runs one: the Corefile from its ConfigMap, dnsPolicy Default */
function dnsPod(c: LabCluster, name: string, corefile: string, o: DnsPodOptions = {}): KubeObject {
  c.store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'kube-system' }, data: { Corefile: corefile } });
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'kube-system', labels: { app: name } },
    spec: {
      dnsPolicy: 'Default',
      serviceAccountName: o.serviceAccountName,
      containers: [{
        name: 'coredns', image: 'coredns/coredns:1.11.3', args: o.args ?? ['-conf', '/etc/coredns/Corefile'],
        volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }, ...(o.mounts ?? [])],
      }],
      volumes: [{ name: 'config-volume', configMap: { name, items: [{ key: 'Corefile', path: 'Corefile' }] } }, ...(o.volumes ?? [])],
    },
  };
}

function dnsPortOf(c: LabCluster, podIP: string): number {
  const real = c.proxy.resolve(podIP, 53, 'UDP');
  assert.ok(real, `${podIP}:53 is registered`);
  return real.port;
}

describe('pods confined to their own files and network', () => {
  let c: LabCluster;
  let api: StubKubeApi;
  let secretDir: string;
  let secretPath: string;
  let marker: string;
  let nextIP = 10;
  const ip = () => `100.96.6.${nextIP++}`;
  const tls = testCert();
  const hostPasswd = readFileSync('/etc/passwd', 'utf8').split('\n').filter(Boolean);

  before(async () => {
    api = new StubKubeApi(tls);
    api.applyAll([namespace('default'), namespace('kube-system'), service({ namespace: 'default', name: 'kubernetes', clusterIP: '100.64.0.1', ports: [{ name: 'https', port: 443 }] })]);
    await api.start();
    api.requireToken(token('kube-system', 'coredns'));
    const credentials: PodCredentials = {
      caPem: tls.cert,
      serviceAccountToken: (p) => token(p.namespace, p.serviceAccountName),
      apiServer: () => ({ host: '127.0.0.1', port: api.port }),
    };
    c = await labCluster({ api: true, credentials });
    c.store.create('nodes', {
      apiVersion: 'v1', kind: 'Node', metadata: { name: NODE },
      status: { addresses: [{ type: 'InternalIP', address: '172.20.84.184' }, { type: 'Hostname', address: NODE }] },
    });
    secretDir = mkdtempSync(join(tmpdir(), 'host-secret-'));
    marker = `host-secret-${process.pid}-${Date.now()}`;
    secretPath = join(secretDir, 'secret');
    writeFileSync(secretPath, `10.9.9.9 ${marker}\n`);
    symlinkSync(secretPath, join(secretDir, 'link'));
  });
  after(async () => {
    await c.close();
    await api.stop();
    rmSync(secretDir, { recursive: true, force: true });
  });

  /** starts the pod, waits for its container to exit, returns kubectl logs */
  async function crashLog(pod: KubeObject): Promise<{ code: number; log: string }> {
    const { pod: created, procs } = await c.startPod(pod, ip(), NODE);
    const exit = await procs.get('coredns')!.exited;
    const r = await kubectl(c, ['logs', '-n', 'kube-system', created.metadata.name!]);
    assert.equal(r.code, 0, r.stderr);
    return { code: exit.exitCode, log: r.stdout };
  }

  const noHostContent = (log: string) => {
    assert.ok(!log.includes(marker), `host file content in the log:\n${log}`);
    assert.ok(!log.includes(tmpdir() + '/coredns-lab-volume-'), 'no host volume path');
    const imagePasswd = 'root:x:0:0:root:/root:/sbin/nologin';
    for (const line of hostPasswd) if (line !== imagePasswd) assert.ok(!log.includes(line), `host /etc/passwd line in the log: ${line}`);
  };

  test('-conf climbing out of the volume reads the image\'s /etc/passwd, not the host\'s', async () => {
    const { code, log } = await crashLog(dnsPod(c, 'conf-climb', '.:53 {\n  whoami\n}\n', { args: ['-conf', '../../../../../../../../etc/passwd'] }));
    assert.equal(code, 1);
    assert.match(log, /Error during parsing/);
    assert.match(log, /root:x:0:0:root:\/root:\/sbin\/nologin/, 'the distroless passwd of the coredns image');
    noHostContent(log);
  });

  test('-conf climbing to a host file: not there inside the pod', async () => {
    const { code, log } = await crashLog(dnsPod(c, 'conf-host', '.:53 {\n  whoami\n}\n', { args: ['-conf', `../../../../../../../..${secretPath}`] }));
    assert.equal(code, 1);
    assert.match(log, /no such file/);
    noHostContent(log);
  });

  test('import of an absolute host path: CoreDNS\'s "File to import not found"', async () => {
    const { code, log } = await crashLog(dnsPod(c, 'import-host', `.:53 {\n  import ${secretPath}\n  whoami\n}\n`));
    assert.equal(code, 1);
    assert.ok(log.includes(`/etc/coredns/Corefile:2 - Error during parsing: File to import not found: ${secretPath}`), log);
    noHostContent(log);
  });

  test('a host symlink under a hostPath volume is not followed: the node\'s directory is empty here', async () => {
    const pod = dnsPod(c, 'import-link', '.:53 {\n  import /host/link\n  whoami\n}\n', {
      volumes: [{ name: 'host', hostPath: { path: secretDir } }],
      mounts: [{ name: 'host', mountPath: '/host' }],
    });
    const { code, log } = await crashLog(pod);
    assert.equal(code, 1);
    assert.match(log, /File to import not found: \/host\/link/);
    noHostContent(log);
  });

  test('hosts naming a host file: CoreDNS\'s warning, and none of its names answer', async () => {
    const podIP = ip();
    const { pod, procs } = await c.startPod(dnsPod(c, 'hosts-host', `.:53 {\n  hosts ${secretPath}\n}\n`), podIP, NODE);
    await waitFor(() => procs.get('coredns')!.ready(), { what: 'hosts pod ready' });
    const r = await query(dnsPortOf(c, podIP), marker, 'A');
    assert.notEqual(r.rcode, 'NOERROR');
    const log = (await kubectl(c, ['logs', '-n', 'kube-system', pod.metadata.name!])).stdout;
    assert.ok(log.includes(`[WARNING] plugin/hosts: File does not exist: ${secretPath}`), log);
    noHostContent(log);
    await procs.get('coredns')!.stop(0);
  });

  test('forward to a host port: no datagram leaves, the query SERVFAILs after the timeout', async () => {
    const sink = createSocket('udp4');
    let received = 0;
    sink.on('message', () => received++);
    await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));
    const target = `127.0.0.1:${sink.address().port}`;
    const podIP = ip();
    const { pod, procs } = await c.startPod(dnsPod(c, 'forward-host', `.:53 {\n  errors\n  forward . ${target}\n}\n`), podIP, NODE);
    try {
      await waitFor(() => procs.get('coredns')!.ready(), { what: 'forward pod ready' });
      const r = await query(dnsPortOf(c, podIP), 'example.org', 'A', { timeoutMs: 10_000 });
      assert.equal(r.rcode, 'SERVFAIL');
      assert.equal(received, 0, 'the host socket got nothing');
      const log = (await kubectl(c, ['logs', '-n', 'kube-system', pod.metadata.name!])).stdout;
      assert.match(log, new RegExp(`\\[ERROR\\] plugin/errors: 2 example\\.org\\. A: read udp ${podIP.replace(/\./g, '\\.')}:\\d+->${target.replace(/\./g, '\\.')}: i/o timeout`));
    } finally {
      sink.close();
      await procs.get('coredns')!.stop(0);
    }
  });

  test('forward . /etc/resolv.conf reaches the node resolver (172.20.0.2), and forward to the kube-dns VIP reaches its endpoints', async () => {
    // the kube-dns Service backed by a pod that answers one name of its own
    const backendIP = ip();
    const backend = await c.startPod(dnsPod(c, 'vip-backend', '.:53 {\n  hosts {\n    10.8.8.8 behind.the.vip\n  }\n}\n'), backendIP, NODE);
    await waitFor(() => backend.procs.get('coredns')!.ready(), { what: 'backend ready' });
    c.setEndpoints('kube-system', 'kube-dns', [backendIP], [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }]);
    const podIP = ip();
    const { procs } = await c.startPod(dnsPod(c, 'forwarder', '.:53 {\n  forward vip. 100.64.0.10\n  forward . /etc/resolv.conf\n}\n'), podIP, NODE);
    try {
      await waitFor(() => procs.get('coredns')!.ready(), { what: 'forwarder ready' });
      const port = dnsPortOf(c, podIP);
      const node = await query(port, NODE, 'A');
      assert.deepEqual([node.rcode, node.answers?.map((a) => a.data)], ['NOERROR', ['172.20.84.184']], 'the node resolver answered');
      const vip = await query(port, 'behind.the.vip', 'A');
      assert.deepEqual([vip.rcode, vip.answers?.map((a) => a.data)], ['NOERROR', ['10.8.8.8']], 'the VIP\'s endpoint answered');
    } finally {
      await procs.get('coredns')!.stop(0);
      await backend.procs.get('coredns')!.stop(0);
    }
  });

  test('busybox: the ServiceAccount files, the image\'s /etc/passwd, the node resolver in resolv.conf (dnsPolicy Default)', async () => {
    await c.startPod({ ...busyboxPod('busybox'), spec: { ...(busyboxPod().spec as object), dnsPolicy: 'Default' } }, '100.96.5.3', NODE);
    const cat = (path: string) => kubectl(c, ['exec', 'busybox', '--', 'cat', path]);
    assert.deepEqual(await cat(`${SA_DIR}/namespace`), { code: 0, stdout: 'default', stderr: '' });
    assert.deepEqual(await cat(`${SA_DIR}/token`), { code: 0, stdout: token('default', 'default'), stderr: '' });
    assert.equal((await cat(`${SA_DIR}/ca.crt`)).stdout, tls.cert);
    assert.deepEqual((await kubectl(c, ['exec', 'busybox', '--', 'ls', SA_DIR])).stdout.split('\n').filter(Boolean), ['ca.crt', 'namespace', 'token']);
    const passwd = await cat('/etc/passwd');
    assert.match(passwd.stdout, /^root:x:0:0:root:\/root:\/bin\/sh\n/);
    for (const line of hostPasswd) if (!passwd.stdout.split('\n').includes(line)) assert.ok(!passwd.stdout.includes(line));
    const missing = await cat(secretPath);
    assert.equal(missing.stderr, `cat: can't open '${secretPath}': No such file or directory\ncommand terminated with exit code 1\n`);
    assert.equal((await cat('/etc/resolv.conf')).stdout, 'nameserver 172.20.0.2\nsearch us-west-1.compute.internal\n');
    const ns = await kubectl(c, ['exec', 'busybox', '--', 'nslookup', NODE, '172.20.0.2']);
    assert.equal(ns.code, 0, ns.stderr);
    assert.match(ns.stdout, new RegExp(`Name:      ${NODE.replace(/\./g, '\\.')}\nAddress 1: 172\\.20\\.84\\.184`));
    // an address off the cluster network is a blackhole: wget waits for -T and gives up
    const wget = await kubectl(c, ['exec', 'busybox', '--', 'wget', '-T', '1', '-qO-', 'http://203.0.113.7/']);
    assert.equal(wget.stderr, 'wget: download timed out\ncommand terminated with exit code 1\n');
  });

  test('a ServiceAccount may not list EndpointSlices: the reflector\'s forbidden lines, never ready, /ready 503', async () => {
    const user = 'system:serviceaccount:kube-system:coredns';
    api.forbid('endpointslices', user);
    const podIP = ip();
    const { pod, procs } = await c.startPod(dnsPod(c, 'coredns-forbidden', '.:53 {\n  errors\n  ready :8181\n  kubernetes cluster.local in-addr.arpa ip6.arpa {\n    startup_timeout 500ms\n  }\n}\n', { serviceAccountName: 'coredns' }), podIP, NODE);
    try {
      const message = `endpointslices.discovery.k8s.io is forbidden: User "${user}" cannot list resource "endpointslices" in API group "discovery.k8s.io" at the cluster scope`;
      const line = `[ERROR] plugin/kubernetes: pkg/mod/k8s.io/client-go@v0.29.3/tools/cache/reflector.go:229: Failed to watch *v1.EndpointSlice: failed to list *v1.EndpointSlice: ${message}`;
      const logs = async () => (await kubectl(c, ['logs', '-n', 'kube-system', pod.metadata.name!])).stdout;
      await waitFor(async () => (await logs()).includes(line), { what: 'the forbidden reflector line' });
      await waitFor(async () => (await logs()).includes('[INFO] plugin/ready: Still waiting on: "kubernetes"'), { what: 'ready\'s waiting line' });
      assert.equal(procs.get('coredns')!.ready(), false);
      const ready = c.proxy.resolve(podIP, 8181, 'TCP')!;
      const status = await new Promise<number>((resolve, reject) => http.get({ host: ready.host, port: ready.port, path: '/ready' }, (res) => { res.resume(); resolve(res.statusCode ?? 0); }).on('error', reject));
      assert.equal(status, 503);
      assert.ok(api.requests.length > 0 && api.requests.every((r) => r.authorization === `Bearer ${token('kube-system', 'coredns')}`), 'the pod used its mounted token');
    } finally {
      api.allow('endpointslices');
      await procs.get('coredns')!.stop(0);
    }
  });
});

describe('ServiceAccount admission, as the apiserver does it', () => {
  let c: LabCluster;
  before(async () => { c = await labCluster({ api: true }); });
  after(async () => { await c.close(); });

  const pod = (name: string, spec: Record<string, unknown> = {}) => JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'busybox', image: 'busybox:1.28', command: ['sleep', '3600'] }], ...spec },
  });

  test('a pod naming a missing ServiceAccount is forbidden', async () => {
    const r = await kubectl(c, ['create', '-f', '-'], pod('x', { serviceAccountName: 'foo' }));
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error from server (Forbidden): error when creating "STDIN": pods "x" is forbidden: error looking up service account default/foo: serviceaccount "foo" not found\n');
  });

  test('a pod gets serviceAccountName default and the kube-api-access volume in every container, read-only', async () => {
    const r = await kubectl(c, ['create', '-f', '-', '-o', 'json'], pod('withsa'));
    assert.equal(r.code, 0, r.stderr);
    const spec = (
      JSON.parse(r.stdout) as {
        spec: {
          serviceAccountName: string;
          volumes: Array<{ name: string; projected?: { sources: unknown[] } }>;
          containers: Array<{ volumeMounts: unknown[] }>;
        };
      }
    ).spec;
    assert.equal(spec.serviceAccountName, 'default');
    const vol = spec.volumes.find((v) => /^kube-api-access-[a-z0-9]{5}$/.test(v.name));
    assert.ok(vol?.projected, JSON.stringify(spec.volumes));
    assert.deepEqual(spec.containers[0]!.volumeMounts, [{ name: vol.name, readOnly: true, mountPath: SA_DIR }]);
  });

  test('automountServiceAccountToken: false on the pod, or on its ServiceAccount, mounts nothing', async () => {
    const a = await kubectl(c, ['create', '-f', '-', '-o', 'json'], pod('noauto', { automountServiceAccountToken: false }));
    assert.equal(a.code, 0, a.stderr);
    assert.equal((JSON.parse(a.stdout) as { spec: { volumes?: unknown[] } }).spec.volumes, undefined);
    const sa = await kubectl(c, ['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'quiet', namespace: 'default' }, automountServiceAccountToken: false }));
    assert.equal(sa.code, 0, sa.stderr);
    const b = await kubectl(c, ['create', '-f', '-', '-o', 'json'], pod('quietpod', { serviceAccountName: 'quiet' }));
    assert.equal(b.code, 0, b.stderr);
    assert.equal((JSON.parse(b.stdout) as { spec: { volumes?: unknown[] } }).spec.volumes, undefined);
  });
});
