// The chapter's 2017 Corefile (log stdout, proxy, bare health and prometheus) loads and serves
// with the kubernetes plugin fed by a stub API, through the sandbox's hooks, and logs the
// reference's worked example line; busybox nslookup and nslookup get the chapter's answers.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StubKubeApi } from '../../../dns-server/test-support/kube/stub-api.ts';
import { namespace, service } from '../../../dns-server/test-support/kube/objects.ts';
import { startUpstream, type Upstream } from '../../../dns-server/test-support/kube/upstream.ts';
import { startTestServer, type TestServer } from '../../../dns-server/test-support/server.ts';
import { query, run } from '../../../dns-server/test-support/client.ts';

// /etc/resolv.conf cannot name a port, so the test's upstream is written out; the file form is tested in forward.test.ts
const corefile2017 = (upstream: string) => `.:53 {
    errors
    log stdout
    health
    kubernetes cluster.local 100.64.0.0/13 {
      pods insecure
    }
    prometheus
    proxy . ${upstream}
    cache 30
}`;

describe('the chapter Corefile (2017 spelling)', () => {
  const api = new StubKubeApi();
  let upstream: Upstream;
  let s: TestServer;
  let kubeDir = '';
  const listened: string[] = [];
  before(async () => {
    api.applyAll([
      namespace('default'),
      namespace('kube-system'),
      service({ namespace: 'default', name: 'kubernetes', clusterIP: '100.64.0.1', ports: [{ name: 'https', port: 443 }] }),
      service({ namespace: 'kube-system', name: 'kube-dns', clusterIP: '100.64.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }),
    ]);
    await api.start();
    kubeDir = mkdtempSync(join(tmpdir(), 'chapter-kube-'));
    writeFileSync(join(kubeDir, 'kubeconfig'), api.kubeconfig());
    upstream = await startUpstream();
    s = await startTestServer(corefile2017(`${upstream.address}:${upstream.port}`), {
      hooks: {
        // the sandbox's way: every endpoint on loopback on a free port, whatever the Corefile asks
        mapListen: (kind, host, port) => {
          listened.push(`${kind} ${host}:${port}`);
          return { host: '127.0.0.1', port: 0 };
        },
        // and the pod IP the log shows
        mapClient: () => ({ address: '100.96.2.5', port: 42177 }),
        kubeconfig: join(kubeDir, 'kubeconfig'),
      },
    });
  });
  after(async () => {
    await s?.stop();
    await upstream?.close();
    await api.stop();
    rmSync(kubeDir, { recursive: true, force: true });
  });

  test('loads: banner, proxy deprecation, the endpoints CoreDNS would open', () => {
    assert.deepEqual(s.logs.slice(-3).map((l) => l.replace(/node[\d.]+/, 'nodeX')), ['.:53', 'CoreDNS-1.11.3', 'linux/amd64, nodeX, coredns-lab-dns-server']);
    assert.ok(s.logs.some((l) => l.startsWith('[WARNING] plugin/proxy: "proxy" is deprecated')));
    assert.deepEqual(listened.sort(), ['dns 0.0.0.0:53', 'health 0.0.0.0:8080', 'metrics 127.0.0.1:9153']);
    assert.equal(s.handle.ready(), true);
  });

  test('the reference\'s worked example log line', async () => {
    const r = await query(s.port, 'kubernetes.default.svc.cluster.local', 'A', { id: 5 });
    assert.deepEqual(r.answers!.map((a) => a.data), ['100.64.0.1']);
    const line = await s.waitForLog(/ - 5 "/);
    assert.match(line, /^\[INFO\] 100\.96\.2\.5:42177 - 5 "A IN kubernetes\.default\.svc\.cluster\.local\. udp 54 false 512" NOERROR qr,aa,rd 106 \d+(\.\d+)?s$/);
  });

  test('out-of-cluster names go through proxy to the upstream, not authoritative', async () => {
    const before = upstream.queries;
    const r = await query(s.port, 'nonexistent.example', 'A');
    assert.equal(upstream.queries, before + 1);
    assert.equal(r.flag_aa, false);
  });

  test('busybox nslookup kubernetes.default (the chapter\'s command) answers 100.64.0.1', async () => {
    const r = await run('busybox', ['nslookup', 'kubernetes.default.svc.cluster.local', `127.0.0.1:${s.port}`]);
    assert.match(r.stdout, /Name:\s+kubernetes\.default\.svc\.cluster\.local\nAddress:\s+100\.64\.0\.1/, r.stdout + r.stderr);
  });

  test('nslookup (bind9) for the service and its PTR', async () => {
    const a = await run('nslookup', [`-port=${s.port}`, 'kubernetes.default.svc.cluster.local', '127.0.0.1']);
    assert.match(a.stdout, /Name:\s+kubernetes\.default\.svc\.cluster\.local\nAddress: 100\.64\.0\.1/, a.stdout);
    const ptr = await run('nslookup', [`-port=${s.port}`, '100.64.0.10', '127.0.0.1']);
    assert.match(ptr.stdout, /10\.0\.64\.100\.in-addr\.arpa\s+name = kube-dns\.kube-system\.svc\.cluster\.local\./, ptr.stdout);
  });
});
