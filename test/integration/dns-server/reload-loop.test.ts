// reload (handle.reload() and the reload plugin watching the file), keeping the old config on
// a bad Corefile; loop detection halting the server; hosts re-reading its file.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer } from '../../../dns-server/test-support/server.ts';
import { query } from '../../../dns-server/test-support/client.ts';
import { startDnsServer, FatalError, CorefileError } from '../../../dns-server/index.ts';
import { waitFor } from '../../support/wait.ts';
import { onFreePort } from '../../support/free-port.ts';

const hostsBlock = (ip: string, port = 0) => `example.org:${port} {
    reload 2s 1s
    hosts {
        ${ip} web.example.org
    }
}`;

describe('reload', () => {
  test('handle.reload() swaps the configuration on the same port', async () => {
    const s = await startTestServer(hostsBlock('10.0.0.1'));
    try {
      assert.equal((await query(s.port, 'web.example.org', 'A')).answers![0]!.data, '10.0.0.1');
      const port = s.port;
      writeFileSync(s.conf, hostsBlock('10.0.0.2'));
      await s.handle.reload();
      assert.equal(s.handle.addresses().find((a) => a.kind === 'dns')!.port, port);
      assert.equal((await query(port, 'web.example.org', 'A')).answers![0]!.data, '10.0.0.2');
    } finally {
      await s.stop();
    }
  });

  test('a bad Corefile is logged and the old configuration keeps serving', async () => {
    const s = await startTestServer(hostsBlock('10.0.0.1'));
    try {
      await query(s.port, 'web.example.org', 'A');
      writeFileSync(s.conf, 'example.org:0 {\n    hosts\n    bogus\n}\n');
      await s.handle.reload();
      const line = await s.waitForLog(/Restart failed/);
      assert.equal(line, `[ERROR] Restart failed: ${s.conf}:3 - Error during parsing: Unknown directive 'bogus'`);
      assert.equal((await query(s.port, 'web.example.org', 'A')).answers![0]!.data, '10.0.0.1');
    } finally {
      await s.stop();
    }
  });

  test('the reload plugin notices a changed file by itself', async () => {
    const s = await startTestServer(hostsBlock('10.0.0.1'));
    try {
      assert.match(await s.waitForLog(/Running configuration SHA512/), /^\[INFO\] plugin\/reload: Running configuration SHA512 = [0-9a-f]{128}$/);
      writeFileSync(s.conf, hostsBlock('10.0.0.3'));
      await s.waitForLog(/Reloading complete/, 15_000);
      assert.equal((await query(s.port, 'web.example.org', 'A')).answers![0]!.data, '10.0.0.3');
    } finally {
      await s.stop();
    }
  });

  test('reload option errors name the line', async () => {
    await assert.rejects(startDnsServer({ corefile: '.:0 {\n    reload 1s\n}\n', log: () => {} }), (err: unknown) => {
      assert.ok(err instanceof CorefileError);
      assert.equal(err.message, 'Corefile:2 - Error during parsing: plugin/reload: interval value must be greater or equal to 2s, got 1s');
      return true;
    });
  });
});

describe('hosts re-reads its file', () => {
  test('a changed hosts file changes the answer, also for names already in the answer cache', async () => {
    const s = await startTestServer(`example.org:0 {
    hosts $DIR/hosts {
        reload 200ms
    }
}`, { files: { hosts: '10.0.0.1 web.example.org\n' } });
    try {
      assert.equal((await query(s.port, 'web.example.org', 'A')).answers![0]!.data, '10.0.0.1');
      assert.equal((await query(s.port, 'web.example.org', 'A')).answers![0]!.data, '10.0.0.1');
      writeFileSync(join(s.dir, 'hosts'), '10.0.0.42 web.example.org\n# longer now\n');
      await waitFor(async () => String((await query(s.port, 'web.example.org', 'A')).answers![0]!.data) === '10.0.0.42', {
        what: 'web.example.org to answer 10.0.0.42 after the reload', timeout: 5000, interval: 100,
      });
    } finally {
      await s.stop();
    }
  });
});

describe('loop', () => {
  test('forwarding to itself is detected, logged as FATAL, and the server stops', async () => {
    // a server that forwards to its own port: the number must be known before the start, so it is
    // probed free first (and taken again when another file's server took it in between)
    const lines: string[] = [];
    let port = 0;
    const h = await onFreePort((p) => {
      port = p;
      return startDnsServer({
        corefile: `.:${p} {\n    loop\n    forward . 127.0.0.1:${p}\n}\n`,
        log: (l) => lines.push(l),
        hooks: { mapListen: (_k, _h, q) => ({ host: '127.0.0.1', port: q }) },
      });
    });
    const err = await h.exited;
    assert.ok(err instanceof FatalError, `expected a FatalError, got ${err}`);
    assert.equal(err.code, 'DNS_ERR_FATAL');
    const fatal = lines.find((l) => l.startsWith('[FATAL]'));
    assert.match(fatal!, /^\[FATAL\] plugin\/loop: Loop \(127\.0\.0\.1:\d+ -> :\d+\) detected for zone "\.", see https:\/\/coredns\.io\/plugins\/loop#troubleshooting\. Query: "HINFO \d+\.\d+\."$/);
    assert.equal(await query(port, 'example.com', 'A', { timeoutMs: 300 }).catch(() => 'silent'), 'silent');
  });
});
