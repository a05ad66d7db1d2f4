// The kubernetes-plugin conformance vectors over the wire: the real dns-server (startDnsServer)
// with the kubernetes plugin fed by the stub Kubernetes API, `forward` to a real UDP upstream,
// queried with dig (and nslookup / busybox nslookup for the client-output rows).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { StubKubeApi } from '../../../dns-server/test-support/kube/stub-api.ts';
import { conformanceCluster, DNS_POD_IP } from '../../../dns-server/test-support/kube/conformance-cluster.ts';
import { CONFORMANCE_VECTORS, kubernetesBlock, type ServerVariant } from '../../../dns-server/test-support/kube/conformance-vectors.ts';
import { startUpstream, type Upstream } from '../../../dns-server/test-support/kube/upstream.ts';
import { parseDig, sorted } from '../../../dns-server/test-support/kube/record-text.ts';
import { startTestServer, type TestServer } from '../../../dns-server/test-support/server.ts';
import { dig, query, run } from '../../../dns-server/test-support/client.ts';

describe('kubernetes plugin conformance over the wire (dig)', () => {
  const api = new StubKubeApi();
  let upstream: Upstream;
  const servers = new Map<ServerVariant, TestServer>();

  before(async () => {
    api.applyAll(conformanceCluster());
    await api.start();
    upstream = await startUpstream();
    for (const v of ['main', 'kubeadm', 'restricted'] as const) {
      const corefile = `.:0 {\n  ${kubernetesBlock(v, api.url)}\n  forward . ${upstream.address}:${upstream.port}\n}\n`;
      const s = await startTestServer(corefile, { env: { POD_IP: DNS_POD_IP } });
      assert.ok(s.handle.ready(), `${v} server ready after start`);
      servers.set(v, s);
    }
  });
  after(async () => {
    for (const s of servers.values()) await s.stop();
    await upstream?.close();
    await api.stop();
  });

  for (const v of CONFORMANCE_VECTORS) {
    test(`${v.name} [${v.spec}] ${v.server}: ${v.q} ${v.type}`, async () => {
      const port = servers.get(v.server)!.port;
      if (v.type === 'AXFR' || v.type === 'IXFR') {
        // dig only prints "Transfer failed" for a refused transfer: read the reply ourselves
        const r = await query(port, v.q, v.type, { transport: 'tcp' });
        assert.equal(r.rcode, v.rcode);
        assert.equal(r.flag_aa, v.aa, 'AA bit');
        assert.equal(r.answers?.length ?? 0, 0);
        return;
      }
      const out = await dig(port, ['+noall', '+comments', '+answer', '+authority', '+additional', v.q, v.type]);
      assert.equal(out.code, 0, out.stderr);
      const r = parseDig(out.stdout);
      assert.equal(r.rcode, v.rcode, `rcode\n${out.stdout}`);
      assert.equal(r.flags.includes('aa'), v.aa, `AA bit\n${out.stdout}`);
      assert.deepEqual(sorted(r.answer), sorted(v.answer), 'answer');
      assert.deepEqual(sorted(r.authority), sorted(v.authority), 'authority');
      assert.deepEqual(sorted(r.additional), sorted(v.additional), 'additional');
    });
  }

  describe('nslookup (bind9) and busybox nslookup', () => {
    const rows: Array<{ name: string; spec: string; cmd: (port: number) => [string, string[]]; expect: RegExp[]; exit?: number }> = [
      { name: 'nslookup clusterip', spec: 'K3', cmd: (p) => ['nslookup', [`-port=${p}`, 'svc1.testns.svc.cluster.local', '127.0.0.1']], expect: [/Name:\s+svc1\.testns\.svc\.cluster\.local\nAddress: 10\.0\.0\.1/] },
      { name: 'nslookup NXDOMAIN', spec: 'K23', cmd: (p) => ['nslookup', [`-port=${p}`, 'nosuch.testns.svc.cluster.local', '127.0.0.1']], expect: [/\*\* server can't find nosuch\.testns\.svc\.cluster\.local: NXDOMAIN/], exit: 1 },
      { name: 'nslookup SRV', spec: 'K5', cmd: (p) => ['nslookup', [`-port=${p}`, '-type=SRV', '_http._tcp.svc1.testns.svc.cluster.local', '127.0.0.1']], expect: [/service = 0 100 80 svc1\.testns\.svc\.cluster\.local\./] },
      { name: 'nslookup reverse', spec: 'K8', cmd: (p) => ['nslookup', [`-port=${p}`, '10.0.0.1', '127.0.0.1']], expect: [/1\.0\.0\.10\.in-addr\.arpa\s+name = svc1\.testns\.svc\.cluster\.local\./] },
      { name: 'nslookup headless', spec: 'K10', cmd: (p) => ['nslookup', [`-port=${p}`, 'six.testns.svc.cluster.local', '127.0.0.1']], expect: [1, 2, 3, 4, 5, 6].map((i) => new RegExp(`Address: 10\\.244\\.6\\.${i}\\n`)) },
      { name: 'nslookup ExternalName', spec: 'K18', cmd: (p) => ['nslookup', [`-port=${p}`, 'ext.testns.svc.cluster.local', '127.0.0.1']], expect: [/ext\.testns\.svc\.cluster\.local\s+canonical name = www\.example\.org\./, /Address: 93\.184\.216\.34/] },
      { name: 'busybox nslookup clusterip', spec: 'K3', cmd: (p) => ['busybox', ['nslookup', 'kubernetes.default.svc.cluster.local', `127.0.0.1:${p}`]], expect: [/Name:\s+kubernetes\.default\.svc\.cluster\.local\nAddress: 10\.96\.0\.1/] },
      { name: 'busybox nslookup dual-stack', spec: 'K4 K49', cmd: (p) => ['busybox', ['nslookup', 'dual.testns.svc.cluster.local', `127.0.0.1:${p}`]], expect: [/Address: 10\.0\.0\.20/, /Address: fd00:10:96::20/] },
      { name: 'busybox nslookup headless', spec: 'K10', cmd: (p) => ['busybox', ['nslookup', 'hdls.testns.svc.cluster.local', `127.0.0.1:${p}`]], expect: ['10.244.2.1', '10.244.2.2', '10.244.2.3', '10.244.2.5', 'fd00:10:244::21'].map((ip) => new RegExp(`Address: ${ip.replace(/\./g, '\\.')}\\n`)) },
      { name: 'busybox nslookup NXDOMAIN', spec: 'K23', cmd: (p) => ['busybox', ['nslookup', 'nosuch.testns.svc.cluster.local', `127.0.0.1:${p}`]], expect: [/\*\* server can't find nosuch\.testns\.svc\.cluster\.local: NXDOMAIN/], exit: 1 },
      { name: 'busybox nslookup pod record', spec: 'K20', cmd: (p) => ['busybox', ['nslookup', '10-244-9-9.default.pod.cluster.local', `127.0.0.1:${p}`]], expect: [/Address: 10\.244\.9\.9/] },
    ];
    for (const r of rows) {
      test(`${r.name} [${r.spec}]`, async () => {
        const [cmd, args] = r.cmd(servers.get('main')!.port);
        const out = await run(cmd, args);
        const text = `${out.stdout}${out.stderr}`;
        for (const re of r.expect) assert.match(text, re, text);
        assert.equal(out.code, r.exit ?? 0, text);
        assert.doesNotMatch(text, /10\.244\.2\.4\b/, 'an unready endpoint never shows');
      });
    }
  });
});
