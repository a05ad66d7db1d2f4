// health, ready and prometheus over real HTTP: bodies, status codes, metric names and labels,
// readiness that waits for the kubernetes plugin, lameduck on shutdown.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../../../dns-server/test-support/server.ts';
import { query } from '../../../dns-server/test-support/client.ts';

const get = async (port: number, path: string) => {
  const r = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: r.status, body: await r.text() };
};

describe('health, ready, prometheus', () => {
  test('health says OK, ready says OK when nothing reports readiness, unknown paths 404', async () => {
    const s = await startTestServer(`example.org:0 {
    health 127.0.0.1:0
    ready 127.0.0.1:0
    hosts {
        10.0.0.1 web.example.org
    }
}`);
    try {
      assert.deepEqual(await get(s.http('health'), '/health'), { status: 200, body: 'OK' });
      assert.deepEqual(await get(s.http('ready'), '/ready'), { status: 200, body: 'OK' });
      assert.equal((await get(s.http('health'), '/nope')).status, 404);
      assert.equal(s.handle.ready(), true);
    } finally {
      await s.stop();
    }
  });

  test('ready is 503 naming kubernetes while its API cannot be reached', async () => {
    const s = await startTestServer(`cluster.local:0 {
    ready 127.0.0.1:0
    kubernetes cluster.local {
        endpoint http://127.0.0.1:9
    }
}`);
    try {
      const r = await get(s.http('ready'), '/ready');
      assert.equal(r.status, 503);
      assert.equal(r.body, 'kubernetes');
      assert.equal(s.handle.ready(), false);
    } finally {
      await s.stop();
    }
  });

  test('metrics: CoreDNS names and labels, counted for chain answers and answer-cache hits', async () => {
    const s = await startTestServer(`example.org:0 {
    prometheus 127.0.0.1:0
    hosts {
        10.0.0.1 web.example.org
    }
}`);
    try {
      for (let i = 0; i < 3; i++) await query(s.port, 'web.example.org', 'A');
      await query(s.port, 'web.example.org', 'MX', { edns: 1232, do: true });
      await query(s.port, 'web.example.org', 'A', { transport: 'tcp' });
      const { status, body } = await get(s.http('metrics'), '/metrics');
      assert.equal(status, 200);
      const server = `dns://:0`;
      const has = (line: string) => assert.ok(body.split('\n').includes(line), `missing ${line}\n${body.split('\n').filter((l) => l.startsWith('coredns_dns')).join('\n')}`);
      has(`coredns_dns_requests_total{server="${server}",zone="example.org.",view="",proto="udp",family="1",type="A"} 3`);
      has(`coredns_dns_requests_total{server="${server}",zone="example.org.",view="",proto="udp",family="1",type="MX"} 1`);
      has(`coredns_dns_requests_total{server="${server}",zone="example.org.",view="",proto="tcp",family="1",type="A"} 1`);
      has(`coredns_dns_responses_total{server="${server}",zone="example.org.",view="",rcode="NOERROR",plugin="hosts"} 5`);
      has(`coredns_dns_do_requests_total{server="${server}",zone="example.org.",view=""} 1`);
      has(`coredns_dns_request_duration_seconds_count{server="${server}",zone="example.org.",view=""} 5`);
      assert.match(body, /coredns_dns_request_duration_seconds_bucket\{le="8\.192",server="dns:\/\/:0",zone="example\.org\.",view=""\} 5/);
      assert.match(body, /coredns_dns_request_size_bytes_bucket\{le="511",server="dns:\/\/:0",zone="example\.org\.",view="",proto="udp"\} 4/);
      // a name in no zone never enters a chain: REFUSED, counted under zone "dropped"
      assert.equal((await query(s.port, 'outside.net', 'A')).rcode, 'REFUSED');
      const after = (await get(s.http('metrics'), '/metrics')).body;
      assert.match(after, /coredns_dns_requests_total\{server="dns:\/\/:0",zone="dropped",view="",proto="udp",family="1",type="A"\} 1/);
      assert.match(after, /coredns_dns_responses_total\{server="dns:\/\/:0",zone="dropped",view="",rcode="REFUSED",plugin=""\} 1/);
      assert.match(body, /coredns_build_info\{version="1\.11\.3",revision="[^"]*",goversion="[^"]*"\} 1/);
      assert.match(body, /coredns_plugin_enabled\{server="dns:\/\/:0",zone="example\.org\.",view="",name="hosts"\} 1/);
    } finally {
      await s.stop();
    }
  });

  test('two servers in one process keep separate metrics', async () => {
    const a = await startTestServer(`a.test:0 {\n prometheus 127.0.0.1:0\n hosts {\n  10.0.0.1 x.a.test\n }\n}`);
    const b = await startTestServer(`b.test:0 {\n prometheus 127.0.0.1:0\n hosts {\n  10.0.0.2 x.b.test\n }\n}`);
    try {
      await query(a.port, 'x.a.test', 'A');
      const bm = (await get(b.http('metrics'), '/metrics')).body;
      assert.doesNotMatch(bm, /coredns_dns_requests_total\{/);
      const am = (await get(a.http('metrics'), '/metrics')).body;
      assert.match(am, /coredns_dns_requests_total\{[^}]*zone="a\.test\."[^}]*\} 1/);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  test('lameduck: during shutdown DNS and /health still answer, /ready says Shutting down', async () => {
    const s = await startTestServer(`example.org:0 {
    health 127.0.0.1:0 {
        lameduck 1s
    }
    ready 127.0.0.1:0
    hosts {
        10.0.0.1 web.example.org
    }
}`);
    const health = s.http('health');
    const ready = s.http('ready');
    const stopping = s.stop();
    await s.waitForLog(/lameduck/);
    assert.deepEqual(await get(health, '/health'), { status: 200, body: 'OK' });
    assert.deepEqual(await get(ready, '/ready'), { status: 503, body: 'Shutting down' });
    assert.equal((await query(s.port, 'web.example.org', 'A')).answers!.length, 1);
    await stopping;
    await assert.rejects(fetch(`http://127.0.0.1:${health}/health`));
  });
});
