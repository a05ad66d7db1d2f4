// The lab server's security defaults, probed over real HTTP and WebSocket connections.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer as createTcpServer, type AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { spawn } from 'node:child_process';
import { startLabServer, type LabServer } from '../../../sandbox/server/lab-server.ts';
import { TERMINAL_WS_PATH } from '../../../sandbox/terminal/protocol.ts';
import { send } from './raw-http.ts';

/** Resolves to the HTTP status of the upgrade: 101 when accepted. */
function upgrade(port: number, headers: Record<string, string>, path = TERMINAL_WS_PATH): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers, perMessageDeflate: false });
    ws.on('open', () => {
      ws.terminate();
      resolve({ status: 101, body: '' });
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('error', (err) => reject(err));
  });
}

describe('lab server security', () => {
  let dir: string;
  let server: LabServer;
  let port: number;
  let cookie: string;
  const origin = () => `http://127.0.0.1:${port}`;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lab-sec-'));
    const dist = join(dir, 'dist');
    mkdirSync(join(dist, 'client'), { recursive: true });
    writeFileSync(join(dist, 'client', 'index.html'), '<!doctype html><title>fixture</title><div data-terminal></div>');
    server = await startLabServer({ host: '127.0.0.1', port: 0, stateDir: join(dir, 'state'), idleTimeoutMs: 60_000, siteDist: dist });
    port = server.port;
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('listens on 127.0.0.1 only', async () => {
    assert.match(server.url, new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?token=[A-Za-z0-9_-]{32}$`));
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    const target = external?.address ?? '127.0.0.2';
    // 127.0.0.2 is loopback too, but not the bound address: it must be refused as well
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      const s = connect({ host: target, port }, () => {
        s.destroy();
        resolve(null);
      });
      s.on('error', resolve);
    });
    assert.equal(err?.code, 'ECONNREFUSED', `connecting to ${target}:${port} must be refused`);
  });

  test('every path needs the token: 401 without it', async () => {
    for (const path of ['/', '/index.html', '/api/status', '/api/nothing', '/_astro/x.js']) {
      const r = await send(port, path);
      assert.equal(r.status, 401, path);
      assert.equal(JSON.parse(r.body).error.code, 'LAB_ERR_UNAUTHORIZED', path);
    }
    const page = await send(port, '/', { Accept: 'text/html' });
    assert.equal(page.status, 401);
    assert.match(page.body, /URL coredns-lab serve printed/);
  });

  test('a wrong token is refused and says the token changes per start', async () => {
    const r = await send(port, '/?token=not-the-token', { Accept: 'text/html' });
    assert.equal(r.status, 401);
    assert.match(r.body, /changes on every start/);
    assert.equal(r.headers['set-cookie'], undefined);
  });

  test('the token is exchanged for an HttpOnly SameSite=Strict cookie and dropped from the URL', async () => {
    const r = await send(port, `/?token=${server.token}`);
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, '/');
    const set = r.headers['set-cookie']?.[0] ?? '';
    assert.match(set, /HttpOnly/);
    assert.match(set, /SameSite=Strict/);
    cookie = set.split(';')[0]!;
    const page = await send(port, '/', { Cookie: cookie });
    assert.equal(page.status, 200);
    assert.match(page.body, /data-terminal/);
  });

  test('a bearer token works for API clients', async () => {
    const r = await send(port, '/api/status', { Authorization: `Bearer ${server.token}` });
    assert.equal(r.status, 200);
    assert.equal(typeof JSON.parse(r.body).cluster.state, 'string');
  });

  test('responses carry a Content-Security-Policy and anti-framing headers', async () => {
    const r = await send(port, '/', { Cookie: cookie });
    const csp = String(r.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(r.headers['x-frame-options'], 'DENY');
    assert.equal(r.headers['referrer-policy'], 'no-referrer');
    const refused = await send(port, '/');
    assert.match(String(refused.headers['content-security-policy']), /default-src 'self'/);
  });

  const hosts: Array<{ name: string; host: (p: number) => string; status: number }> = [
    { name: 'the bound address', host: (p) => `127.0.0.1:${p}`, status: 200 },
    { name: 'localhost', host: (p) => `localhost:${p}`, status: 200 },
    { name: 'a rebinding domain', host: (p) => `evil.example:${p}`, status: 403 },
    { name: 'a look-alike suffix', host: (p) => `127.0.0.1.evil.example:${p}`, status: 403 },
    { name: 'the right host on another port', host: (p) => `127.0.0.1:${p + 1}`, status: 403 },
    { name: 'no port (port 80)', host: () => '127.0.0.1', status: 403 },
  ];
  for (const row of hosts)
    test(`Host header: ${row.name} -> ${row.status}`, async () => {
      const r = await send(port, '/api/status', { Host: row.host(port), Cookie: cookie });
      assert.equal(r.status, row.status);
      if (row.status === 403) assert.equal(JSON.parse(r.body).error.code, 'LAB_ERR_HOST_NOT_ALLOWED');
    });

  test('a cross-site POST is refused by Origin even with the cookie', async () => {
    const r = await send(port, '/api/status', { Cookie: cookie, Origin: 'http://evil.example' }, 'POST');
    assert.equal(r.status, 403);
    assert.equal(JSON.parse(r.body).error.code, 'LAB_ERR_ORIGIN_NOT_ALLOWED');
  });

  const sockets: Array<{ name: string; headers: () => Record<string, string>; status: number; code?: string }> = [
    { name: 'cookie and same Origin', headers: () => ({ Cookie: cookie, Origin: origin() }), status: 101 },
    { name: 'bearer token and same Origin', headers: () => ({ Authorization: `Bearer ${server.token}`, Origin: origin() }), status: 101 },
    { name: 'no token', headers: () => ({ Origin: origin() }), status: 401, code: 'LAB_ERR_UNAUTHORIZED' },
    { name: 'wrong token', headers: () => ({ Cookie: `coredns_lab_${port}=nope`, Origin: origin() }), status: 401, code: 'LAB_ERR_UNAUTHORIZED' },
    { name: 'a foreign Origin', headers: () => ({ Cookie: cookie, Origin: 'http://evil.example' }), status: 403, code: 'LAB_ERR_ORIGIN_NOT_ALLOWED' },
    { name: 'same host, other port Origin', headers: () => ({ Cookie: cookie, Origin: `http://127.0.0.1:${port + 1}` }), status: 403, code: 'LAB_ERR_ORIGIN_NOT_ALLOWED' },
    { name: 'no Origin', headers: () => ({ Cookie: cookie }), status: 403, code: 'LAB_ERR_ORIGIN_NOT_ALLOWED' },
    { name: 'a rebinding Host', headers: () => ({ Cookie: cookie, Host: `evil.example:${port}`, Origin: `http://evil.example:${port}` }), status: 403, code: 'LAB_ERR_HOST_NOT_ALLOWED' },
  ];
  for (const row of sockets)
    test(`WebSocket upgrade: ${row.name} -> ${row.status}`, async () => {
      const r = await upgrade(port, row.headers());
      assert.equal(r.status, row.status);
      if (row.code) assert.equal(JSON.parse(r.body).error.code, row.code);
    });

  test('WebSocket upgrade on another path -> 404 (after the gate)', async () => {
    assert.equal((await upgrade(port, { Origin: origin() }, '/ws/other')).status, 401);
    assert.equal((await upgrade(port, { Cookie: cookie, Origin: origin() }, '/ws/other')).status, 404);
  });
});

describe('serve command refusals', () => {
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, ['bin/coredns-lab.js', 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let stdout = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.on('data', (d) => (stdout += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stderr, stdout });
      });
    });

  let remote: ReturnType<typeof run>;
  let busyRun: ReturnType<typeof run>;
  const blocker = createTcpServer();
  let busy = 0;
  const busyDir = mkdtempSync(join(tmpdir(), 'lab-busy-'));
  before(async () => {
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    busy = (blocker.address() as AddressInfo).port;
    // both CLI starts run at once: each one is a few seconds of tsx start-up on a busy machine
    remote = run(['--host', '0.0.0.0', '--port', '0']);
    busyRun = run(['--port', String(busy), '--state-dir', busyDir]);
    await Promise.all([remote, busyRun]);
  });
  after(() => {
    blocker.close();
    rmSync(busyDir, { recursive: true, force: true });
  });

  test('--host 0.0.0.0 is refused without --allow-remote', async () => {
    const r = await remote;
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--allow-remote/);
    assert.match(r.stderr, /"coredns-lab workshop" gives each one a sandboxed seat/);
    assert.equal(r.stdout, '');
  });

  test('a port in use is reported with the fix', async () => {
    const r = await busyRun;
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`port ${busy} on 127.0.0.1 is already in use`));
    assert.match(r.stderr, /--port/);
  });

  // usage errors are checked in-process: the same code path, without a CLI start per row
  const bad: Array<[string[], RegExp]> = [
    [['--idle-timeout', 'soon'], /--idle-timeout must be a duration/],
    [['--port', '70000'], /--port must be an integer from 0 to 65535/],
    [['--provider', 'docker'], /--provider must be one of embedded, kind, minikube, existing/],
    [['--token', 'short'], /--token must be 16 to 128 characters/],
    [['--host', '10.1.2.3'], /--allow-remote/],
    [['--bogus'], /unknown option --bogus/],
    [['extra'], /unexpected argument "extra"/],
  ];
  for (const [args, message] of bad)
    test(`serve ${args.join(' ')} is a usage error`, async () => {
      const { serve } = await import('../../../sandbox/cli/commands/serve.ts');
      const { UsageError } = await import('../../../sandbox/cli/args.ts');
      await assert.rejects(serve.run(args), (err: Error) => err instanceof UsageError && message.test(err.message));
    });
});
