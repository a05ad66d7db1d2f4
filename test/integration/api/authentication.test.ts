// Authentication at the API's front door: every request and every exec WebSocket needs a valid
// bearer token, and anything else gets the apiserver's own 401 Status, /version and /healthz
// included (anonymous auth is off). ServiceAccount tokens are valid only while signed by this
// cluster's key, unexpired, and bound to a ServiceAccount (and pod) that still exist.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import WebSocket from 'ws';
import { createMemoryPki } from '../../../sandbox/cluster/auth/pki.ts';
import { randomToken, serviceAccountTokens } from '../../../sandbox/cluster/auth/tokens.ts';
import type { KubeObject, PodRuntimeHost } from '../../../sandbox/cluster/contracts.ts';
import { fetchWithCa, startLab, type Lab } from './harness.ts';

const UNAUTHORIZED = '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}';

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
let sa: KubeObject;
let pod: KubeObject;
let otherKey: Awaited<ReturnType<typeof createMemoryPki>>['serviceAccountKey'];

before(async () => {
  lab = await startLab({ runtime });
  sa = lab.store.create('serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reader', namespace: 'default' } });
  pod = lab.store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'n', serviceAccountName: 'reader', containers: [{ name: 'c', image: 'x' }] } });
  pod = lab.store.updateStatus('pods', { ...pod, status: { phase: 'Running', containerStatuses: [{ name: 'c', state: { running: {} } }] } } as KubeObject);
  otherKey = (await createMemoryPki()).serviceAccountKey;
});
after(() => lab.close());

const saRef = () => ({ namespace: 'default', name: 'reader', uid: sa.metadata.uid! });
const podRef = () => ({ name: 'p', uid: pod.metadata.uid! });

/** GET with exactly these headers (no admin token added) */
async function bare(path: string, headers: Record<string, string>) {
  const res = await fetchWithCa(lab.api.url + path, lab.tls.ca, { headers });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

describe('a request without a valid credential is 401 Unauthorized, as the apiserver answers it', () => {
  const rows: Array<{ name: string; authorization: () => string }> = [
    { name: 'no Authorization header', authorization: () => '' },
    { name: 'a wrong static token', authorization: () => `Bearer ${randomToken()}` },
    { name: 'the admin token one character short', authorization: () => `Bearer ${lab.creds.adminToken.slice(0, -1)}` },
    { name: 'the admin token under another scheme', authorization: () => `Basic ${lab.creds.adminToken}` },
    { name: 'an empty bearer', authorization: () => 'Bearer ' },
    { name: 'a ServiceAccount token signed by another key (forged)', authorization: () => `Bearer ${serviceAccountTokens(otherKey).issue(saRef())}` },
    { name: 'an expired ServiceAccount token', authorization: () => `Bearer ${lab.creds.serviceAccounts.issue(saRef(), undefined, { now: Date.now() - 7200_000, expirationSeconds: 600 })}` },
    { name: 'a ServiceAccount token for another audience', authorization: () => `Bearer ${lab.creds.serviceAccounts.issue(saRef(), undefined, { audiences: ['https://vault.example'] })}` },
    { name: 'a ServiceAccount token for a ServiceAccount that does not exist', authorization: () => `Bearer ${lab.creds.serviceAccounts.issue({ namespace: 'default', name: 'ghost', uid: 'a3c0f0de-0000-4000-8000-000000000000' })}` },
    { name: 'a ServiceAccount token with the uid of an older ServiceAccount of that name', authorization: () => `Bearer ${lab.creds.serviceAccounts.issue({ ...saRef(), uid: 'b6e1a2c4-0000-4000-8000-000000000000' })}` },
    { name: 'a ServiceAccount token bound to a pod that is gone', authorization: () => `Bearer ${lab.creds.serviceAccounts.issue(saRef(), { name: 'gone', uid: 'c1d2e3f4-0000-4000-8000-000000000000' })}` },
    {
      name: 'a ServiceAccount token re-signed with alg "none"',
      authorization: () => {
        const [, payload] = lab.creds.serviceAccounts.issue(saRef()).split('.');
        return `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
      },
    },
  ];
  for (const row of rows) {
    test(row.name, async () => {
      for (const path of ['/api/v1/namespaces/default/secrets', '/version', '/healthz']) {
        const r = await bare(path, row.authorization() ? { Authorization: row.authorization() } : {});
        assert.equal(r.status, 401, `${path}: ${r.body}`);
        assert.equal(r.type, 'application/json');
        assert.equal(r.body, UNAUTHORIZED, path);
      }
    });
  }
});

describe('valid credentials are accepted', () => {
  const rows: Array<{ name: string; authorization: () => string }> = [
    { name: 'the admin token', authorization: () => `Bearer ${lab.creds.adminToken}` },
    { name: 'the admin token with a lower-case scheme', authorization: () => `bearer ${lab.creds.adminToken}` },
    { name: 'a ServiceAccount token', authorization: () => `Bearer ${lab.creds.serviceAccounts.issue(saRef())}` },
    { name: 'a ServiceAccount token bound to its running pod', authorization: () => `Bearer ${lab.creds.serviceAccounts.issue(saRef(), podRef())}` },
  ];
  for (const row of rows) {
    test(row.name, async () => {
      const r = await bare('/api/v1/namespaces/default/serviceaccounts', { Authorization: row.authorization() });
      assert.equal(r.status, 200, r.body);
      assert.equal(JSON.parse(r.body).items[0].metadata.name, 'reader');
    });
  }
});

function openExec(opts: { headers?: Record<string, string> }): Promise<{ status: number; body: string } | 'open'> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${lab.api.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/p/exec?command=id&container=c&stdout=true`, ['v5.channel.k8s.io'], { ca: lab.tls.ca, headers: opts.headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve({ status: res.statusCode!, body }));
    });
    ws.on('error', reject);
  });
}

describe('exec WebSockets need the token too', () => {
  test('an upgrade without a token is 401 and runs nothing', async () => {
    const before = execs;
    assert.deepEqual(await openExec({}), { status: 401, body: UNAUTHORIZED });
    assert.deepEqual(await openExec({ headers: { Authorization: `Bearer ${randomToken()}` } }), { status: 401, body: UNAUTHORIZED });
    assert.equal(execs, before);
  });
  test('the same upgrade with the token opens', async () => {
    assert.equal(await openExec({ headers: lab.tls.headers }), 'open');
  });
});

test('kubectl with the kubeconfig as written: TLS verified against the CA, the token sent', async () => {
  const r = await lab.kubectl(['get', 'serviceaccounts', '-n', 'default', '-o', 'name']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'serviceaccount/reader\n');
  const noToken = await lab.kubectl(['get', 'serviceaccounts', '--token', 'not-the-token']);
  assert.equal(noToken.code, 1);
  assert.match(noToken.stderr, /error: You must be logged in to the server \(Unauthorized\)/);
});
