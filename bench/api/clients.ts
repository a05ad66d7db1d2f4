// The clients the bench times: the real kubectl, and a Node client doing a LIST and a watch
// round trip (create, then wait for the ADDED event on an open watch). A target is an http URL,
// or an https one with the CA and bearer token every client of the embedded API presents.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { kubeconfigFor } from '../../sandbox/cluster/api/kubeconfig.ts';

export const KUBECTL = '/usr/bin/kubectl';

export interface Target {
  url: string;
  /** PEM of the CA, for https */
  ca?: string;
  token?: string;
}

/** a kubeconfig and private cache for one server, so discovery stays warm between runs */
export function kubectlFor(dir: string, t: Target): (args: string[]) => Promise<void> {
  mkdirSync(dir, { recursive: true });
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, t.ca && t.token
    ? kubeconfigFor({ server: t.url, caPem: t.ca, token: t.token })
    : `apiVersion: v1\nkind: Config\nclusters:\n- name: b\n  cluster:\n    server: ${t.url}\ncontexts:\n- name: b\n  context: {cluster: b, user: b}\ncurrent-context: b\nusers:\n- name: b\n  user: {}\n`, { mode: 0o600 });
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dir, 'cache') };
  return (args) => new Promise((resolve, reject) => {
    const child = spawn(KUBECTL, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`kubectl ${args.join(' ')} exited ${code}: ${out}`))));
  });
}

export interface Client {
  target: Target;
  agent: HttpAgent;
}

export function keepAliveClient(target: Target): Client {
  const agent = target.url.startsWith('https:') ? new HttpsAgent({ keepAlive: true, maxSockets: 4, ca: target.ca }) : new HttpAgent({ keepAlive: true, maxSockets: 4 });
  return { target, agent };
}

function send(c: Client | Target, path: string, opts: RequestOptions, onResponse: (res: IncomingMessage) => void) {
  const target = 'target' in c ? c.target : c;
  const url = target.url + path;
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  const headers = { ...(opts.headers as Record<string, string>), ...(target.token ? { authorization: `Bearer ${target.token}` } : {}) };
  return request(url, { ...opts, ...('agent' in c ? { agent: c.agent } : { ca: target.ca }), headers }, onResponse);
}

export function get(c: Client, path: string, accept: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    send(c, path, { headers: { accept } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (b: Buffer) => chunks.push(b));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`GET ${path}: ${res.statusCode}`))));
    }).on('error', reject).end();
  });
}

function post(c: Client, path: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = send(c, path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`POST ${path}: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** an open watch on a collection; `create(name)` resolves when the POST is answered and its ADDED event has arrived */
export async function openWatch(c: Client, collection: string): Promise<{ create(name: string): Promise<void>; close(): void }> {
  const list = JSON.parse((await get(c, collection, 'application/json')).toString()) as { metadata?: { resourceVersion?: string } };
  const rv = list.metadata?.resourceVersion ?? '0';
  const waiting = new Map<string, () => void>();
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    send(c.target, `${collection}?watch=true&resourceVersion=${rv}`, { headers: { accept: 'application/json' } }, resolve).on('error', reject).end();
  });
  let buf = '';
  res.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (!line) continue;
      const ev = JSON.parse(line) as { type: string; object: { metadata: { name: string } } };
      if (ev.type === 'ADDED') waiting.get(ev.object.metadata.name)?.();
    }
  });
  return {
    async create(name) {
      const seen = new Promise<void>((resolve) => waiting.set(name, resolve));
      const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'bench' }, data: { a: '1' } });
      await Promise.all([post(c, collection, body), seen]);
      waiting.delete(name);
    },
    close() { res.destroy(); },
  };
}
