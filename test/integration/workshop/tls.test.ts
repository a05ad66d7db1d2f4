// A workshop behind TLS, both ways the instructor can have it:
// - a certificate the instructor passes in (--tls-cert/--tls-key);
// - the lab's own CA (--tls-lab-ca): the workshop makes a CA and a certificate for its names in
//   D/tls/, and a client that trusts that CA alone (not the system's roots) gets in.
// Either way the instructor's page, the join redirect, a seat's page and its terminal WebSocket all
// speak HTTPS, and plain HTTP gets no page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLabCommand, type LabProcess } from '../../e2e/support/lab-process.ts';
import { TermClient } from '../../../sandbox/terminal/node-client.ts';

const INSTRUCTOR = /^coredns-lab workshop: instructor (https:\/\/\S+)$/m;

/** GET with `ca` as the only trusted root (node's https replaces its default roots with it); none: the system's roots */
function get(url: string, ca: Buffer | undefined, token?: string): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ...(ca ? { ca } : {}), headers: token ? { Authorization: `Bearer ${token}` } : {} }, (res) => {
      res.resume();
      resolve({ status: res.statusCode!, location: res.headers.location });
    });
    req.once('error', reject);
    req.end();
  });
}

/** the instructor's page, a seat's join link from seats.csv, its redirect, the seat's API and its terminal, all over HTTPS */
async function walkOverHttps(ws: LabProcess, ca: Buffer, word: string): Promise<{ seat: URL; token: string }> {
  const u = new URL(ws.url);
  assert.equal(u.protocol, 'https:');
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
    shell.type(`echo "${word}-$((20+1))"\r`);
    await shell.waitFor(`${word}-21\r\n`, 30_000);
  } finally {
    await shell.close();
  }
  return { seat, token };
}

describe("coredns-lab workshop over TLS with the instructor's certificate", () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  let ca: Buffer;
  let ws: LabProcess;
  before(async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    ca = readFileSync(cert);
    ws = await startLabCommand('workshop', ['--seats', '1', '--tls-cert', cert, '--tls-key', key], INSTRUCTOR, 180_000);
  });
  after(async () => {
    if (ws) await ws.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('every page and the terminal speak HTTPS; an http Origin is not the seat', async () => {
    const { seat, token } = await walkOverHttps(ws, ca, 'tls');
    await assert.rejects(TermClient.open({ base: seat.origin, token, ca, origin: `http://${seat.host}` }), /HTTP 403/, 'an http Origin is not this seat');
  });
});

describe("coredns-lab workshop over TLS with the lab's own CA", () => {
  let ws: LabProcess;
  let ca: Buffer;
  before(async () => {
    ws = await startLabCommand('workshop', ['--seats', '1', '--tls-lab-ca'], INSTRUCTOR, 180_000);
    ca = readFileSync(join(ws.stateDir, 'tls', 'ca.crt'));
  });
  after(async () => {
    if (ws) assert.equal(await ws.stop(), 0, `the workshop stops cleanly; stderr:\n${ws.stderr()}`);
  });

  test("the CA and the certificate are the workshop's own, private, and for the names learners type", () => {
    assert.match(ws.stderr(), /HTTPS with the lab's own CA: learners' browsers must trust \S+\/tls\/ca\.crt/);
    for (const f of ['ca.crt', 'ca.key', 'tls.crt', 'tls.key']) assert.equal(statSync(join(ws.stateDir, 'tls', f)).mode & 0o777, 0o600, f);
    const cert = new X509Certificate(readFileSync(join(ws.stateDir, 'tls', 'tls.crt')));
    const root = new X509Certificate(ca);
    assert.ok(root.ca, 'ca.crt is a CA');
    assert.ok(cert.checkIssued(root) && cert.verify(root.publicKey), 'the certificate is issued by ca.crt');
    assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(cert.checkHost('localhost'), 'localhost');
  });

  test('a client trusting that CA alone reaches every page and the terminal; one without it is refused', async () => {
    const u = new URL(ws.url);
    await assert.rejects(get(`${u.origin}/api/seats`, undefined, u.searchParams.get('token')!), /self[- ]signed|unable to verify|certificate/i,
      "the system's roots do not vouch for the lab's CA");
    await walkOverHttps(ws, ca, 'lab-ca');
  });
});
