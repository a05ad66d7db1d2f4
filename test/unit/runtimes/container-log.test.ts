// The kubelet-style container log: kubectl's options over a bounded ring of timestamped lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { ContainerLog, kubeletTimestamp } from '../../../sandbox/cluster/runtimes/container-log.ts';

async function text(r: Readable): Promise<string> {
  let s = '';
  for await (const c of r) s += c;
  return s;
}

test('lines become visible when complete; close flushes a partial line', async () => {
  const log = new ContainerLog();
  log.write('one\ntw');
  assert.equal(await text(log.read()), 'one\n');
  log.write('o\nthree');
  log.close();
  assert.equal(await text(log.read()), 'one\ntwo\nthree\n');
});

test('tailLines, limitBytes, timestamps', async () => {
  const log = new ContainerLog();
  for (let i = 1; i <= 5; i++) log.line(`line ${i}`);
  assert.equal(await text(log.read({ tailLines: 2 })), 'line 4\nline 5\n');
  assert.equal(await text(log.read({ tailLines: 0 })), '');
  assert.equal(await text(log.read({ limitBytes: 9 })), 'line 1\nli');
  assert.match(await text(log.read({ tailLines: 1, timestamps: true })), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z line 5\n$/);
  assert.equal(kubeletTimestamp(new Date('2017-11-03T01:32:33.123Z')), '2017-11-03T01:32:33.123000000Z');
});

test('the ring is bounded: old lines go first', async () => {
  const log = new ContainerLog(40);
  for (let i = 0; i < 20; i++) log.line(`entry-${i}`);
  const lines = (await text(log.read())).trim().split('\n');
  assert.ok(Buffer.byteLength(lines.join('\n') + '\n') <= 40);
  assert.equal(lines[lines.length - 1], 'entry-19');
  assert.ok(!lines.includes('entry-0'));
});

test('follow streams new lines and ends when the container stops', async () => {
  const log = new ContainerLog();
  log.line('before');
  const stream = log.read({ follow: true });
  const got = text(stream);
  log.line('after');
  log.close();
  assert.equal(await got, 'before\nafter\n');
});

test('a follower that goes away is forgotten', async () => {
  const log = new ContainerLog();
  const stream = log.read({ follow: true });
  stream.destroy();
  log.line('nobody listens');
  log.close();
  assert.equal(stream.destroyed, true);
});
