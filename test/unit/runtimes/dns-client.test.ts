// The busybox pod's stub resolver: one UDP exchange per query through the proxy, retried only
// after its timeout, from a port registered as the pod's.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import * as packet from 'dns-packet';
import { MemoryStore } from '../../../sandbox/cluster/store.ts';
import { createServiceProxy, type ServiceProxy } from '../../../sandbox/cluster/proxy/index.ts';
import { DnsClient, reverseName } from '../../../sandbox/cluster/runtimes/busybox/dns-client.ts';

describe('DnsClient', () => {
  let proxy: ServiceProxy;
  let server: dgram.Socket;
  const seen: Array<{ name: string; from: string }> = [];
  let delayMs = 0;
  let silent = false;

  before(async () => {
    proxy = createServiceProxy({ store: new MemoryStore() });
    server = dgram.createSocket('udp4');
    server.on('message', (m, r) => {
      const q = packet.decode(m);
      seen.push({ name: q.questions![0].name, from: proxy.clients.mapClient(r.address, r.port, 'udp').address });
      if (silent) return;
      const reply = packet.encode({ type: 'response', id: q.id, flags: 3, questions: q.questions });
      setTimeout(() => server.send(reply, r.port, r.address), delayMs);
    });
    await new Promise<void>((r) => server.bind(0, '127.0.0.1', () => r()));
    proxy.backends.register('100.96.7.2', 53, 'UDP', { host: '127.0.0.1', port: server.address().port });
  });
  after(async () => {
    await proxy.close();
    server.close();
  });

  test('without a timeout option it waits for a slow answer, asking once', async () => {
    seen.length = 0;
    delayMs = 60;
    silent = false;
    const client = new DnsClient({ podIP: '100.96.5.3', proxy, timeoutMs: undefined });
    const r = await client.query('100.96.7.2', 'nothere.default', 'A');
    assert.equal(r.rcode, 'NXDOMAIN');
    assert.deepEqual(seen, [{ name: 'nothere.default', from: '100.96.5.3' }], 'one query, seen as coming from the pod IP');
  });

  test('a silent server: one query per attempt, then TIMEOUT', async () => {
    seen.length = 0;
    silent = true;
    const client = new DnsClient({ podIP: '100.96.5.3', proxy, timeoutMs: 100, attempts: 2 });
    assert.equal((await client.query('100.96.7.2', 'x.default', 'A')).rcode, 'TIMEOUT');
    assert.equal(seen.length, 2);
  });

  test('no backend at the address: UNREACHABLE without sending', async () => {
    seen.length = 0;
    const client = new DnsClient({ podIP: '100.96.5.3', proxy });
    assert.equal((await client.query('100.96.9.9', 'x', 'A')).rcode, 'UNREACHABLE');
    assert.equal(seen.length, 0);
  });

  test('candidates: the name as typed, then the search list; a trailing dot means only itself', () => {
    const conf = { nameservers: ['100.64.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], ndots: 5 };
    assert.deepEqual(DnsClient.candidates('kubernetes.default', conf), ['kubernetes.default', 'kubernetes.default.default.svc.cluster.local', 'kubernetes.default.svc.cluster.local', 'kubernetes.default.cluster.local']);
    assert.deepEqual(DnsClient.candidates('kubernetes.default.svc.cluster.local.', conf), ['kubernetes.default.svc.cluster.local']);
    assert.equal(reverseName('100.64.0.10'), '10.0.64.100.in-addr.arpa');
    assert.equal(reverseName('fd00::1'), '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa');
  });
});

// uClibc's __dns_lookup (what busybox 1.28's nslookup resolves through): NXDOMAIN and SERVFAIL
// move on to the next search domain; a timeout, an unreachable server or a SERVFAIL on the last
// name start the search again from the name as typed, on the next server, until the attempts run out.
describe('DnsClient.lookup: the search list under failures', () => {
  let proxy: ServiceProxy;
  let server: dgram.Socket;
  const seen: string[] = [];
  type Answer = 'drop' | { rcode: number; a?: string; stallMs?: number };
  let answer: (name: string, n: number) => Answer = () => ({ rcode: 3 });
  const conf = { nameservers: ['100.64.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], ndots: 5 };
  const good = (name: string): Answer => (name === 'kubernetes.default.svc.cluster.local' ? { rcode: 0, a: '100.64.0.1' } : { rcode: 3 });

  before(async () => {
    const store = new MemoryStore();
    proxy = createServiceProxy({ store });
    server = dgram.createSocket('udp4');
    server.on('message', (m, r) => {
      const q = packet.decode(m);
      const name = q.questions![0].name;
      seen.push(name);
      const what = answer(name, seen.length);
      if (what === 'drop') return;
      const answers: packet.Answer[] = what.a && q.questions![0].type === 'A' ? [{ type: 'A', name, ttl: 5, class: 'IN', data: what.a }] : [];
      server.send(packet.encode({ type: 'response', id: q.id, flags: packet.RECURSION_DESIRED | what.rcode, questions: q.questions, answers }), r.port, r.address);
      // the whole process stops for a while (a big synchronous import, a loaded machine): the
      // reply is already on the client's socket when its timer comes due
      if (what.stallMs) {
        const until = performance.now() + what.stallMs;
        while (performance.now() < until);
      }
    });
    await new Promise<void>((r) => server.bind(0, '127.0.0.1', () => r()));
    // the VIP is a plain backend here: the proxy's pod-IP path answers for it
    proxy.backends.register('100.64.0.10', 53, 'UDP', { host: '127.0.0.1', port: server.address().port });
  });
  after(async () => {
    await proxy.close();
    server.close();
  });

  test('all NXDOMAIN: each name once, as the chapter\'s log shows, then NXDOMAIN', async () => {
    seen.length = 0;
    answer = () => ({ rcode: 3 });
    const r = await new DnsClient({ podIP: '100.96.5.3', proxy, timeoutMs: 5000 }).lookup('nothere.default', 'A', conf);
    assert.equal(r.rcode, 'NXDOMAIN');
    assert.deepEqual(seen, DnsClient.candidates('nothere.default', conf));
  });

  test('a SERVFAIL for the name as typed moves on to the search list', async () => {
    seen.length = 0;
    answer = (name) => (name === 'kubernetes.default' ? { rcode: 2 } : good(name));
    const r = await new DnsClient({ podIP: '100.96.5.3', proxy, timeoutMs: 5000 }).lookup('kubernetes.default', 'A', conf);
    assert.equal(r.rcode, 'NOERROR');
    assert.deepEqual(r.addresses, ['100.64.0.1']);
    assert.equal(r.fqdn, 'kubernetes.default.svc.cluster.local');
    assert.deepEqual(seen, ['kubernetes.default', 'kubernetes.default.default.svc.cluster.local', 'kubernetes.default.svc.cluster.local']);
  });

  test('a SERVFAIL in the middle of the search list moves on too', async () => {
    seen.length = 0;
    answer = (name) => (name === 'kubernetes.default.default.svc.cluster.local' ? { rcode: 2 } : good(name));
    const r = await new DnsClient({ podIP: '100.96.5.3', proxy, timeoutMs: 5000 }).lookup('kubernetes.default', 'A', conf);
    assert.deepEqual(r.addresses, ['100.64.0.1']);
  });

  test('a first query that times out: the search starts over from the name as typed and succeeds', async () => {
    seen.length = 0;
    answer = (name, n) => (n === 1 ? 'drop' : good(name));
    const r = await new DnsClient({ podIP: '100.96.5.3', proxy, timeoutMs: 250, attempts: 2 }).lookup('kubernetes.default', 'A', conf);
    assert.equal(r.rcode, 'NOERROR');
    assert.deepEqual(r.addresses, ['100.64.0.1']);
    assert.deepEqual(seen.slice(0, 2), ['kubernetes.default', 'kubernetes.default']);
    assert.equal(seen.at(-1), 'kubernetes.default.svc.cluster.local');
  });

  test('a timeout in the middle of the search list: the next attempt starts over', async () => {
    seen.length = 0;
    answer = (name, n) => (n === 2 ? 'drop' : good(name));
    const r = await new DnsClient({ podIP: '100.96.5.3', proxy, timeoutMs: 250, attempts: 2 }).lookup('kubernetes.default', 'A', conf);
    assert.deepEqual(r.addresses, ['100.64.0.1']);
    assert.deepEqual(seen.slice(0, 3), ['kubernetes.default', 'kubernetes.default.default.svc.cluster.local', 'kubernetes.default']);
  });

  test('SERVFAIL on every name: the whole list once per attempt, then SERVFAIL', async () => {
    seen.length = 0;
    answer = () => ({ rcode: 2 });
    const r = await new DnsClient({ podIP: '100.96.5.3', proxy, timeoutMs: 5000, attempts: 2 }).lookup('kubernetes.default', 'A', conf);
    assert.equal(r.rcode, 'SERVFAIL');
    assert.deepEqual(r.addresses, []);
    assert.equal(seen.length, 8);
  });

  test('a silent server: one query per attempt (each from the name as typed), then TIMEOUT', async () => {
    seen.length = 0;
    answer = () => 'drop';
    const r = await new DnsClient({ podIP: '100.96.5.3', proxy, timeoutMs: 50, attempts: 3 }).lookup('kubernetes.default', 'A', conf);
    assert.equal(r.rcode, 'TIMEOUT');
    assert.deepEqual(seen, ['kubernetes.default', 'kubernetes.default', 'kubernetes.default']);
  });

  test('resolv.conf options timeout: and attempts: override the defaults', async () => {
    seen.length = 0;
    answer = () => 'drop';
    const r = await new DnsClient({ podIP: '100.96.5.3', proxy, timeoutMs: 300, attempts: 2 }).lookup('kubernetes.default', 'A', { ...conf, timeoutMs: 50, attempts: 1 });
    assert.equal(r.rcode, 'TIMEOUT');
    assert.equal(seen.length, 1);
  });

  test('a reply already received when a stalled event loop fires the timer still counts', async () => {
    seen.length = 0;
    answer = (name) => ({ ...(good(name) as { rcode: number; a?: string }), stallMs: 150 });
    const r = await new DnsClient({ podIP: '100.96.5.3', proxy, timeoutMs: 30, attempts: 1 }).lookup('kubernetes.default', 'A', conf);
    assert.equal(r.rcode, 'NOERROR');
    assert.deepEqual(r.addresses, ['100.64.0.1']);
    assert.equal(seen.length, 3, 'no name was asked twice');
  });

  test('PTR: a timeout is retried on the next attempt', async () => {
    seen.length = 0;
    answer = (name, n) => (n === 1 ? 'drop' : { rcode: 3 });
    const client = new DnsClient({ podIP: '100.96.5.3', proxy, timeoutMs: 100, attempts: 2 });
    assert.equal(await client.reverse('100.64.0.1', conf), undefined);
    assert.deepEqual(seen, ['1.0.64.100.in-addr.arpa', '1.0.64.100.in-addr.arpa']);
  });
});

describe('parseResolvConf', () => {
  test('reads nameservers, the search list and ndots/timeout/attempts', async () => {
    const { parseResolvConf } = await import('../../../sandbox/cluster/runtimes/pod-files.ts');
    const c = parseResolvConf('nameserver 100.64.0.10\nsearch default.svc.cluster.local svc.cluster.local\noptions ndots:5 timeout:1 attempts:3\n');
    assert.deepEqual(c, { nameservers: ['100.64.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local'], ndots: 5, timeoutMs: 1000, attempts: 3 });
    assert.deepEqual(parseResolvConf('nameserver 1.2.3.4\n'), { nameservers: ['1.2.3.4'], searches: [], ndots: 1 });
  });
});
