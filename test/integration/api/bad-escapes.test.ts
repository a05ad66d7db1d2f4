// A path with a bad percent-escape is the client's error: the API answers 400 with a BadRequest
// Status (it was a 500 InternalError), on plain requests and on exec/attach upgrades (where the
// throw used to escape the upgrade handler and end the whole process).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:tls';
import { startLab, type Lab } from './harness.ts';

let lab: Lab;
before(async () => {
  lab = await startLab();
});
after(() => lab.close());

/** one raw HTTP/1.1 exchange over TLS: fetch and the http client would refuse or rewrite these paths */
function raw(request: string): Promise<{ status: number; body: string }> {
  const u = new URL(lab.api.url);
  return new Promise((resolve, reject) => {
    const s = connect({ port: Number(u.port), host: u.hostname, ca: lab.tls.ca }, () => s.end(request));
    let text = '';
    s.setEncoding('utf8');
    s.on('data', (d) => (text += d));
    s.on('error', reject);
    s.on('close', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), body });
    });
  });
}

const rows: Array<{ name: string; path: string; bad: string }> = [
  { name: 'a name', path: '/api/v1/namespaces/default/configmaps/%zz', bad: '%zz' },
  { name: 'a namespace', path: '/api/v1/namespaces/%E0%A4%A/pods', bad: '%E0%A4%A' },
  { name: 'a cut escape at the end', path: '/apis/apps/v1/namespaces/default/deployments/web%4', bad: '%4' },
];

describe('bad percent-escapes in API paths', () => {
  for (const row of rows)
    test(`in ${row.name}: 400 BadRequest Status`, async () => {
      const r = await raw(`GET ${row.path} HTTP/1.1\r\nHost: ${new URL(lab.api.url).host}\r\nAuthorization: ${lab.tls.headers.Authorization}\r\nAccept: application/json\r\nConnection: close\r\n\r\n`);
      assert.equal(r.status, 400);
      const status = JSON.parse(r.body);
      assert.equal(status.kind, 'Status');
      assert.equal(status.status, 'Failure');
      assert.equal(status.reason, 'BadRequest');
      assert.equal(status.code, 400);
      assert.match(status.message, /^invalid URL escape "%/);
    });

  test('on an exec upgrade: 400 BadRequest, and the server keeps serving', async () => {
    const r = await raw(
      `GET /api/v1/namespaces/default/pods/%zz/exec?command=sh HTTP/1.1\r\nHost: ${new URL(lab.api.url).host}\r\nAuthorization: ${lab.tls.headers.Authorization}\r\n` +
        'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    assert.equal(r.status, 400);
    assert.equal(JSON.parse(r.body).reason, 'BadRequest');
    const after = await lab.kubectl(['get', 'configmaps', '-A', '-o', 'name']);
    assert.equal(after.code, 0, after.stderr);
  });
});
