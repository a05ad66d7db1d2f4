// The mirror's bound with a worker that does not keep up: what waits is trimmed to `keep`, and the
// worker is handed at most `window` at once, so the backlog never exceeds keep + window (plus a chunk).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { MIRROR_BOUNDS, ScreenMirror, type MirrorHost } from '../../../sandbox/terminal/screen-mirror.ts';

const CHUNK = 64 * 1024;

/** a worker that parses nothing until told to: it records what it was handed */
function slowWorker() {
  const writes: Uint8Array[] = [];
  const host = { broken: false, post: (m: { t: string; data?: Uint8Array }) => void (m.t === 'write' && writes.push(m.data!)), forget: () => {} };
  return { host: host as unknown as MirrorHost, writes, handed: () => writes.reduce((n, w) => n + w.length, 0) };
}

test('a worker that lags gets at most a window at once; the backlog stays within keep + window', async () => {
  const w = slowWorker();
  const m = new ScreenMirror('s', w.host, 80, 24);
  let peak = 0;
  for (let round = 0; round < 4; round++) {
    // a burst of 5 MiB, then a pause long enough for the quiet timer to hand output over
    for (let i = 0; i < 80; i++) {
      m.write(Buffer.alloc(CHUNK, 0x61));
      peak = Math.max(peak, m.backlog);
    }
    await sleep(MIRROR_BOUNDS.quietMs * 3);
    peak = Math.max(peak, m.backlog);
  }
  assert.ok(w.handed() <= MIRROR_BOUNDS.window + CHUNK + 2, `the worker was handed ${w.handed()} bytes without replying`);
  assert.ok(peak <= MIRROR_BOUNDS.keep + MIRROR_BOUNDS.window + CHUNK, `backlog peaked at ${peak}`);
  // the worker catches up: the rest follows, a window at a time
  m.reply({ t: 'written', id: 's', n: w.handed() });
  await sleep(MIRROR_BOUNDS.quietMs * 3);
  assert.ok(w.writes.length >= 2, 'more output is handed over once the worker has parsed the first');
  // after the trim, the next hand-over starts with a terminal reset (RIS)
  assert.equal(Buffer.from(w.writes[0]!.subarray(0, 2)).toString('latin1'), '\x1bc');
  m.dispose();
});

test('a snapshot hands over everything that waited, whatever the window', () => {
  const w = slowWorker();
  const m = new ScreenMirror('s', w.host, 80, 24);
  for (let i = 0; i < 40; i++) m.write(Buffer.alloc(CHUNK, 0x62));
  void m.snapshot();
  assert.equal(w.handed(), 40 * CHUNK);
  assert.equal(m.backlog, 40 * CHUNK);
  m.dispose();
});
