// loadbalance (also on answer-cache hits), errors' consolidate, whoami, any.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { startTestServer } from '../../../dns-server/test-support/server.ts';
import { query } from '../../../dns-server/test-support/client.ts';

describe('loadbalance', () => {
  test('A records come back in more than one order, CNAME-free answers from the answer cache too', async () => {
    const hosts = Array.from({ length: 6 }, (_v, i) => `        10.0.0.${i + 1} web.example.org`).join('\n');
    const s = await startTestServer(`example.org:0 {\n    loadbalance\n    hosts {\n${hosts}\n    }\n}`);
    try {
      const orders = new Set<string>();
      for (let i = 0; i < 30; i++) {
        const r = await query(s.port, 'web.example.org', 'A');
        const ips = r.answers!.map((a) => String(a.data));
        assert.deepEqual([...ips].sort(), ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
        orders.add(ips.join(','));
      }
      assert.ok(orders.size > 5, `only ${orders.size} distinct orders in 30 answers`);
    } finally {
      await s.stop();
    }
  });
});

describe('errors consolidate', () => {
  test('repeated errors matching the pattern become one line per period', async () => {
    const silent = dgram.createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
    const s = await startTestServer(`.:0 {
    errors {
        consolidate 2s ".* i/o timeout$" warning
    }
    forward . 127.0.0.1:${silent.address().port} {
        max_fails 0
    }
}`);
    try {
      await Promise.all([1, 2, 3].map((i) => query(s.port, `q${i}.example.com`, 'A', { timeoutMs: 10_000 })));
      const line = await s.waitForLog(/errors like/, 12_000);
      assert.equal(line, `[WARNING] plugin/errors: 3 errors like '.* i/o timeout$' occurred in last 2s`);
      assert.equal(s.logs.filter((l) => l.startsWith('[ERROR] plugin/errors')).length, 0);
    } finally {
      await s.stop();
      silent.close();
    }
  });
});

describe('whoami and any', () => {
  test('whoami puts the client address and port in the additional section', async () => {
    const s = await startTestServer(`.:0 {\n    whoami\n}`);
    try {
      const r = await query(s.port, 'example.org', 'A');
      const a = r.additionals!.find((x) => x.type === 'A');
      const srv = r.additionals!.find((x) => x.type === 'SRV') as unknown as { name: string; data: { port: number } };
      assert.equal(a?.data, '127.0.0.1');
      assert.equal(srv.name, '_udp.example.org');
      assert.ok(srv.data.port > 0);
    } finally {
      await s.stop();
    }
  });

  test('whoami reports the mapped client (hooks.mapClient)', async () => {
    const s = await startTestServer(`.:0 {\n    whoami\n}`, { hooks: { mapClient: () => ({ address: '100.96.2.5', port: 42177 }) } });
    try {
      const r = await query(s.port, 'example.org', 'A');
      assert.equal(r.additionals!.find((x) => x.type === 'A')?.data, '100.96.2.5');
    } finally {
      await s.stop();
    }
  });

  test('any answers ANY with the RFC 8482 HINFO and lets other types through', async () => {
    const s = await startTestServer(`example.org:0 {\n    any\n    hosts {\n        10.0.0.1 web.example.org\n    }\n}`);
    try {
      const r = await query(s.port, 'web.example.org', 'ANY');
      assert.equal(r.answers!.length, 1);
      assert.equal(r.answers![0]!.type, 'HINFO');
      assert.deepEqual((r.answers![0] as unknown as { data: { cpu: string; os: string } }).data, { cpu: 'RFC8482', os: '' });
      assert.equal((r.answers![0] as unknown as { ttl: number }).ttl, 8482);
      assert.equal((await query(s.port, 'web.example.org', 'A')).answers![0]!.data, '10.0.0.1');
    } finally {
      await s.stop();
    }
  });
});
