// What another local user could read or inject into a running sandbox, tried for real on a
// `sandbox up --dns-port 0`: the state dir's modes (it holds Secrets in wal.log and
// snapshot.json), a state dir an older lab left 0755/0644, and the UDP sockets of the process:
// all on 127.0.0.1, and a datagram sent to a flow socket from anyone but its backend is dropped.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import { chmodSync, existsSync, lstatSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as packet from 'dns-packet';
import { Sandbox, tempDir } from './sandbox-process.ts';

/** every file and directory under dir (not following symlinks), with its permission bits */
function modes(dir: string): Array<{ path: string; dir: boolean; mode: number }> {
  const out: Array<{ path: string; dir: boolean; mode: number }> = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isSymbolicLink()) continue;
    out.push({ path, dir: e.isDirectory(), mode: lstatSync(path).mode & 0o777 });
    if (e.isDirectory()) out.push(...modes(path));
  }
  return out;
}

const octal = (m: number) => `0${m.toString(8)}`;

/** The lab's own entries must be 0700 (dirs) and 0600 (files); `others` are left as they were. */
function assertPrivate(stateDir: string, others: string[] = []): void {
  assert.equal(octal(statSync(stateDir).mode & 0o777), '0700', `${stateDir}`);
  const wrong = modes(stateDir)
    .filter((e) => !others.includes(e.path))
    .filter((e) => e.mode !== (e.dir ? 0o700 : 0o600))
    .map((e) => `${e.path} ${octal(e.mode)}`);
  assert.deepEqual(wrong, []);
}

interface UdpSocketRow {
  local: string;
  port: number;
}

/** the UDP sockets `ss -uanp` lists for one pid */
function udpSocketsOf(pid: number): UdpSocketRow[] {
  const out = execFileSync('ss', ['-uanp'], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.includes(`pid=${pid},`))
    .map((l) => {
      const local = l.trim().split(/\s+/)[3]!;
      const cut = local.lastIndexOf(':');
      return { local: local.slice(0, cut), port: Number(local.slice(cut + 1)) };
    });
}

function query(id: number, name: string): Buffer {
  return packet.encode({ type: 'query', id, flags: packet.RECURSION_DESIRED, questions: [{ type: 'A', name, class: 'IN' }] });
}

/** a client socket that hands out the datagrams it receives, in order */
function udpClient(): { socket: dgram.Socket; next: () => Promise<Buffer>; ready: Promise<void> } {
  const socket = dgram.createSocket('udp4');
  const queue: Buffer[] = [];
  const waiting: Array<(b: Buffer) => void> = [];
  socket.on('message', (m) => {
    const w = waiting.shift();
    if (w) w(m);
    else queue.push(m);
  });
  const ready = new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  return { socket, ready, next: () => (queue.length ? Promise.resolve(queue.shift()!) : new Promise((r) => waiting.push(r))) };
}

const send = (s: dgram.Socket, msg: Buffer, port: number) => new Promise<void>((r, j) => s.send(msg, port, '127.0.0.1', (e) => (e ? j(e) : r())));

type Client = ReturnType<typeof udpClient>;

/** Sends a query until its answer comes (the DNS pods start after "sandbox ready"), as dig retries. */
async function ask(c: Client, id: number, name: string, port: number): Promise<packet.DecodedPacket> {
  const msg = query(id, name);
  await send(c.socket, msg, port);
  const retry = setInterval(() => void send(c.socket, msg, port), 1000);
  try {
    for (;;) {
      const reply = packet.decode(await c.next());
      if (reply.id === id) return reply;
    }
  } finally {
    clearInterval(retry);
  }
}

/** the datagrams the client receives until the answer to `id`: anything else in them was not asked for */
async function receivedUntil(c: Client, id: number): Promise<number[]> {
  const ids: number[] = [];
  for (;;) {
    const got = packet.decode(await c.next()).id!;
    ids.push(got);
    if (got === id) return ids;
  }
}

