// Truncation on real packets: an upstream's TC reaches the client through an ExternalName
// CNAME (CoreDNS's backend_lookup.go carries m1.Truncated), and dig then asks again over TCP,
// where forward asks over TCP too (the client's transport) and the whole answer arrives.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { StubKubeApi } from '../../../dns-server/test-support/kube/stub-api.ts';
import { namespace, service } from '../../../dns-server/test-support/kube/objects.ts';
import { startTestServer, type TestServer } from '../../../dns-server/test-support/server.ts';
import { dig, query } from '../../../dns-server/test-support/client.ts';

const bigHosts = Array.from({ length: 50 }, (_v, i) => `        10.2.0.${i + 1} big.upstream.test`).join('\n');

describe('TC through an ExternalName CNAME', () => {
  let api: StubKubeApi;
  let upstream: TestServer;
  let s: TestServer;
  before(async () => {
    api = new StubKubeApi();
    api.applyAll([namespace('shop'), service({ namespace: 'shop', name: 'ext', type: 'ExternalName', externalName: 'big.upstream.test' })]);
    await api.start();
    upstream = await startTestServer(`upstream.test:0 {\n    log\n    hosts {\n${bigHosts}\n    }\n}`);
    s = await startTestServer(`.:0 {\n  kubernetes cluster.local {\n    endpoint ${api.url}\n  }\n  forward . 127.0.0.1:${upstream.port}\n}\n`);
  });
  after(async () => {
    await s.stop();
    await upstream.stop();
    await api.stop();
  });

  test('over UDP without EDNS: the CNAME, what fits, and TC', async () => {
    const r = await query(s.port, 'ext.shop.svc.cluster.local', 'A');
    assert.equal(r.flag_tc, true);
    assert.equal(r.answers![0]!.type, 'CNAME');
    assert.ok(r.answers!.length < 51, `${r.answers!.length} records`);
    const d = await dig(s.port, ['ext.shop.svc.cluster.local', '+noedns', '+ignore', '+noall', '+comments']);
    assert.match(d.stdout, /;; flags: qr aa tc rd;/);
  });

  test('dig retries over TCP and gets the CNAME and all 50 addresses', async () => {
    const d = await dig(s.port, ['ext.shop.svc.cluster.local', '+noedns', '+noall', '+answer']);
    // 51 records are more than 512 bytes: they came over TCP
    const lines = d.stdout.split('\n').filter((l) => /\sIN\s/.test(l));
    assert.match(lines[0]!, /^ext\.shop\.svc\.cluster\.local\.\s+5\s+IN\s+CNAME\s+big\.upstream\.test\.$/);
    assert.equal(lines.filter((l) => /\sIN\s+A\s+10\.2\.0\.\d+$/.test(l)).length, 50);
  });
});
