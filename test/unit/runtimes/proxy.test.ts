// The service proxy: VIP and port -> a ready endpoint (round-robin) -> the loopback address the
// pod's runtime registered; endpoint changes take effect on the next query; publish() makes the
// kube-dns Service reachable from the host for the real dig.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as packet from 'dns-packet';
import { MemoryStore } from '../../../sandbox/cluster/store.ts';
import { createServiceProxy, type ServiceProxy, PublishError } from '../../../sandbox/cluster/proxy/index.ts';
import { svc } from './support/lab-cluster.ts';

const run = promisify(execFile);

/** a stand-in pod backend: answers every A query with its own address, over UDP and TCP */
async function backend(answerIP: string): Promise<{ port: number; close(): Promise<void> }> {
  const reply = (q: Buffer) => {
    const p = packet.decode(q);
    return packet.encode({ type: 'response', id: p.id, flags: packet.AUTHORITATIVE_ANSWER, questions: p.questions, answers: [{ type: 'A', name: p.questions![0].name, ttl: 5, class: 'IN', data: answerIP }] });
  };
  // the UDP port the kernel picks may be taken for TCP by another test file running beside this one
  for (let attempt = 1; ; attempt++) {
    const udp = dgram.createSocket('udp4');
    udp.on('message', (m, r) => udp.send(reply(m), r.port, r.address));
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    const port = udp.address().port;
    const conns = new Set<net.Socket>();
    const tcp = net.createServer((s) => {
      conns.add(s);
      s.on('data', (d: Buffer) => {
        const out = reply(d.subarray(2, 2 + d.readUInt16BE(0)));
        const head = Buffer.alloc(2); head.writeUInt16BE(out.length);
        s.write(Buffer.concat([head, out]));
      });
      s.on('close', () => conns.delete(s));
    });
    const listening = await new Promise<boolean>((resolve, reject) => {
      tcp.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' && attempt < 10 ? resolve(false) : reject(err)));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!listening) {
      await new Promise<void>((r) => udp.close(() => r()));
      continue;
    }
    return {
      port,
      close: async () => {
        for (const c of conns) c.destroy();
        await new Promise<void>((r) => udp.close(() => r()));
        await new Promise<void>((r) => tcp.close(() => r()));
      },
    };
  }
}

const DNS_PORTS = [{ name: 'dns', port: 53, protocol: 'UDP' as const }, { name: 'dns-tcp', port: 53, protocol: 'TCP' as const }];

describe('service proxy', () => {
  let store: MemoryStore;
  let proxy: ServiceProxy;
  const backends: Array<{ port: number; close(): Promise<void> }> = [];

  const slice = (ips: Array<[string, boolean]>) => {
    const obj = {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: { name: 'kube-dns-x', namespace: 'kube-system', labels: { 'kubernetes.io/service-name': 'kube-dns' } },
      addressType: 'IPv4', ports: DNS_PORTS, endpoints: ips.map(([ip, ready]) => ({ addresses: [ip], conditions: { ready } })),
    };
    const old = store.get('endpointslices.discovery.k8s.io', 'kube-system', 'kube-dns-x');
    if (old) store.update('endpointslices.discovery.k8s.io', { ...obj, metadata: { ...obj.metadata, resourceVersion: old.metadata.resourceVersion } });
    else store.create('endpointslices.discovery.k8s.io', obj);
  };

  before(async () => {
    store = new MemoryStore();
    for (const ns of ['default', 'kube-system']) store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    store.create('services', svc('kube-system', 'kube-dns', '100.64.0.10', DNS_PORTS, { 'k8s-app': 'kube-dns' }));
    store.create('services', svc('default', 'web', '100.64.3.3', [{ name: 'http', port: 80, protocol: 'TCP' }], { app: 'web' }));
    proxy = createServiceProxy({ store });
    for (const ip of ['10.0.0.1', '10.0.0.2']) backends.push(await backend(ip));
    for (const [i, pod] of ['100.96.3.2', '100.96.4.2'].entries()) {
      for (const p of ['UDP', 'TCP'] as const) proxy.backends.register(pod, 53, p, { host: '127.0.0.1', port: backends[i].port });
    }
  });

  after(async () => {
    await proxy.close();
    for (const b of backends) await b.close();
  });

  test('a VIP with ready endpoints round-robins over them', () => {
    slice([['100.96.3.2', true], ['100.96.4.2', true]]);
    const picks = [1, 2, 3, 4].map(() => proxy.resolve('100.64.0.10', 53, 'UDP')!.endpoint.ip);
    assert.deepEqual(picks.slice(0, 2).sort(), ['100.96.3.2', '100.96.4.2']);
    assert.equal(picks[0], picks[2]);
    assert.equal(picks[1], picks[3]);
    const r = proxy.resolve('100.64.0.10', 53, 'UDP')!;
    assert.equal(r.port, backends[r.endpoint.ip === '100.96.3.2' ? 0 : 1].port, 'the real address is the one registered for that endpoint');
  });

  test('endpoints that are not ready, or that nothing serves, are skipped', () => {
    slice([['100.96.3.2', false], ['100.96.4.2', true], ['100.96.9.9', true]]);
    for (let i = 0; i < 4; i++) assert.equal(proxy.resolve('100.64.0.10', 53, 'UDP')!.endpoint.ip, '100.96.4.2');
    slice([['100.96.3.2', false]]);
    assert.equal(proxy.resolve('100.64.0.10', 53, 'UDP'), undefined);
  });

  test('a port the Service does not have, or an IP no Service has, resolves to nothing', () => {
    slice([['100.96.3.2', true]]);
    assert.equal(proxy.resolve('100.64.0.10', 54, 'UDP'), undefined);
    assert.equal(proxy.resolve('100.64.0.10', 53, 'SCTP'), undefined);
    assert.equal(proxy.resolve('100.64.7.7', 53, 'UDP'), undefined);
    assert.equal(proxy.isServiceIP('100.64.0.10'), true);
    assert.equal(proxy.isServiceIP('100.96.3.2'), false);
  });

  test('a pod IP reaches the pod directly', () => {
    assert.equal(proxy.resolve('100.96.4.2', 53, 'TCP')!.port, backends[1].port);
    assert.equal(proxy.resolve('100.96.4.2', 8080, 'TCP'), undefined);
  });

  test('a Service without slices uses its Endpoints object', () => {
    proxy.backends.register('100.96.8.8', 8080, 'TCP', { host: '127.0.0.1', port: 1 });
    store.create('endpoints', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' }, subsets: [{ addresses: [{ ip: '100.96.8.8' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }] });
    assert.deepEqual(proxy.resolve('100.64.3.3', 80), { host: '127.0.0.1', port: 1, endpoint: { ip: '100.96.8.8', port: 8080 } });
  });

  test('client identities map registered loopback ports to pod IPs', () => {
    const forget = proxy.clients.register(40001, 'udp', '100.96.5.3');
    assert.deepEqual(proxy.clients.mapClient('127.0.0.1', 40001, 'udp'), { address: '100.96.5.3', port: 40001 });
    assert.deepEqual(proxy.clients.mapClient('127.0.0.1', 40001, 'tcp'), { address: '127.0.0.1', port: 40001 });
    forget();
    assert.deepEqual(proxy.clients.mapClient('127.0.0.1', 40001, 'udp'), { address: '127.0.0.1', port: 40001 });
  });

  test('publish: the real dig reaches kube-dns over UDP and TCP and follows endpoint changes', async () => {
    const pub = await proxy.publish(0);
    try {
      const dig = async (...extra: string[]) => (await run('dig', ['@127.0.0.1', '-p', String(pub.port), '+short', '+tries=1', '+time=2', ...extra, 'kubernetes.default.svc.cluster.local'])).stdout.trim();
      slice([['100.96.3.2', true]]);
      assert.equal(await dig(), '10.0.0.1');
      assert.equal(await dig('+tcp'), '10.0.0.1');
      // the chapter's switch: the Service now selects another pod
      slice([['100.96.4.2', true]]);
      assert.equal(await dig(), '10.0.0.2');
      assert.equal(await dig('+tcp'), '10.0.0.2');
    } finally {
      await pub.close();
    }
  });

  test('publish on a port in use says so and how to fix it', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await assert.rejects(proxy.publish(port), (e: unknown) => e instanceof PublishError && e.code === 'LAB_ERR_PROXY_PUBLISH' && /in use; choose another with --dns-port/.test(e.message));
    } finally {
      blocker.close();
    }
  });
});
