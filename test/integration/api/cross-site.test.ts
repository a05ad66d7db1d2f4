// What a web page in the learner's browser could try against the API, refused before any
// routing even when the request carries the token: a cross-site POST (text/plain, the kind a
// form or no-cors fetch sends without a preflight), a DNS-rebinding name in Host, and a
// cross-site exec WebSocket. The API's own address:port, as 127.0.0.1 or localhost, is served.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { Readable } from 'node:stream';
import WebSocket from 'ws';
import type { PodRuntimeHost } from '../../../sandbox/cluster/contracts.ts';
import { startLab, type Lab } from './harness.ts';

let execs = 0;
const runtime: PodRuntimeHost = {
  async exec(_pod, _c, _command, io) {
    execs++;
    io.stdout.write('ran');
    return 0;
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

/**
 * a raw request with exactly these headers plus the admin token: node sends no Origin of its
 * own. The certificate is checked for localhost whatever Host says (node would otherwise check
 * it for the Host header's name): a browser at a rebinding name fails that check too, and the
 * Host gate is what remains when it does not.
 */
/** the apiserver's Status object, as far as these tests read it */
type StatusBody = { kind?: string; reason?: string; code?: number; message: string };

function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; json: StatusBody }> {
  return new Promise((resolve, reject) => {
    const req = request(`${lab.api.url}${path}`, { method, ca: lab.tls.ca, servername: 'localhost', headers: { ...lab.tls.headers, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const configMap = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { planted: 'yes' } });

describe('refused with a 403 Status that names the problem', () => {
  const port = () => lab.api.port;
  const rows: Array<{ name: string; headers: () => Record<string, string>; message: RegExp }> = [
    { name: 'a cross-site POST (Origin of another site)', headers: () => ({ Origin: 'https://attacker.example', 'Content-Type': 'text/plain' }), message: /Origin header \("https:\/\/attacker\.example"\)/ },
    { name: 'a POST from a page on the API\'s own origin (browsers are not clients of this API)', headers: () => ({ Origin: `https://127.0.0.1:${port()}`, 'Content-Type': 'text/plain' }), message: /Origin header/ },
    { name: 'a plain-HTTP Origin of another host (only the API\'s own host:port is a client library\'s)', headers: () => ({ Origin: `http://attacker.example:${port()}`, 'Content-Type': 'text/plain' }), message: /Origin header \("http:\/\/attacker\.example:\d+"\)/ },
    { name: 'a plain-HTTP Origin of the API\'s host with another port', headers: () => ({ Origin: `http://127.0.0.1:${port() + 1}`, 'Content-Type': 'text/plain' }), message: /Origin header/ },
    { name: 'an Origin of "null" (sandboxed iframe, file://)', headers: () => ({ Origin: 'null', 'Content-Type': 'text/plain' }), message: /Origin header \("null"\)/ },
    { name: 'a rebinding name in Host', headers: () => ({ Host: `rebind.attacker.example:${port()}`, 'Content-Type': 'application/json' }), message: /Host "rebind\.attacker\.example:\d+" is not this API's address; connect to https:\/\/127\.0\.0\.1:\d+/ },
    { name: 'Host 127.0.0.1 with another port', headers: () => ({ Host: `127.0.0.1:${port() + 1}`, 'Content-Type': 'application/json' }), message: /is not this API's address/ },
    { name: 'Host without a port', headers: () => ({ Host: '127.0.0.1', 'Content-Type': 'application/json' }), message: /Host "127\.0\.0\.1" is not/ },
  ];
  for (const [i, row] of rows.entries()) {
    test(row.name, async () => {
      const name = `planted-${i}`;
      const r = await send('POST', '/api/v1/namespaces/default/configmaps', row.headers(), configMap(name));
      assert.equal(r.status, 403, JSON.stringify(r.json));
      assert.equal(r.json.kind, 'Status');
      assert.equal(r.json.reason, 'Forbidden');
      assert.equal(r.json.code, 403);
      assert.match(r.json.message, row.message);
      assert.equal(lab.store.get('configmaps', 'default', name), undefined, 'the object must not be created');
      const read = await send('GET', '/api/v1/namespaces/default/secrets', row.headers());
      assert.equal(read.status, 403, 'reads are refused alike (a rebinding page could read the answer)');
    });
  }
});

describe('the API\'s own address is served', () => {
  for (const [i, host] of ['127.0.0.1', 'localhost', 'LOCALHOST'].entries()) {
    test(`Host ${host}:<port>`, async () => {
      const name = `own-${i}`;
      const r = await send('POST', '/api/v1/namespaces/default/configmaps', { Host: `${host}:${lab.api.port}`, 'Content-Type': 'application/json' }, configMap(name));
      assert.equal(r.status, 201, JSON.stringify(r.json));
      assert.equal((lab.store.get('configmaps', 'default', name)?.data as Record<string, string> | undefined)?.planted, 'yes');
    });
  }
});

function openExec(headers: Record<string, string>, origin?: string): Promise<{ status: number; json: StatusBody } | 'open'> {
  return new Promise((resolve, reject) => {
    // ws hands servername on to https.request (its types list only its own options)
    const options: WebSocket.ClientOptions & { servername: string } = { ca: lab.tls.ca, headers, servername: 'localhost', ...(origin ? { origin } : {}) };
    const ws = new WebSocket(`${lab.api.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/p/exec?command=id&container=c&stdout=true`, ['v5.channel.k8s.io'], options);
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(body) }));
    });
    ws.on('error', reject);
  });
}

describe('exec WebSockets from a web page', () => {
  test('a cross-site exec WebSocket is refused with 403 and runs nothing, even with the token', async () => {
    const before = execs;
    const r = await openExec(lab.tls.headers, 'https://attacker.example');
    assert.notEqual(r, 'open');
    if (r === 'open') return;
    assert.equal(r.status, 403);
    assert.equal(r.json.reason, 'Forbidden');
    assert.match(r.json.message, /Origin header \("https:\/\/attacker\.example"\)/);
    assert.equal(execs, before);
  });
  test('an exec WebSocket through a rebinding name is refused', async () => {
    const before = execs;
    const r = await openExec({ ...lab.tls.headers, Host: `rebind.attacker.example:${lab.api.port}` });
    assert.notEqual(r, 'open');
    if (r === 'open') return;
    assert.equal(r.status, 403);
    assert.match(r.json.message, /Host "rebind\.attacker\.example:\d+"/);
    assert.equal(execs, before);
  });
  test('an exec WebSocket from the API\'s own https:// origin is refused (the API serves no pages)', async () => {
    const r = await openExec(lab.tls.headers, `https://127.0.0.1:${lab.api.port}`);
    assert.notEqual(r, 'open');
    if (r !== 'open') assert.equal(r.status, 403);
  });
  test('Python\'s websocket-client Origin (http:// and the address it dialled, which no page on a TLS port can have) runs', async () => {
    const before = execs;
    assert.equal(await openExec(lab.tls.headers, `http://127.0.0.1:${lab.api.port}`), 'open');
    assert.equal(await openExec({ ...lab.tls.headers, Host: `localhost:${lab.api.port}` }, `http://localhost:${lab.api.port}`), 'open');
    assert.equal(execs, before + 2);
  });
  test('the same Origin without the token is still 401', async () => {
    const r = await openExec({}, `http://127.0.0.1:${lab.api.port}`);
    assert.notEqual(r, 'open');
    if (r !== 'open') assert.equal(r.status, 401);
  });
  test('the same WebSocket without Origin, as kubectl opens it, runs', async () => {
    const before = execs;
    assert.equal(await openExec(lab.tls.headers), 'open');
    assert.equal(execs, before + 1);
  });
});
