// Terminal sessions through the real server: a real bash in a pty, real WebSockets.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLabServer, type LabServer } from '../../../sandbox/server/lab-server.ts';
import { TermClient } from '../../../sandbox/terminal/node-client.ts';
import { CLOSE, FLOW } from '../../../sandbox/terminal/protocol.ts';
import { REPO_ROOT } from '../../../sandbox/terminal/workspace.ts';
import { MIRROR_BOUNDS } from '../../../sandbox/terminal/screen-mirror.ts';
import { waitFor } from '../../support/wait.ts';
import { pidAlive } from '../../support/process-tree.mjs';

const base = (s: LabServer) => `http://127.0.0.1:${s.port}`;
const open = (s: LabServer, extra: Partial<Parameters<typeof TermClient.open>[0]> = {}) =>
  TermClient.open({ base: base(s), token: s.token, ...extra });
const PROMPT = /coredns-lab.*:.*lab.*[$#] /; // "#" when the tests run as root

describe('terminal sessions', () => {
  let dir: string;
  let server: LabServer;
  const clients: TermClient[] = [];
  const track = (c: TermClient) => (clients.push(c), c);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lab-term-'));
    server = await startLabServer({ host: '127.0.0.1', port: 0, stateDir: dir, idleTimeoutMs: 60_000, siteDist: null });
  });
  after(async () => {
    for (const c of clients) c.ws.terminate();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the shell starts in the workspace with the lab prompt and environment', async () => {
    const c = track(await open(server));
    await c.waitFor(PROMPT);
    c.type(`printf 'env=%s|%s|%s\\n' "$KUBECONFIG" "$KUBECACHEDIR" "$(readlink -f templates)"\r`);
    await c.waitFor(/env=(\S+)\|(\S+)\|(\S+)\r\n/);
    const [, kubeconfig, cache, templates] = /env=(\S+)\|(\S+)\|(\S+)\r\n/.exec(c.text)!;
    assert.equal(kubeconfig, join(realpathSync(dir), 'kubeconfig'));
    assert.equal(cache, join(realpathSync(dir), 'sessions', c.attached!.session, 'kube-cache'));
    assert.equal(templates, realpathSync(join(REPO_ROOT, 'lessons', 'templates')));
  });

  test('a reconnect with the session id replays the screen of the same shell', async () => {
    const a = track(await open(server));
    await a.waitFor(PROMPT);
    a.type('echo mark-$((6*7)) pid-$$\r');
    await a.waitFor(/mark-42 pid-\d+/);
    const pid = /mark-42 pid-(\d+)/.exec(a.text)![1];
    await a.close();
    const b = track(await open(server, { session: a.attached!.session }));
    assert.equal(b.attached!.session, a.attached!.session);
    assert.equal(b.attached!.restored, true);
    assert.match(b.attached!.screen, /mark-42 pid-\d+/);
    b.type('echo again-pid-$$\r');
    await b.waitFor(`again-pid-${pid}`);
  });

  test('an unknown session id gets a fresh shell, not an error', async () => {
    const c = track(await open(server, { session: 'no-such-session-id' }));
    assert.notEqual(c.attached!.session, 'no-such-session-id');
    assert.equal(c.attached!.restored, false);
  });

  test('a running command survives a dropped socket', async () => {
    const a = track(await open(server));
    await a.waitFor(PROMPT);
    const done = join(dir, 'dropped-socket-done');
    a.type(`sleep 1; echo after-$((2+3)); : > ${done}\r`);
    await a.waitFor('sleep 1;');
    const session = server.sessions.get(a.attached!.session)!;
    a.ws.terminate(); // like a network drop: no close handshake
    await waitFor(() => !session.isAttached, { what: 'the server to see the socket gone' });
    // the marker file is written after the echo: the command ran to its end with nobody attached
    await waitFor(() => existsSync(done), { what: 'the command to finish while detached' });
    const b = track(await open(server, { session: a.attached!.session }));
    await b.waitFor('after-5');
  });

  test('resize reaches the shell', async () => {
    const c = track(await open(server, { cols: 100, rows: 30 }));
    await c.waitFor(PROMPT);
    c.type('echo size-$(stty size | tr " " x)\r');
    await c.waitFor('size-30x100');
    c.send({ t: 'resize', cols: 120, rows: 40 });
    const from = c.length;
    c.type('echo size-$(stty size | tr " " x)\r');
    await c.waitFor('size-40x120', 10_000, from);
  });

  test('a second attach takes the session over and the first socket is told why', async () => {
    const a = track(await open(server));
    await a.waitFor(PROMPT);
    const b = track(await open(server, { session: a.attached!.session }));
    const closed = await a.closed;
    assert.equal(closed.code, CLOSE.LAB_TERM_TAKEN_OVER);
    assert.equal(closed.reason, 'LAB_TERM_TAKEN_OVER');
    assert.equal(b.attached!.restored, true);
  });

  test('a watcher sees the screen and live output read-only, and notices reach page and watcher', async () => {
    const page = track(await open(server));
    await page.waitFor(PROMPT);
    page.type('echo before-$((2+3))\r');
    await page.waitFor(/before-5\r\n/);
    const viewer = track(await open(server, { session: page.attached!.session, watch: true }));
    assert.equal(viewer.attached!.session, page.attached!.session);
    await viewer.waitFor(/before-5/);
    viewer.type('echo from-viewer\r');
    page.type('echo after-$((3+4))\r');
    await viewer.waitFor(/after-7\r\n/);
    await page.waitFor(/after-7\r\n/);
    assert.doesNotMatch(page.text, /from-viewer/, "a viewer's input never reaches the shell");
    assert.ok(server.sessions.notice('info', 'Break until 11:00') >= 1, 'counts the pages it reached');
    await waitFor(() => page.notices[0] && viewer.notices[0], { what: 'the notice on page and viewer' });
    assert.deepEqual([page.notices[0]!.text, viewer.notices[0]!.level], ['Break until 11:00', 'info']);
    assert.equal(page.ws.readyState, page.ws.OPEN, 'the page keeps its session: a viewer is no takeover');
  });

  test('a watch with no shell to watch is refused with LAB_TERM_NOTHING_TO_WATCH', async () => {
    const dir2 = mkdtempSync(join(tmpdir(), 'coredns-lab-watch-'));
    const empty = await startLabServer({ host: '127.0.0.1', port: 0, stateDir: dir2, idleTimeoutMs: 60_000, siteDist: null });
    try {
      const viewer = await open(empty, { watch: true });
      const closed = await viewer.closed;
      assert.equal(closed.code, CLOSE.LAB_TERM_NOTHING_TO_WATCH);
      assert.match(viewer.closing!.message, /no terminal is open in this lab yet/);
    } finally {
      await empty.close();
      rmSync(dir2, { recursive: true, force: true });
    }
  });

  test('exiting the shell ends the session with a reason', async () => {
    const c = track(await open(server));
    await c.waitFor(PROMPT);
    const id = c.attached!.session;
    c.type('exit 3\r');
    const closed = await c.closed;
    assert.equal(closed.code, CLOSE.LAB_TERM_SHELL_EXITED);
    assert.match(c.closing!.message, /exited \(code 3\)/);
    assert.equal(server.sessions.get(id), undefined);
  });

  test('a malformed frame is refused with LAB_TERM_BAD_MESSAGE', async () => {
    const c = track(await open(server));
    c.ws.send('{"t":"resize","cols":-1,"rows":5}');
    const closed = await c.closed;
    assert.equal(closed.code, CLOSE.LAB_TERM_BAD_MESSAGE);
    assert.match(c.closing!.message, /resize.cols must be an integer/);
  });

  test('flow control: output stops while the page does not render, and resumes when it does', async () => {
    const c = track(await open(server));
    await c.waitFor(PROMPT);
    c.autoAck = false;
    c.type('seq 1 3000000; echo seq-done-$((1+1))\r');
    await c.until(() => c.bytes > FLOW.highWater, 20_000, 'the first half MiB of output');
    const session = server.sessions.get(c.attached!.session)!;
    await c.until(() => session.backpressure.paused, 10_000, 'the pty to pause');
    const held = c.bytes;
    // a WebSocket ping's pong comes after every frame the server sent before it: what was in flight
    // when the pty paused has arrived, and nothing the paused pty could still produce is mistaken for it
    await new Promise<void>((resolve) => {
      c.ws.once('pong', () => resolve());
      c.ws.ping();
    });
    // bounded: at most the high-water mark plus the chunks in flight when it paused
    assert.ok(c.bytes <= FLOW.highWater + 256 * 1024, `unacked output grew to ${c.bytes} bytes`);
    assert.ok(c.bytes - held <= 256 * 1024, `output kept flowing while paused: ${c.bytes - held} bytes`);
    assert.ok(session.mirrorBacklog <= MIRROR_BOUNDS.keep + MIRROR_BOUNDS.window + 256 * 1024, `mirror backlog ${session.mirrorBacklog}`);
    assert.ok(pidAlive(session.pid), 'the shell must still be running');
    c.autoAck = true;
    c.send({ t: 'ack', n: c.bytes });
    await c.until(() => c.bytes > held + 4 * FLOW.highWater, 20_000, 'output to resume after the ack');
    assert.ok(pidAlive(session.pid));
    // stop the flood and get the prompt back: the shell is still responsive
    const from = c.length;
    c.type('\x03');
    await c.waitFor(PROMPT, 20_000, from);
    c.type('echo back-$((3+4))\r');
    await c.waitFor('back-7', 10_000, from);
  });
});

