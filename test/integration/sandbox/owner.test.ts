// One owner per state dir (serve or sandbox up) and the control channel that `sandbox status`,
// `reset --in-place` and `down` use to talk to it, driven through the real CLI.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import WebSocket from 'ws';
import { Kubectl, lab, ROOT, Serve, table, tempDir } from './sandbox-process.ts';
import { waitFor } from '../../support/wait.ts';

const CLI = join(ROOT, 'bin', 'coredns-lab.js');
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

describe('20 parallel `sandbox up` on one stale lock', () => {
  const stateDir = tempDir('owner-race');
  after(() => rmSync(stateDir, { recursive: true, force: true }));

  test('exactly one owner says "sandbox ready"; the other 19 are refused with a message naming it', async () => {
    // the stale lock names a live but unrelated process (this test runner) with another start
    // time: a recycled pid, so it is stale; and its dead owner's socket file is still there
    writeFileSync(
      join(stateDir, 'sandbox.pid'),
      JSON.stringify({ pid: process.pid, startTime: '1', owner: 'sandbox up', state: 'running', startedAt: '2017-11-03T00:00:00Z', control: join(stateDir, 'control.sock') }),
    );
    writeFileSync(join(stateDir, 'control.sock'), '');
    const starters = Array.from({ length: 20 }, () => {
      const child = spawn(process.execPath, [CLI, 'sandbox', 'up', '--state-dir', stateDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      const r = { child, stdout: '', stderr: '', code: undefined as number | null | undefined };
      child.stdout.setEncoding('utf8').on('data', (d: string) => (r.stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (r.stderr += d));
      child.on('exit', (code) => (r.code = code));
      return r;
    });
    try {
      // every starter either exits or prints the ready line
      await waitFor(async () => starters.every((s) => s.code !== undefined || /sandbox ready/.test(s.stdout)), { what: 'all 20 starters settled', timeout: 150_000 });
      const winners = starters.filter((s) => /^sandbox ready: KUBECONFIG=/m.test(s.stdout));
      assert.equal(winners.length, 1, starters.map((s) => `${s.child.pid}: ${s.code} ${s.stdout}${s.stderr}`).join('\n'));
      const winner = winners[0]!;
      assert.equal(winner.code, undefined, 'the owner keeps running');
      const losers = starters.filter((s) => s !== winner);
      for (const l of losers) {
        assert.equal(l.code, 1, l.stderr);
        assert.match(l.stderr, new RegExp(`a sandbox is already running on ${esc(stateDir)} \\(pid ${winner.child.pid}: sandbox up since `));
        assert.match(l.stderr, /Stop it first with "coredns-lab sandbox down --state-dir /);
      }
      const lock = JSON.parse(readFileSync(join(stateDir, 'sandbox.pid'), 'utf8'));
      assert.equal(lock.pid, winner.child.pid);
      assert.notEqual(lock.startTime, '1');
      const down = await lab(['sandbox', 'down', '--state-dir', stateDir]);
      assert.equal(down.code, 0, down.stderr);
      assert.match(down.stdout, new RegExp(`sandbox stopped \\(pid ${winner.child.pid}\\)`));
      await waitFor(async () => winner.code === 0, { what: 'the owner exited' });
      assert.ok(!existsSync(join(stateDir, 'sandbox.pid')));
      assert.ok(!existsSync(join(stateDir, 'control.sock')));
    } finally {
      for (const s of starters) if (s.code === undefined) s.child.kill('SIGKILL');
    }
  });
});

/** a shell session over the terminal WebSocket: type a line, wait for text in its output */
async function openTerminal(serve: Serve): Promise<{ ws: WebSocket; output: () => string; closed: () => boolean; close: () => void }> {
  const ws = new WebSocket(`ws://127.0.0.1:${serve.port}/ws/terminal?token=${serve.token}`, { headers: { Origin: `http://127.0.0.1:${serve.port}` }, perMessageDeflate: false });
  let out = '';
  let closed = false;
  ws.on('message', (data, isBinary) => {
    if (isBinary) out += (data as Buffer).toString('utf8');
  });
  ws.on('close', () => (closed = true));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ t: 'hello', session: null, cols: 120, rows: 40 }));
  return { ws, output: () => out, closed: () => closed, close: () => ws.terminate() };
}

describe('serve owns its state dir', () => {
  const stateDir = tempDir('owner-serve');
  let serve: Serve;
  let kubectl: Kubectl;

  before(async () => {
    serve = await Serve.start(stateDir);
    const kubeconfig = join(stateDir, 'kubeconfig');
    await waitFor(async () => JSON.parse((await serve.get('/api/status')).body).cluster.state === 'running', { what: 'the cluster running', timeout: 60_000 });
    kubectl = new Kubectl(kubeconfig);
  });
  after(async () => {
    serve?.kill();
    kubectl?.cleanup();
    rmSync(stateDir, { recursive: true, force: true });
  });

  test('the lock and the control socket are 0600, and the lock names serve and its page', () => {
    assert.equal(mode(join(stateDir, 'sandbox.pid')), 0o600);
    assert.ok(statSync(join(stateDir, 'control.sock')).isSocket());
    assert.equal(mode(join(stateDir, 'control.sock')), 0o600);
    const lock = JSON.parse(readFileSync(join(stateDir, 'sandbox.pid'), 'utf8'));
    assert.equal(lock.pid, serve.child.pid);
    assert.equal(lock.owner, 'serve');
    assert.equal(lock.url, serve.url);
    assert.doesNotMatch(readFileSync(join(stateDir, 'sandbox.pid'), 'utf8'), new RegExp(serve.token), 'the lock holds no token');
  });

  test('a second serve is refused before it listens: it reports the owner, not its own port clash', async () => {
    // hold the port the second serve asks for: had it tried to listen first, it would say "in use"
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const port = (holder.address() as AddressInfo).port;
    try {
      const r = await lab(['serve', '--port', String(port), '--state-dir', stateDir], { timeoutMs: 60_000 });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, new RegExp(`the lab server \\(coredns-lab serve\\) is already running on ${esc(stateDir)} \\(pid ${serve.child.pid}: serve since [^,]+, ${esc(serve.url)}, API https://127\\.0\\.0\\.1:\\d+, KUBECONFIG=`));
      assert.match(r.stderr, /Stop the lab with Ctrl-C in its terminal \(or "coredns-lab sandbox down --force --state-dir /);
      assert.doesNotMatch(r.stderr, /in use|--port/);
      assert.doesNotMatch(r.stdout, /open http/);
    } finally {
      holder.close();
    }
    const up = await lab(['sandbox', 'up', '--state-dir', stateDir]);
    assert.equal(up.code, 1);
    assert.match(up.stderr, new RegExp(`already running on ${esc(stateDir)} \\(pid ${serve.child.pid}: serve since `));
    assert.ok(serve.alive);
  });

  test('status asks the owner over the socket: provider, state, owner kind, pid, API URL, kubeconfig', async () => {
    const r = await lab(['sandbox', 'status', '--json', '--state-dir', stateDir]);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.provider, 'embedded');
    assert.equal(s.state, 'running');
    assert.equal(s.owner, 'serve');
    assert.equal(s.pid, serve.child.pid);
    assert.equal(s.url, serve.url);
    assert.equal(s.kubeconfig, join(stateDir, 'kubeconfig'));
    assert.match(s.apiServer, /^https?:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(s.resetEpoch, 0);
    assert.ok(serve.alive, 'status sends no signal');
  });

  test('reset --in-place keeps the server and a shell running, brings back the Status Quo, and bumps the page\'s reset epoch', async () => {
    const term = await openTerminal(serve);
    try {
      term.ws.send(JSON.stringify({ t: 'in', d: 'echo before-$((6*7))\r' }));
      await waitFor(async () => /before-42/.test(term.output()), { what: 'the shell answers' });
      await kubectl.ok(['create', 'configmap', 'doomed', '--from-literal=a=b']);
      await kubectl.ok(['delete', 'deployment', 'dns-controller', '-n', 'kube-system']);
      const before = JSON.parse((await serve.get('/api/status')).body);
      assert.deepEqual(before.reset, { epoch: 0, at: null });

      const r = await lab(['sandbox', 'reset', '--in-place', '--state-dir', stateDir], { timeoutMs: 90_000 });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`\\(pid ${serve.child.pid}, serve\\) is back at the chapter's Status Quo \\(reset 1\\)`));

      assert.ok(serve.alive, 'the lab server survives');
      const after = await serve.get('/api/status');
      assert.equal(after.status, 200);
      const body = JSON.parse(after.body);
      assert.equal(body.reset.epoch, 1);
      assert.ok(Date.parse(body.reset.at) > 0);
      assert.equal(body.cluster.state, 'running');
      assert.equal(body.terminals, 1, 'the shell is still there');

      assert.equal(term.closed(), false, 'the terminal socket stayed open');
      term.ws.send(JSON.stringify({ t: 'in', d: 'echo after-$((6*7))\r' }));
      await waitFor(async () => /after-42/.test(term.output()), { what: 'the same shell answers after the reset' });

      assert.equal((await kubectl.run(['get', 'configmap', 'doomed'])).code, 1);
      await waitFor(async () => {
        const rows = table(await kubectl.ok(['get', 'pods', '-n', 'kube-system'])).slice(1);
        return rows.length === 4 + 23 && rows.every((x) => x[2] === 'Running') && rows.some((x) => x[0]!.startsWith('dns-controller-'));
      }, { what: 'kube-system back at the Status Quo', timeout: 30_000 });
      const st = JSON.parse((await lab(['sandbox', 'status', '--json', '--state-dir', stateDir])).stdout);
      assert.equal(st.resetEpoch, 1);
    } finally {
      term.close();
    }
  });

  test('plain reset (not in place) refuses while serve owns the state dir and suggests --in-place', async () => {
    const r = await lab(['sandbox', 'reset', '--state-dir', stateDir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot be reset underneath it\. Stop the lab with Ctrl-C .* or reset it in place with "coredns-lab sandbox reset --in-place --state-dir /);
    assert.ok(serve.alive);
  });

  test('down refuses under serve and says how to stop the lab', async () => {
    const r = await lab(['sandbox', 'down', '--state-dir', stateDir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`the lab server owns ${esc(stateDir)} \\(pid ${serve.child.pid}: serve since `));
    assert.match(r.stderr, /Stop the lab with Ctrl-C in its terminal, or run "coredns-lab sandbox down --force --state-dir /);
    assert.ok(serve.alive);
    assert.equal((await serve.get('/api/status')).status, 200);
  });

  test('down --force stops the lab server cleanly and frees the state dir', async () => {
    const pid = serve.child.pid;
    const r = await lab(['sandbox', 'down', '--force', '--state-dir', stateDir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`lab server stopped \\(pid ${pid}\\); its state is kept in `));
    assert.equal(await serve.exited, 0, serve.stderr);
    assert.match(serve.stderr, /sandbox down --force: stopping \(terminals end, cluster state is kept\)/);
    assert.ok(!existsSync(join(stateDir, 'sandbox.pid')));
    assert.ok(!existsSync(join(stateDir, 'control.sock')));
    const st = await lab(['sandbox', 'status', '--state-dir', stateDir]);
    assert.equal(st.code, 3);
  });
});

describe('a state dir whose path is too long for a Unix socket', () => {
  const base = tempDir('owner-long');
  const stateDir = join(base, 'a-rather-long-directory-name-'.repeat(4));
  after(() => rmSync(base, { recursive: true, force: true }));

  test('the socket goes to a private 0700 dir recorded in the lock, and the owner answers there', async () => {
    mkdirSync(stateDir, { recursive: true });
    assert.ok(Buffer.byteLength(join(stateDir, 'control.sock')) > 108);
    const child = spawn(process.execPath, [CLI, 'sandbox', 'up', '--state-dir', stateDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    try {
      await waitFor(async () => /sandbox ready/.test(out), { what: 'sandbox ready', timeout: 60_000 });
      const lock = JSON.parse(readFileSync(join(stateDir, 'sandbox.pid'), 'utf8'));
      assert.ok(!lock.control.startsWith(stateDir));
      assert.ok(Buffer.byteLength(lock.control) <= 107);
      assert.equal(mode(lock.control), 0o600);
      assert.equal(mode(join(lock.control, '..')), 0o700);
      const st = await lab(['sandbox', 'status', '--json', '--state-dir', stateDir]);
      assert.equal(st.code, 0, st.stderr);
      assert.equal(JSON.parse(st.stdout).pid, child.pid);
      const down = await lab(['sandbox', 'down', '--state-dir', stateDir]);
      assert.equal(down.code, 0, down.stderr);
      assert.equal(await exited, 0);
      assert.ok(!existsSync(join(lock.control, '..')), 'the private dir is removed');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
