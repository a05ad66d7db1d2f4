// A workshop behind TLS (--tls-cert/--tls-key): the instructor's page, the join redirect, a
// seat's page and its terminal WebSocket all speak HTTPS, and plain HTTP gets no page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLabCommand, type LabProcess } from '../../e2e/support/lab-process.ts';
import { TermClient } from '../../../sandbox/terminal/node-client.ts';

function get(url: string, ca: Buffer, token?: string): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: token ? { Authorization: `Bearer ${token}` } : {} }, (res) => {
      res.resume();
      resolve({ status: res.statusCode!, location: res.headers.location });
    });
    req.once('error', reject);
    req.end();
  });
}

describe('coredns-lab workshop over TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  let ca: Buffer;
  let ws: LabProcess;
  before(async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    ca = readFileSync(cert);
    ws = await startLabCommand('workshop', ['--seats', '1', '--tls-cert', cert, '--tls-key', key], /^coredns-lab workshop: instructor (https:\/\/\S+)$/m, 180_000);
  });
  after(async () => {
    if (ws) await ws.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('every page and the terminal speak HTTPS', async () => {
    const u = new URL(ws.url);
    assert.equal((await get(`${u.origin}/api/seats`, ca, u.searchParams.get('token')!)).status, 200);
    await assert.rejects(fetch(`http://${u.host}/api/seats`), 'plain HTTP on the TLS port gets no answer');
    const link = readFileSync(join(ws.stateDir, 'seats.csv'), 'utf8').trim().split('\n')[1]!.split(',')[1]!;
    assert.match(link, /^https:\/\//);
    const joined = await get(link, ca);
    assert.equal(joined.status, 302);
    const seat = new URL(joined.location!);
    assert.equal(seat.protocol, 'https:');
    const token = seat.searchParams.get('token')!;
    assert.equal((await get(`${seat.origin}/api/status`, ca, token)).status, 200);
    const shell = await TermClient.open({ base: seat.origin, token, ca });
    try {
      await shell.waitFor(/coredns-lab.*[$#] /, 30_000);
      shell.type('echo "tls-$((20+1))"\r');
      await shell.waitFor('tls-21\r\n', 30_000);
    } finally {
      await shell.close();
    }
    await assert.rejects(TermClient.open({ base: seat.origin, token, ca, origin: `http://${seat.host}` }), /HTTP 403/, 'an http Origin is not this seat');
  });
});