describe('replay after a flood', () => {
  test('output larger than the mirror keeps still replays its end, and the mirror stays bounded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-flood-'));
    const server = await startLabServer({ host: '127.0.0.1', port: 0, stateDir: dir, idleTimeoutMs: 60_000, siteDist: null });
    try {
      const a = await open(server);
      await a.waitFor(PROMPT);
      const session = server.sessions.get(a.attached!.session)!;
      let peak = 0;
      a.onData = () => (peak = Math.max(peak, session.mirrorBacklog));
      a.type('seq 1 1200000; echo flood-done-$((1+1))\r'); // about 8.9 MB, twice what the mirror keeps
      await a.waitFor('flood-done-2', 50_000);
      assert.ok(peak <= MIRROR_BOUNDS.keep + MIRROR_BOUNDS.window + 256 * 1024, `mirror backlog peaked at ${peak}`);
      a.ws.terminate();
      const b = await open(server, { session: a.attached!.session });
      assert.match(b.attached!.screen, /1199999\r\n1200000\r\n/);
      assert.match(b.attached!.screen, /flood-done-2/);
      b.type('echo still-$((5+5))\r');
      await b.waitFor('still-10');
      b.ws.terminate();
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('idle reaping', () => {
  test('an idle session is ended, its shell killed and the page told why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-reap-'));
    const server = await startLabServer({ host: '127.0.0.1', port: 0, stateDir: dir, idleTimeoutMs: 1000, siteDist: null });
    try {
      const c = await open(server);
      // no input at all: the timer runs from the attach
      const session = server.sessions.get(c.attached!.session)!;
      const pid = session.pid;
      const closed = await c.closed;
      assert.equal(closed.code, CLOSE.LAB_TERM_IDLE_REAPED);
      assert.equal(c.closing?.t, 'closing');
      assert.match(c.closing!.message, /without input/);
      assert.equal(server.sessions.size, 0);
      await waitFor(() => !pidAlive(pid), { what: `shell ${pid} to be gone after reaping`, timeout: 5000 });
      const again = await open(server, { session: c.attached!.session });
      assert.equal(again.attached!.restored, false);
      again.ws.terminate();
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a shell that ignores SIGHUP is killed once its session ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-reap-'));
    const server = await startLabServer({ host: '127.0.0.1', port: 0, stateDir: dir, idleTimeoutMs: 1500, siteDist: null });
    try {
      const c = await open(server);
      await c.waitFor(PROMPT);
      c.type(`trap '' HUP; echo hup-$((6*7))\r`);
      await c.waitFor(/hup-42/);
      const pid = server.sessions.get(c.attached!.session)!.pid;
      const closed = await c.closed;
      assert.equal(closed.code, CLOSE.LAB_TERM_IDLE_REAPED);
      await waitFor(() => !pidAlive(pid), { what: `shell ${pid} (HUP ignored) to be killed after its session ended`, timeout: 10_000 });
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
