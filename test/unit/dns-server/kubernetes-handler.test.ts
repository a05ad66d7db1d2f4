// The conformance vectors run in-process: the real plugin (parse, informers, lookup, handler)
// fed by the stub Kubernetes API over HTTP, with the rest of the chain played by an upstream.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { plugin } from '../../../dns-server/plugins/kubernetes/index.ts';
import type { Handler } from '../../../dns-server/core/plugin.ts';
import { StubKubeApi } from '../../../dns-server/test-support/kube/stub-api.ts';
import { conformanceCluster, DNS_POD_IP } from '../../../dns-server/test-support/kube/conformance-cluster.ts';
import { CONFORMANCE_VECTORS, kubernetesBlock, type ServerVariant } from '../../../dns-server/test-support/kube/conformance-vectors.ts';
import { ask, directiveFrom, testContext } from '../../../dns-server/test-support/kube/handler-harness.ts';
import { recordText, sorted } from '../../../dns-server/test-support/kube/record-text.ts';

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

describe('kubernetes plugin conformance vectors (in-process)', () => {
  const api = new StubKubeApi();
  const handlers = new Map<ServerVariant, Handler>();

  before(async () => {
    api.applyAll(conformanceCluster());
    await api.start();
    for (const v of ['main', 'kubeadm', 'restricted'] as const) {
      const h = plugin.setup(directiveFrom(kubernetesBlock(v, api.url)), testContext({ env: { POD_IP: DNS_POD_IP } }));
      await h.start!();
      assert.equal(h.ready!(), true, `${v} server synced`);
      handlers.set(v, h);
    }
  });
  after(async () => {
    for (const h of handlers.values()) await h.stop!();
    await api.stop();
  });

  test('there are at least 100 vectors and every one names K-items', () => {
    assert.ok(CONFORMANCE_VECTORS.length >= 100, `${CONFORMANCE_VECTORS.length} vectors`);
    for (const v of CONFORMANCE_VECTORS) assert.match(v.spec, /^K\d+( K\d+)*$/, v.name);
  });

  test('3,000 random names built from cluster words never throw and always answer sensibly', async () => {
    const words = ['svc', 'pod', 'testns', 'default', 'hdls', 'svc1', 'web-0', '_http', '_tcp', '_', '*', 'any', 'cluster', 'local', 'in-addr', 'arpa', 'ip6',
      '10', '0', '1', '255', '256', 'fd00', '10-244-9-9', 'fd00-10-244--21', '1-2-3-4-5', '--', '-', 'ext', 'dns-version', 'ns', 'dns', 'x'.repeat(63), 'ÄÖ'];
    const types = ['A', 'AAAA', 'SRV', 'PTR', 'TXT', 'CNAME', 'MX', 'NS', 'SOA', 'ANY', 'HINFO', 'AXFR', 'IXFR', 'NAPTR', 'CAA'];
    let seed = 12345;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    for (let i = 0; i < 3000; i++) {
      const labels = Array.from({ length: 1 + rnd(7) }, () => words[rnd(words.length)]!);
      const tail = ['cluster.local', 'in-addr.arpa', 'ip6.arpa', 'CLUSTER.local', 'example.org'][rnd(5)]!;
      const name = `${labels.join('.')}.${tail}.`;
      const type = types[rnd(types.length)]!;
      const variant = (['main', 'kubeadm', 'restricted'] as const)[rnd(3)];
      const { msg } = await ask(handlers.get(variant)!, name, type);
      const rcode = (msg.flags ?? 0) & 0xf;
      assert.ok([0, 3, 5].includes(rcode), `${name} ${type}: rcode ${rcode}`);
      if (rcode === 5) assert.ok(type === 'AXFR' || type === 'IXFR', `${name} ${type} refused`);
      const authoritative = ((msg.flags ?? 0) & 0x0400) !== 0;
      if (tail === 'example.org') assert.equal(authoritative, false, `${name}: out of zone is never authoritative`);
      if ((rcode === 3 || (msg.answers ?? []).length === 0) && authoritative) assert.equal(msg.authorities?.[0]?.type, 'SOA', `${name} ${type}: negative answers carry the SOA`);
    }
  });

  for (const v of CONFORMANCE_VECTORS) {
    test(`${v.name} [${v.spec}] ${v.server}: ${v.q} ${v.type}`, async () => {
      const { msg } = await ask(handlers.get(v.server)!, v.q, v.type);
      const flags = msg.flags ?? 0;
      assert.equal(RCODES[flags & 0xf], v.rcode, 'rcode');
      assert.equal((flags & 0x0400) !== 0, v.aa, 'AA bit');
      assert.deepEqual(sorted((msg.answers ?? []).map(recordText)), sorted(v.answer), 'answer');
      assert.deepEqual(sorted((msg.authorities ?? []).map(recordText)), sorted(v.authority), 'authority');
      assert.deepEqual(sorted((msg.additionals ?? []).map(recordText)), sorted(v.additional), 'additional');
    });
  }
});

describe('NS when no DNS Service holds our address (K30, K31)', () => {
  test('NS falls back to ns.dns.<zone> glued to our own addresses', async () => {
    const api = new StubKubeApi();
    api.applyAll(conformanceCluster());
    await api.start();
    const h = plugin.setup(directiveFrom(kubernetesBlock('main', api.url)), testContext({ env: { POD_IPS: '10.9.9.9,fd00::99' } }));
    try {
      await h.start!();
      const ns = await ask(h, 'cluster.local.', 'NS');
      assert.deepEqual((ns.msg.answers ?? []).map(recordText), ['cluster.local. 5 IN NS ns.dns.cluster.local.']);
      assert.deepEqual(sorted((ns.msg.additionals ?? []).map(recordText)), sorted(['ns.dns.cluster.local. 5 IN A 10.9.9.9', 'ns.dns.cluster.local. 5 IN AAAA fd00::99']));
      const a = await ask(h, 'ns.dns.cluster.local.', 'AAAA');
      assert.deepEqual((a.msg.answers ?? []).map(recordText), ['ns.dns.cluster.local. 5 IN AAAA fd00::99']);
      const rev = await ask(h, 'ip6.arpa.', 'NS');
      assert.deepEqual((rev.msg.answers ?? []).map(recordText), ['ip6.arpa. 5 IN NS ns.dns.ip6.arpa.']);
    } finally {
      await h.stop!();
      await api.stop();
    }
  });
});