describe('sandbox up keeps its state private and its sockets on loopback', () => {
  const stateDir = tempDir('private');
  let sb: Sandbox & { kubeconfig: string };

  before(async () => {
    sb = await Sandbox.up(stateDir, ['--dns-port', '0']);
  });
  after(async () => {
    await sb?.stop('SIGKILL');
    rmSync(stateDir, { recursive: true, force: true });
  });

  test('the state dir is 0700 and wal.log, kubeconfig, api-port, the lock and every other file in it 0600', () => {
    for (const f of ['kubeconfig', 'api-port', 'sandbox.pid', 'cluster/wal.log']) assert.ok(existsSync(join(stateDir, f)), `${f} exists`);
    assertPrivate(stateDir);
  });

  test('every UDP socket of the sandbox, the --dns-port flows included, is bound to 127.0.0.1', async () => {
    const c = udpClient();
    await c.ready;
    const reply = await ask(c, 1, 'kubernetes.default.svc.cluster.local', sb.dnsPort!);
    assert.equal((reply.flags ?? 0) & 0xf, 0, 'rcode NOERROR');
    const sockets = udpSocketsOf(sb.child.pid!);
    assert.ok(sockets.length >= 2, `ss -uanp lists the published port and a flow: ${JSON.stringify(sockets)}`);
    assert.deepEqual(sockets.filter((s) => s.local !== '127.0.0.1'), []);
    c.socket.close();
  });

  test('a datagram injected into the flow sockets from another port is not relayed to the client', async () => {
    const c = udpClient();
    await c.ready;
    const before = new Set(udpSocketsOf(sb.child.pid!).map((s) => s.port));
    await ask(c, 2, 'kube-dns.kube-system.svc.cluster.local', sb.dnsPort!);
    // the flow this client got is among the sockets that appeared; every one of them (and every
    // other socket of the process but the published port) gets a forged reply from a stranger
    const targets = udpSocketsOf(sb.child.pid!).map((s) => s.port).filter((p) => p !== sb.dnsPort);
    assert.ok(targets.some((p) => !before.has(p)), 'the query opened a flow socket');
    const forged = packet.encode({ type: 'response', id: 0xbeef, flags: 0, questions: [{ type: 'A', name: 'evil.example', class: 'IN' }], answers: [{ type: 'A', name: 'evil.example', ttl: 60, data: '6.6.6.6' }] });
    const stranger = dgram.createSocket('udp4');
    stranger.on('message', () => undefined); // DNS servers answer the junk; that goes to the stranger
    await new Promise<void>((r) => stranger.bind(0, '127.0.0.1', () => r()));
    for (const port of targets) await send(stranger, forged, port);
    // the forged datagrams sit in the flow socket's queue before this query is even sent, so a
    // flow that relayed them would deliver one to the client before this reply (the only other
    // datagrams possible are late answers to a retried query 2)
    await send(c.socket, query(3, 'kube-dns.kube-system.svc.cluster.local'), sb.dnsPort!);
    const ids = await receivedUntil(c, 3);
    assert.deepEqual(ids.filter((id) => id !== 2 && id !== 3), [], `the client received datagrams it did not ask for: ids ${ids.join(', ')}`);
    stranger.close();
    c.socket.close();
  });

  test('after a stop, snapshot.json and wal.log are 0600 too', async () => {
    assert.equal(await sb.stop('SIGTERM'), 0);
    assert.ok(existsSync(join(stateDir, 'cluster', 'snapshot.json')));
    assertPrivate(stateDir);
  });

  test('a state dir an older lab left 0755/0644 is tightened on the next up; files not the lab\'s are left alone', async () => {
    for (const e of modes(stateDir)) chmodSync(e.path, e.dir ? 0o755 : 0o644);
    chmodSync(stateDir, 0o755);
    const notes = join(stateDir, 'notes.txt');
    writeFileSync(notes, 'mine\n');
    chmodSync(notes, 0o644);
    assert.equal(octal(lstatSync(join(stateDir, 'cluster', 'wal.log')).mode & 0o777), '0644');
    sb = await Sandbox.up(stateDir, ['--dns-port', '0']);
    assertPrivate(stateDir, [notes]);
    assert.equal(octal(lstatSync(notes).mode & 0o777), '0644');
  });
});
