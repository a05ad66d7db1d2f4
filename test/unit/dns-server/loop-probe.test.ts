// The loop plugin's probe schedule, as CoreDNS's loop/setup.go has it: one HINFO probe; once it is
// answered, no more are sent. Real UDP to a socket standing in for the server, node's mock timers.
import { test, describe, mock, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import * as dnsPacket from 'dns-packet';
import { LoopHandler } from '../../../dns-server/plugins/loop/handler.ts';
import type { InstanceShared } from '../../../dns-server/core/shared.ts';

async function standIn() {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const probes: Array<{ msg: Buffer; rinfo: dgram.RemoteInfo }> = [];
  const waiters: Array<() => void> = [];
  sock.on('message', (msg, rinfo) => { probes.push({ msg, rinfo }); waiters.splice(0).forEach((w) => w()); });
  const next = (n: number) => new Promise<void>((r) => (probes.length >= n ? r() : waiters.push(() => { if (probes.length >= n) r(); })));
  return { sock, port: sock.address().port, probes, next };
}

const shared = (port: number) => ({ dnsAddress: () => ({ host: '127.0.0.1', port }), fatal: () => {} }) as unknown as InstanceShared;
// lets socket events already queued be delivered (no timer involved)
const settle = async () => { for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r)); };

describe('loop probes', () => {
  afterEach(() => mock.timers.reset());

  test('an answered probe is the only one', async () => {
    const s = await standIn();
    mock.timers.enable({ apis: ['setTimeout'] });
    const h = new LoopHandler('.', 53, shared(s.port), () => {});
    await h.start();
    await s.next(1);
    const q = dnsPacket.decode(s.probes[0]!.msg);
    assert.equal(q.questions![0]!.type, 'HINFO');
    assert.match(q.questions![0]!.name, /^\d+\.\d+$/);
    s.sock.send(dnsPacket.encode({ type: 'response', id: q.id, questions: q.questions, flags: 0 }), s.probes[0]!.rinfo.port, '127.0.0.1');
    for (let i = 0; i < 200 && h.probing; i++) await settle();
    assert.equal(h.probing, false, 'the reply ends probing');
    mock.timers.tick(60_000);
    await settle();
    assert.equal(s.probes.length, 1);
    await h.stop();
    s.sock.close();
  });
});
