// The cache plugin: success and denial kept for their (capped, floored) TTL, counted down,
// disabled per zone, bounded by capacity. The next plugin is a table of canned upstream answers.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { DnsMessage, DnsRequest, Next, ResponseWriter } from '../../../dns-server/core/plugin.ts';
import { CacheHandler } from '../../../dns-server/plugins/cache/handler.ts';
import { parseCache } from '../../../dns-server/plugins/cache/parse.ts';
import { ServerMetrics } from '../../../dns-server/core/metrics.ts';
import type { InstanceShared } from '../../../dns-server/core/shared.ts';
import { reply } from '../../../dns-server/core/respond.ts';

function sharedWith(metrics: ServerMetrics): InstanceShared {
  return { metrics: () => metrics } as unknown as InstanceShared;
}

function req(name: string, type = 'A'): DnsRequest {
  const msg = { id: 1, type: 'query', flags: 0x100, questions: [{ name: name.replace(/\.$/, ''), type, class: 'IN' }] } as DnsMessage;
  return { msg, qname: name.toLowerCase(), qnameOriginal: name, qtype: type, qclass: 'IN', client: { address: '127.0.0.1', port: 1, transport: 'udp' }, size: 30, bufSize: 512, do: false, zone: '.', startNs: 0n };
}

class Memory implements ResponseWriter {
  response: DnsMessage | undefined;
  write(m: DnsMessage) {
    this.response ??= m;
  }
}

const soa = (ttl: number, minimum: number) => ({ name: 'example.org', type: 'SOA', class: 'IN', ttl, data: { mname: 'ns.example.org', rname: 'h.example.org', serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum } });

function setup(corefileArgs: string[], block: Array<{ name: string; args: string[] }> = []) {
  let clock = 1_000_000;
  let asked = 0;
  const upstream: Next = async (r, w) => {
    asked++;
    if (r.qname.startsWith('nx.')) {
      w.write(reply(r, { rcode: 3, authorities: [soa(3600, 60) as never] }));
      return 3;
    }
    w.write(reply(r, { answers: [{ name: r.qnameOriginal, type: 'A', class: 'IN', ttl: 3600, data: '10.0.0.1' } as never] }));
    return 0;
  };
  const cfg = parseCache({ name: 'cache', args: corefileArgs, block: block.map((b, i) => ({ ...b, line: i + 2 })), file: 'Corefile', line: 1 }, ['.']);
  const metrics = new ServerMetrics();
  const h = new CacheHandler(cfg, sharedWith(metrics), 53, () => clock);
  const ask = async (name: string, type = 'A') => {
    const w = new Memory();
    await h.serveDNS(req(name, type), w, upstream);
    return w.response!;
  };
  return { h, ask, metrics, advance: (s: number) => (clock += s * 1000), asked: () => asked };
}

describe('cache', () => {
  test('cache 30: success capped at 30 s and counted down, then asked again', async () => {
    const c = setup(['30']);
    const first = await c.ask('www.example.org.');
    assert.equal((first.answers![0] as { ttl: number }).ttl, 3600, 'the first answer passes through as the upstream wrote it');
    c.advance(12);
    const hit = await c.ask('www.example.org.');
    assert.equal((hit.answers![0] as { ttl: number }).ttl, 18);
    assert.equal(c.asked(), 1);
    c.advance(18);
    await c.ask('www.example.org.');
    assert.equal(c.asked(), 2, 'expired entries are fetched again');
  });

  test('denial TTL comes from the SOA minimum, capped by the denial TTL', async () => {
    const c = setup([]);
    await c.ask('nx.example.org.');
    c.advance(59);
    const hit = await c.ask('nx.example.org.');
    assert.equal(hit.flags! & 0xf, 3);
    assert.equal((hit.authorities![0] as { ttl: number }).ttl, 1);
    c.advance(1);
    await c.ask('nx.example.org.');
    assert.equal(c.asked(), 2);
  });

  test('disable success/denial for a zone', async () => {
    const c = setup(['30'], [{ name: 'disable', args: ['success', 'cluster.local'] }, { name: 'disable', args: ['denial', 'cluster.local'] }]);
    await c.ask('web.app.svc.cluster.local.');
    await c.ask('web.app.svc.cluster.local.');
    await c.ask('nx.svc.cluster.local.');
    await c.ask('nx.svc.cluster.local.');
    assert.equal(c.asked(), 4);
    await c.ask('www.example.org.');
    await c.ask('www.example.org.');
    assert.equal(c.asked(), 5);
  });

  test('the minimum TTL holds answers with tiny TTLs for 5 s', async () => {
    const c = setup([], [{ name: 'success', args: ['100', '3600', '5'] }]);
    const upstreamTtl0: Next = async (r, w) => {
      w.write(reply(r, { answers: [{ name: r.qnameOriginal, type: 'A', class: 'IN', ttl: 0, data: '10.0.0.7' } as never] }));
      return 0;
    };
    const w1 = new Memory();
    await c.h.serveDNS(req('zero.example.org.'), w1, upstreamTtl0);
    c.advance(4);
    const w2 = new Memory();
    let second = false;
    await c.h.serveDNS(req('zero.example.org.'), w2, async (r, w) => ((second = true), upstreamTtl0(r, w)));
    assert.equal(second, false);
    assert.equal((w2.response!.answers![0] as { ttl: number }).ttl, 1);
  });

  test('capacity bounds the entries', async () => {
    const c = setup([], [{ name: 'success', args: ['3'] }]);
    for (let i = 0; i < 10; i++) await c.ask(`h${i}.example.org.`);
    assert.equal(c.h.size('success'), 3);
  });

  test('metrics: requests, hits by type, misses, entries', async () => {
    const c = setup(['30']);
    await c.ask('www.example.org.');
    await c.ask('www.example.org.');
    await c.ask('nx.example.org.');
    await c.ask('nx.example.org.');
    const text = await c.metrics.registry.metrics();
    assert.match(text, /coredns_cache_requests_total\{server="dns:\/\/:53",zones="\.",view=""\} 4/);
    assert.match(text, /coredns_cache_hits_total\{server="dns:\/\/:53",zones="\.",view="",type="success"\} 1/);
    assert.match(text, /coredns_cache_hits_total\{server="dns:\/\/:53",zones="\.",view="",type="denial"\} 1/);
    assert.match(text, /coredns_cache_misses_total\{server="dns:\/\/:53",zones="\.",view=""\} 2/);
    assert.match(text, /coredns_cache_entries\{server="dns:\/\/:53",zones="\.",view="",type="success"\} 1/);
  });
});
