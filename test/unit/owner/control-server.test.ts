// The control channel's wire protocol (sandbox/owner/control-server.ts): one JSON object per line,
// one response per request with its id, stable error codes, a 0600 socket.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlServer, type ControlServer } from '../../../sandbox/owner/control-server.ts';
import { request } from '../../../sandbox/owner/control-client.ts';
import { ControlError } from '../../../sandbox/owner/errors.ts';
import { ControlErrorCode, MAX_REQUEST_BYTES } from '../../../sandbox/owner/control-protocol.ts';

/** write raw bytes, collect n response lines */
function exchange(
  path: string,
  raw: string,
  n: number,
): Promise<Array<Record<string, unknown> & { error?: { code: string; message: string } }>> {
  return new Promise((resolve, reject) => {
    const s = connect(path);
    let buf = '';
    s.setEncoding('utf8');
    s.on('connect', () => s.write(raw));
    s.on('data', (d: string) => {
      buf += d;
      const lines = buf.split('\n').filter(Boolean);
      if (lines.length >= n) {
        s.destroy();
        resolve(lines.map((l) => JSON.parse(l)));
      }
    });
    s.on('error', reject);
  });
}

describe('control server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coredns-lab-control-'));
  let server: ControlServer;
  let downs: boolean[] = [];
  let stopped = 0;

  before(async () => {
    server = await startControlServer(dir, {
      status: async () => ({ state: 'running' }),
      reset: async () => {
        throw new ControlError(ControlErrorCode.NO_CLUSTER, 'no cluster');
      },
      down: async (force) => {
        downs.push(force);
        if (!force) throw new ControlError(ControlErrorCode.OWNER_IS_SERVE, 'serve owns it');
        return { result: { pid: 1 }, after: () => stopped++ };
      },
    });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the socket is in the state dir, mode 0600', () => {
    assert.equal(server.path, join(dir, 'control.sock'));
    assert.equal(statSync(server.path).mode & 0o777, 0o600);
  });

  const rows: Array<{ name: string; line: string; expect: object }> = [
    { name: 'status', line: '{"id":7,"op":"status"}', expect: { id: 7, ok: true, result: { state: 'running' } } },
    { name: 'a refusal carries the owner\'s code', line: '{"id":"a","op":"reset"}', expect: { id: 'a', ok: false, error: { code: 'LAB_ERR_NO_CLUSTER', message: 'no cluster' } } },
    { name: 'not JSON', line: 'status', expect: { ok: false, error: { code: 'LAB_ERR_CONTROL_BAD_REQUEST', message: 'a request is one JSON object per line' } } },
    { name: 'an array', line: '[1]', expect: { ok: false, error: { code: 'LAB_ERR_CONTROL_BAD_REQUEST', message: 'a request is one JSON object per line' } } },
    { name: 'no op', line: '{"id":1}', expect: { id: 1, ok: false, error: { code: 'LAB_ERR_CONTROL_BAD_REQUEST', message: 'a request needs "op"' } } },
    { name: 'an unknown op', line: '{"id":2,"op":"kill"}', expect: { id: 2, ok: false, error: { code: 'LAB_ERR_CONTROL_UNKNOWN_OP', message: 'unknown op "kill"; use one of status, reset, down, notice' } } },
    {
      name: 'a notice to an owner without pages',
      line: '{"id":4,"op":"notice","text":"hi"}',
      expect: { id: 4, ok: false, error: { code: 'LAB_ERR_CONTROL_NOT_SUPPORTED', message: 'this owner has no pages to show a notice on; notices go to a `serve` owner' } },
    },
    { name: 'a notice without text', line: '{"id":5,"op":"notice"}', expect: { id: 5, ok: false, error: { code: 'LAB_ERR_CONTROL_BAD_REQUEST', message: 'notice needs "text", a non-empty string' } } },
    {
      name: 'a notice too long',
      line: JSON.stringify({ id: 6, op: 'notice', text: 'x'.repeat(501) }),
      expect: { id: 6, ok: false, error: { code: 'LAB_ERR_CONTROL_BAD_REQUEST', message: '"text" is at most 500 characters' } },
    },
    {
      name: 'a notice of an unknown level',
      line: '{"id":7,"op":"notice","text":"hi","level":"loud"}',
      expect: { id: 7, ok: false, error: { code: 'LAB_ERR_CONTROL_BAD_REQUEST', message: '"level" must be "info" or "warning"' } },
    },
    { name: 'force of the wrong type', line: '{"id":3,"op":"down","force":"yes"}', expect: { id: 3, ok: false, error: { code: 'LAB_ERR_CONTROL_BAD_REQUEST', message: '"force" must be true or false' } } },
  ];
  for (const row of rows)
    test(row.name, async () => {
      const [res] = await exchange(server.path, row.line + '\n', 1);
      assert.deepEqual(res, row.expect);
    });

  test('several requests on one connection are answered in order', async () => {
    const res = await exchange(server.path, '{"id":1,"op":"status"}\n{"id":2,"op":"reset"}\n{"id":3,"op":"status"}\n', 3);
    assert.deepEqual(res.map((r) => [r.id, r.ok]), [[1, true], [2, false], [3, true]]);
  });

  test('down without force is refused; with force the after-hook runs once the answer is written', async () => {
    downs = [];
    const refused = await request(server.path, { op: 'down' }, 2000);
    assert.deepEqual(refused, { id: 1, ok: false, error: { code: 'LAB_ERR_OWNER_IS_SERVE', message: 'serve owns it' } });
    const ok = await request(server.path, { op: 'down', force: true }, 2000);
    assert.deepEqual(ok, { id: 1, ok: true, result: { pid: 1 } });
    assert.deepEqual(downs, [false, true]);
    assert.equal(stopped, 1);
  });

  test('a line longer than the limit is refused and the connection closed', async () => {
    const [res] = await exchange(server.path, 'x'.repeat(MAX_REQUEST_BYTES + 10), 1);
    assert.equal(res.error?.code, 'LAB_ERR_CONTROL_BAD_REQUEST');
  });
});
