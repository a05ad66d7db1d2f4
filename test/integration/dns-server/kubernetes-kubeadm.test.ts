// kubeadm's Corefile (K63) end to end with the kubernetes plugin fed by the stub API: the
// operational plugins around it as a cluster runs them (K52 log, K54 prometheus, K55 health,
// K56 ready, K57 forward, K58 cache disabled for cluster.local, K59 loop, K61 loadbalance,
// K62 plugin order, K46 fallthrough for reverse zones), checked with real queries.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { StubKubeApi } from '../../../dns-server/test-support/kube/stub-api.ts';
import { conformanceCluster, DNS_POD_IP } from '../../../dns-server/test-support/kube/conformance-cluster.ts';
import { service } from '../../../dns-server/test-support/kube/objects.ts';
import { startUpstream, type Upstream } from '../../../dns-server/test-support/kube/upstream.ts';
import { waitFor } from '../../support/wait.ts';
import { startTestServer, type TestServer } from '../../../dns-server/test-support/server.ts';
import { dig, query } from '../../../dns-server/test-support/client.ts';

const get = async (port: number, path: string): Promise<{ status: number; body: string }> => {
  const r = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: r.status, body: await r.text() };
};

describe('kubeadm Corefile with the kubernetes plugin [K63]', () => {
  const api = new StubKubeApi();
  let upstream: Upstream;
  let s: TestServer;

  before(async () => {
    api.applyAll(conformanceCluster());
    await api.start();
    upstream = await startUpstream();
    s = await startTestServer(
      [
        '.:0 {',
        '    errors',
        '    health 127.0.0.1:0 {',
        '       lameduck 100ms',
        '    }',
        '    ready 127.0.0.1:0',
        '    kubernetes cluster.local in-addr.arpa ip6.arpa {',
        `       endpoint ${api.url}`,
        '       pods insecure',
        '       fallthrough in-addr.arpa ip6.arpa',
        '       ttl 30',
        '    }',
        '    prometheus 127.0.0.1:0',
        `    forward . ${upstream.address}:${upstream.port} {`,
        '       max_concurrent 1000',
        '    }',
        '    cache 30 {',
        '       disable success cluster.local',
        '       disable denial cluster.local',
        '    }',
        '    loop',
        '    reload',
        '    loadbalance',
        '    log',
        '}',
        '',
      ].join('\n'),
      { env: { POD_IP: DNS_POD_IP } },
    );
  });
  after(async () => {
    await s?.stop();
    await upstream?.close();
    await api.stop();
  });

  test('ready says OK once the kubernetes plugin synced; health says OK [K55 K56]', async () => {
    assert.equal(s.handle.ready(), true);
    assert.deepEqual(await get(s.http('ready'), '/ready'), { status: 200, body: 'OK' });
    assert.deepEqual(await get(s.http('health'), '/health'), { status: 200, body: 'OK' });
  });

  test('a cluster answer is logged in CoreDNS format with qr,aa,rd [K52 K22]', async () => {
    const r = await query(s.port, 'svc1.testns.svc.cluster.local', 'A', { id: 4711 });
    assert.equal(r.answers?.[0]?.ttl, 30, 'ttl 30 [K32]');
    const line = await s.waitForLog(/"A IN svc1\.testns\.svc\.cluster\.local\. udp/);
    assert.match(line, /^\[INFO\] 127\.0\.0\.1:\d+ - 4711 "A IN svc1\.testns\.svc\.cluster\.local\. udp \d+ false 512" NOERROR qr,aa,rd \d+ \d+\.\d+s$/);
  });

  test('an outside name goes through forward, not authoritative [K36 K57 K62]', async () => {
    const r = await query(s.port, 'www.example.org', 'A', { id: 4712 });
    assert.equal(r.flag_aa, false);
    assert.deepEqual(r.answers?.map((a) => (a as { data?: string }).data), ['93.184.216.34']);
    assert.match(await s.waitForLog(/ - 4712 "A IN www\.example\.org\./), /NOERROR qr,rd,ra /);
  });

  test('a PTR miss falls through to forward; a hit stays authoritative [K37 K46]', async () => {
    const miss = await query(s.port, '9.9.9.9.in-addr.arpa', 'PTR');
    assert.equal(miss.rcode, 'NXDOMAIN');
    assert.equal(miss.flag_aa, false);
    const hit = await query(s.port, '1.0.0.10.in-addr.arpa', 'PTR');
    assert.equal(hit.flag_aa, true);
    assert.equal((hit.answers?.[0] as { data?: string })?.data, 'svc1.testns.svc.cluster.local');
  });

  test('cache 30 does not hold cluster answers back: a change shows within a second [K58 K32]', async () => {
    const ask = async () => (await dig(s.port, ['+short', 'moving.testns.svc.cluster.local'])).stdout.trim();
    assert.equal((await query(s.port, 'moving.testns.svc.cluster.local', 'A')).rcode, 'NXDOMAIN');
    api.apply(service({ namespace: 'testns', name: 'moving', clusterIP: '10.0.0.77' }));
    await waitFor(async () => (await ask()) === '10.0.0.77', { what: 'new service despite cache 30' });
    api.apply(service({ namespace: 'testns', name: 'moving', clusterIP: '10.0.0.78' }));
    await waitFor(async () => (await ask()) === '10.0.0.78', { what: 'changed ClusterIP despite cache 30' });
  });

  test('loadbalance shuffles headless answers but keeps the set [K61 K10]', async () => {
    const orders = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const r = await query(s.port, 'six.testns.svc.cluster.local', 'A');
      const ips = (r.answers ?? []).map((a) => (a as { data?: string }).data!);
      assert.deepEqual([...ips].sort(), [1, 2, 3, 4, 5, 6].map((n) => `10.244.6.${n}`));
      orders.add(ips.join(','));
    }
    assert.ok(orders.size > 1, 'more than one order in 20 answers');
  });

  test('prometheus counts the kubernetes answers [K54]', async () => {
    const m = (await get(s.http('metrics'), '/metrics')).body;
    assert.match(m, /coredns_dns_requests_total\{[^}]*zone="\."[^}]*\} \d+/);
    assert.match(m, /coredns_dns_responses_total\{[^}]*plugin="kubernetes"[^}]*\} \d+/);
  });

  test('reload picks up a new ttl and keeps the old config when the new one is bad [K60]', async () => {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const text = readFileSync(s.conf, 'utf8');
    writeFileSync(s.conf, text.replace('ttl 30', 'ttl 12'));
    await s.handle.reload();
    await waitFor(async () => (await query(s.port, 'svc1.testns.svc.cluster.local', 'A')).answers?.[0]?.ttl === 12, { what: 'new ttl after reload' });
    writeFileSync(s.conf, text.replace('ttl 30', 'ttl 99999'));
    await s.handle.reload();
    const r = await query(s.port, 'svc1.testns.svc.cluster.local', 'A');
    assert.equal(r.answers?.[0]?.ttl, 12, 'a Corefile the plugin rejects leaves the running one in place');
    assert.ok(s.logs.some((l) => l.includes('ttl must be in range [0, 3600]: 99999')), 'the reason is logged');
  });

  test('the loop plugin found no loop and the server keeps serving [K59]', async () => {
    assert.ok(!s.logs.some((l) => /Loop .* detected/.test(l)), s.logs.join('\n'));
    assert.equal((await query(s.port, 'kubernetes.default.svc.cluster.local', 'A')).rcode, 'NOERROR');
  });
});

describe('errors plugin around the kubernetes plugin [K53]', () => {
  test('a dead upstream is logged as plugin/errors with rcode 2; cluster names still answer', async () => {
    const api = new StubKubeApi();
    api.applyAll(conformanceCluster());
    await api.start();
    const dead = await startUpstream();
    const deadPort = dead.port;
    await dead.close(); // nobody answers there now
    const s = await startTestServer(`.:0 {\n  errors\n  kubernetes cluster.local {\n    endpoint ${api.url}\n  }\n  forward . 127.0.0.1:${deadPort}\n}\n`);
    try {
      const r = await query(s.port, 'www.example.org', 'A', { timeoutMs: 8000 });
      assert.equal(r.rcode, 'SERVFAIL');
      assert.match(await s.waitForLog(/plugin\/errors/), /^\[ERROR\] plugin\/errors: 2 www\.example\.org\. A: /);
      assert.equal((await query(s.port, 'svc1.testns.svc.cluster.local', 'A')).rcode, 'NOERROR');
    } finally {
      await s.stop();
      await api.stop();
    }
  });
});

