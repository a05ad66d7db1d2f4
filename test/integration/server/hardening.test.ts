// The lab server against what another localhost service or a sloppy client sends, over real
// HTTP and WebSocket connections: a planted cookie of the same name, a cookie for another
// port, and paths with bad percent-escapes.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startLabServer, type LabServer } from '../../../sandbox/server/lab-server.ts';
import { TERMINAL_WS_PATH } from '../../../sandbox/terminal/protocol.ts';
import { send } from './raw-http.ts';

function upgradeStatus(port: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${TERMINAL_WS_PATH}`, { headers, perMessageDeflate: false });
    ws.on('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    ws.on('error', reject);
  });
}

describe('lab server hardening', () => {
  let dir: string;
  let server: LabServer;
  let port: number;
  let ours: string;
  let browserId: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lab-hard-'));
    const dist = join(dir, 'dist');
    mkdirSync(join(dist, 'client'), { recursive: true });
    writeFileSync(join(dist, 'client', 'index.html'), '<!doctype html><title>fixture</title>');
    server = await startLabServer({ host: '127.0.0.1', port: 0, stateDir: join(dir, 'state'), idleTimeoutMs: 60_000, siteDist: dist });
    port = server.port;
    const r = await send(port, `/?token=${server.token}`);
    assert.equal(r.status, 303);
    const set = r.headers['set-cookie'] ?? [];
    ours = set.find((c) => c.startsWith(`coredns_lab_${port}=`))!.split(';')[0]!;
    browserId = set.find((c) => c.startsWith(`coredns_lab_${port}_browser=`))?.split(';')[0] ?? '';
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the cookie is named for the port, and the exchange also sets an HttpOnly browser id', () => {
    assert.equal(ours, `coredns_lab_${port}=${server.token}`);
    assert.match(browserId, new RegExp(`^coredns_lab_${port}_browser=[A-Za-z0-9_-]{22}$`));
  });

  // Another service on localhost (any port) sets `coredns_lab_<port>=...` for host 127.0.0.1;
  // the browser then sends both cookies, in an order the page cannot choose.
  const planted = () => `coredns_lab_${port}=planted-by-another-service`;
  const rows: Array<{ name: string; cookie: () => string; status: number }> = [
    { name: 'ours alone', cookie: () => ours, status: 200 },
    { name: 'a planted duplicate, then ours', cookie: () => `${planted()}; ${ours}`, status: 200 },
    { name: 'ours, then a planted duplicate', cookie: () => `${ours}; ${planted()}`, status: 200 },
    { name: 'only the planted one', cookie: () => planted(), status: 401 },
    { name: 'the token under another port\'s cookie name', cookie: () => `coredns_lab_${port + 1}=${server.token}`, status: 401 },
  ];
  for (const row of rows) {
    test(`HTTP with ${row.name} -> ${row.status}`, async () => {
      const r = await send(port, '/api/status', { Cookie: row.cookie() });
      assert.equal(r.status, row.status);
      if (row.status === 401) assert.equal(JSON.parse(r.body).error.code, 'LAB_ERR_UNAUTHORIZED');
    });
    test(`the terminal WebSocket with ${row.name} -> ${row.status === 200 ? 101 : row.status}`, async () => {
      assert.equal(await upgradeStatus(port, { Cookie: row.cookie(), Origin: `http://127.0.0.1:${port}` }), row.status === 200 ? 101 : row.status);
    });
  }

  const escapes: Array<{ path: string; method?: string }> = [
    { path: '/%zz' },
    { path: '/lessons/%' },
    { path: '/api/%zz' },
    { path: '/api/checks/%zz', method: 'POST' },
    { path: '/api/checks/status-quo/%E0%A4%A', method: 'POST' },
    { path: '/api/solve/status-quo/%C0', method: 'POST' },
  ];
  for (const row of escapes)
    test(`${row.method ?? 'GET'} ${row.path} -> 400 LAB_ERR_BAD_REQUEST`, async () => {
      const r = await send(port, row.path, { Cookie: ours, Origin: `http://127.0.0.1:${port}` }, row.method);
      assert.equal(r.status, 400);
      const body = JSON.parse(r.body);
      assert.equal(body.error.code, 'LAB_ERR_BAD_REQUEST');
      assert.match(body.error.message, /malformed percent-escape/);
    });

  test('a bad escape without the token is still a 401: the gate answers first', async () => {
    assert.equal((await send(port, '/api/checks/%zz', {}, 'POST')).status, 401);
  });

  test('a browser asking for a page gets the 400 as HTML', async () => {
    const r = await send(port, '/%zz', { Cookie: ours, Accept: 'text/html' });
    assert.equal(r.status, 400);
    assert.match(String(r.headers['content-type']), /text\/html/);
    assert.match(r.body, /Bad address/);
  });
});
