// The exec channel protocol at the frame level: resize frames, the v5 close signal, status
// on channel 3, and v4 for older clients.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import WebSocket from 'ws';
import type { KubeObject, PodRuntimeHost, ProcessStreams } from '../../../sandbox/cluster/contracts.ts';
import { startLab, type Lab } from './harness.ts';

const sizes: Array<{ cols: number; rows: number }> = [];
const runtime: PodRuntimeHost = {
  async exec(_pod: KubeObject, _c: string, command: string[], io: ProcessStreams) {
    io.resize?.on('resize', (s) => sizes.push(s));
    if (command[0] === 'read-all' && io.stdin) {
      let n = 0;
      for await (const chunk of io.stdin) n += (chunk as Buffer).length;
      io.stdout.write(`read ${n} bytes, tty=${io.tty}`);
      return 0;
    }
    return 7;
  },
  async attach() {
    return 0;
  },
  logs: () => Readable.from([]),
};

let lab: Lab;
before(async () => {
  lab = await startLab({ runtime });
  const p = lab.store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'n', containers: [{ name: 'c', image: 'x' }] } });
  lab.store.updateStatus('pods', { ...p, status: { phase: 'Running', containerStatuses: [{ name: 'c', state: { running: {} } }] } });
});
after(() => lab.close());

function open(query: string, protocol: string) {
  const ws = new WebSocket(`${lab.api.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/p/exec?${query}`, [protocol], lab.tls);
  const frames: Buffer[] = [];
  ws.on('message', (d: Buffer) => frames.push(Buffer.from(d)));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  return { ws, frames, closed, opened: new Promise<void>((resolve, reject) => (ws.on('open', () => resolve()), ws.on('error', reject))) };
}

test('v5: resize frames reach the process, [255,0] ends stdin, status on channel 3, close 1000', async () => {
  const c = open('command=read-all&container=c&stdin=true&stdout=true&tty=true', 'v5.channel.k8s.io');
  await c.opened;
  assert.equal(c.ws.protocol, 'v5.channel.k8s.io');
  c.ws.send(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":120,"Height":40}')]));
  c.ws.send(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":0,"Height":0}')]));
  c.ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('hello')]));
  c.ws.send(Buffer.from([255, 0]));
  assert.equal(await c.closed, 1000);
  const out = c.frames.filter((f) => f[0] === 1).map((f) => f.subarray(1).toString()).join('');
  assert.equal(out, 'read 5 bytes, tty=true');
  const status = JSON.parse(c.frames.find((f) => f[0] === 3)!.subarray(1).toString());
  assert.equal(status.status, 'Success');
  assert.deepEqual(sizes, [{ cols: 120, rows: 40 }]);
});

test('v4: a non-zero exit is a NonZeroExitCode status with the code', async () => {
  const c = open('command=other&container=c&stdout=true&stderr=true', 'v4.channel.k8s.io');
  await c.opened;
  assert.equal(c.ws.protocol, 'v4.channel.k8s.io');
  await c.closed;
  const status = JSON.parse(c.frames.find((f) => f[0] === 3)!.subarray(1).toString());
  assert.equal(status.reason, 'NonZeroExitCode');
  assert.deepEqual(status.details.causes, [{ reason: 'ExitCode', message: '7' }]);
});

test('an upgrade that cannot be served is refused with a Status, not a hang', async () => {
  const c = open('container=c&stdout=true', 'v5.channel.k8s.io');
  const err = await c.opened.then(() => undefined, (e: Error) => e);
  assert.match(String(err), /Unexpected server response: 400/);
});
