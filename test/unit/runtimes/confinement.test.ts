// The pieces that keep pods inside their own view: no runtime module can touch the host's
// filesystem or start host processes; the DNS container's files hook resolves every path
// (absolute, relative, climbing) inside the pod; pod-network routes only the emulated network.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labCluster, type LabCluster } from './support/lab-cluster.ts';
import { COREDNS_IMAGE, PodFiles } from '../../../sandbox/cluster/runtimes/pod-files.ts';
import { containerFiles } from '../../../sandbox/cluster/runtimes/dns/container-fs.ts';
import { podRoute } from '../../../sandbox/cluster/runtimes/pod-network.ts';
import { podView } from '../../../sandbox/cluster/runtimes/pod-spec.ts';
import type { RuntimeContext } from '../../../sandbox/cluster/runtimes/runtime-context.ts';

const RUNTIMES = fileURLToPath(new URL('../../../sandbox/cluster/runtimes/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const STREAMS = fileURLToPath(new URL('../../../sandbox/cluster/api/streams.ts', import.meta.url));

test('no runtime module, nor the exec/attach/log streams (kubectl exec and cp), imports the filesystem or child processes', () => {
  const offenders = [...sources(RUNTIMES), STREAMS].filter((f) => /from ['"](node:)?(fs|fs\/promises|child_process)['"]/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});

describe('a DNS container\'s files hook', () => {
  let c: LabCluster;
  after(async () => { await c?.close(); });

  test('paths resolve inside the pod: absolute, relative to the working dir, climbing, directories', async () => {
    c = await labCluster();
    c.store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'kube-system' }, data: { Corefile: '.:53 {}\n', extra: 'x' } });
    const pod = podView({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'kube-system', uid: 'u1' },
      spec: { containers: [{ name: 'c', image: 'coredns/coredns:1.11.3', volumeMounts: [{ name: 'v', mountPath: '/etc/coredns' }] }], volumes: [{ name: 'v', configMap: { name: 'cfg' } }] },
      status: { podIP: '100.96.1.1' },
    });
    const dns = { clusterDomain: 'cluster.local', dnsVIP: () => '100.64.0.10', nodeResolvConf: () => ({ nameservers: ['172.20.0.2'], searches: [] }) };
    const fs = containerFiles(new PodFiles(pod, pod.spec.containers[0]!, c.store, dns, { image: COREDNS_IMAGE }), '/etc/coredns');
    const rows: Array<{ name: string; run: () => unknown; expect: unknown }> = [
      { name: 'absolute', run: () => fs.readFile('/etc/coredns/Corefile'), expect: '.:53 {}\n' },
      { name: 'relative to the working dir', run: () => fs.readFile('extra'), expect: 'x' },
      { name: 'climbing stops at /', run: () => fs.readFile('../../../../../../etc/passwd').split('\n')[0], expect: 'root:x:0:0:root:/root:/sbin/nologin' },
      { name: 'a directory', run: () => fs.readDir('/etc/coredns').sort(), expect: ['Corefile', 'extra'] },
      { name: 'stat of a directory', run: () => fs.stat('/etc').isDirectory, expect: true },
    ];
    for (const r of rows) assert.deepEqual(r.run(), r.expect, r.name);
    const errors: Array<{ run: () => unknown; message: string; code: string }> = [
      { run: () => fs.readFile('/etc/shadow'), message: 'open /etc/shadow: no such file or directory', code: 'ENOENT' },
      { run: () => fs.readFile('/etc/coredns'), message: 'read /etc/coredns: is a directory', code: 'EISDIR' },
      { run: () => fs.readDir('/etc/coredns/Corefile'), message: 'open /etc/coredns/Corefile: not a directory', code: 'ENOTDIR' },
      { run: () => fs.stat('/home/someone'), message: 'stat /home/someone: no such file or directory', code: 'ENOENT' },
    ];
    for (const e of errors) assert.throws(e.run, (err: Error & { code?: string }) => err.message === e.message && err.code === e.code);
  });
});

describe('pod-network routes', () => {
  let c: LabCluster;
  after(async () => { await c?.close(); });

  test('VIPs, pods, loopback, the node resolver and the API; everything else is a blackhole', async () => {
    c = await labCluster({ credentials: { caPem: '', serviceAccountToken: () => 't', apiServer: () => ({ host: '127.0.0.1', port: 6443 }) } });
    c.proxy.backends.register('100.96.1.1', 53, 'UDP', { host: '127.0.0.1', port: 40001 });
    c.setEndpoints('kube-system', 'kube-dns', ['100.96.1.1'], [{ name: 'dns', port: 53, protocol: 'UDP' }]);
    const pod = podView({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u2' }, spec: { containers: [] }, status: { podIP: '100.96.1.1', hostIP: '172.20.84.184' } });
    const ctx = {
      store: c.store, proxy: c.proxy, credentials: { caPem: '', serviceAccountToken: () => 't', apiServer: () => ({ host: '127.0.0.1', port: 6443 }) },
      dns: { clusterDomain: 'cluster.local', dnsVIP: () => '100.64.0.10', nodeResolvConf: () => ({ nameservers: ['172.20.0.2'], searches: [] }) },
      upstream: async () => '127.0.0.1:40002', nodeResolver: () => ({ host: '127.0.0.1', port: 40002 }),
    } as RuntimeContext;
    const rows: Array<[string, number, 'UDP' | 'TCP', unknown]> = [
      ['100.64.0.10', 53, 'UDP', { host: '127.0.0.1', port: 40001, endpoint: { ip: '100.96.1.1', port: 53 } }],
      ['100.64.0.1', 443, 'TCP', { host: '127.0.0.1', port: 6443 }],
      ['100.96.1.1', 53, 'UDP', { host: '127.0.0.1', port: 40001 }],
      ['127.0.0.1', 53, 'UDP', { host: '127.0.0.1', port: 40001 }],
      ['127.0.0.1', 5353, 'UDP', 'refused'],
      ['172.20.0.2', 53, 'UDP', { host: '127.0.0.1', port: 40002 }],
      ['100.96.9.9', 80, 'TCP', 'refused'],
      ['8.8.8.8', 53, 'UDP', 'unreachable'],
      ['192.168.1.1', 22, 'TCP', 'unreachable'],
    ];
    for (const [ip, port, proto, want] of rows) assert.deepEqual(podRoute(ctx, pod, ip, port, proto), want, `${ip}:${port}/${proto}`);
  });
});
