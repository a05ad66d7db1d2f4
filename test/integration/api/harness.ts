// Starts the embedded API (store + HTTPS with in-memory credentials) on a random port with a temp
// state dir, and runs the real kubectl against it with its own kubeconfig and cache dir.
// `lab.fetch` and `lab.tls` reach it the way any client must: the CA and the admin token.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { memoryCredentials, secureApiOptions, type ApiCredentials } from '../../../sandbox/cluster/auth/credentials.ts';
import type { AccessControl } from '../../../sandbox/cluster/auth/access.ts';
import type { Authenticator } from '../../../sandbox/cluster/auth/types.ts';
import type { PodRuntimeHost } from '../../../sandbox/cluster/contracts.ts';
import { startDeletionControllers } from '../../../sandbox/cluster/controllers/deletion.ts';
import { createStore, kubeconfigFor, startApiServer, type ApiServer, type PersistentStore } from '../../../sandbox/cluster/index.ts';

export interface Lab {
  dir: string;
  store: PersistentStore;
  api: ApiServer;
  creds: ApiCredentials;
  kubeconfig: string;
  /** https options for node:https and ws: the CA, and the admin token as a header */
  tls: { ca: string; headers: { Authorization: string } };
  /** fetch() for this API (global fetch cannot be given a CA): a path, or a full URL */
  fetch(path: string, init?: { method?: string; headers?: Record<string, string>; body?: string }): Promise<Response>;
  kubectl(
    args: string[],
    opts?: { input?: string; env?: Record<string, string> },
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

/** fetch over node:https with a CA; the body streams, as global fetch's does */
export function fetchWithCa(
  url: string,
  ca: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, ca }, (res) => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      const empty = res.statusCode === 204 || res.statusCode === 304 || init.method === 'HEAD';
      if (empty) res.resume();
      resolve(new Response(empty ? null : (Readable.toWeb(res) as ReadableStream), { status: res.statusCode, headers }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

export interface LabOptions {
  runtime?: PodRuntimeHost;
  historySize?: number;
  bookmarkEveryMs?: number;
  /** an authenticator and authorizer for the API, built over the lab's store */
  access?: (store: PersistentStore) => AccessControl;
}

export async function startLab(opts: LabOptions = {}): Promise<Lab> {
  const dir = mkdtempSync(join(tmpdir(), 'lab-api-'));
  const store = await createStore({ stateDir: join(dir, 'state'), historySize: opts.historySize });
  // deletions end (cascades, namespaces) as on a cluster; nothing else reconciles
  const deletion = startDeletionControllers(store);
  const creds = await memoryCredentials();
  const secure = secureApiOptions(creds, store);
  const access = opts.access?.(store);
  // the admin token (kubectl's kubeconfig, lab.fetch) always works; a test's own authenticator answers the rest
  const authenticator: Authenticator | undefined = access?.authenticator
    ? { authenticate: (h) => { const r = secure.authenticator!.authenticate(h); return r.ok ? r : access.authenticator!.authenticate(h); } }
    : secure.authenticator;
  const api = await startApiServer({
    store,
    runtime: opts.runtime,
    bookmarkEveryMs: opts.bookmarkEveryMs,
    ...secure,
    authenticator,
    authorizer: access?.authorizer,
  });
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigFor({ server: api.url, caPem: creds.pki.caPem, token: creds.adminToken }), { mode: 0o600 });
  const tls = { ca: creds.pki.caPem, headers: { Authorization: `Bearer ${creds.adminToken}` } };
  const kubectl: Lab['kubectl'] = (args, o = {}) =>
    new Promise((resolve) => {
      const child = execFile(
        'kubectl', args,
        { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dir, 'cache'), ...o.env }, timeout: 30_000 },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
      );
      if (o.input !== undefined) child.stdin?.end(o.input);
      else child.stdin?.end();
    });
  return {
    dir, store, api, creds, kubeconfig, kubectl, tls,
    fetch: (path, init = {}) => fetchWithCa(path.startsWith('https:') ? path : `${api.url}${path}`, tls.ca, { ...init, headers: { ...tls.headers, ...init.headers } }),
    close: async () => {
      await api.close();
      await deletion.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
