// The clients the bench times: the real kubectl, and a Node http client doing a LIST and a
// watch round trip (create, then wait for the ADDED event on an open watch).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request, type IncomingMessage } from 'node:http';
import { join } from 'node:path';

export const KUBECTL = '/usr/bin/kubectl';

/** a kubeconfig and private cache for one server, so discovery stays warm between runs */
export function kubectlFor(dir: string, url: string): (args: string[]) => Promise<void> {
  mkdirSync(dir, { recursive: true });
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters:\n- name: b\n  cluster:\n    server: ${url}\ncontexts:\n- name: b\n  context: {cluster: b, user: b}\ncurrent-context: b\nusers:\n- name: b\n  user: {}\n`);
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

export function keepAliveAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 4 });
}

export function get(agent: Agent, url: string, accept: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    request(url, { agent, headers: { accept } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`GET ${url}: ${res.statusCode}`))));
    }).on('error', reject).end();
  });
}

function post(agent: Agent, url: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`POST ${url}: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** an open watch on a collection; `next(name)` resolves when an ADDED event for `name` arrives */
export async function openWatch(base: string, collection: string, agent: Agent): Promise<{ create(name: string): Promise<void>; close(): void }> {
  const list = JSON.parse((await get(agent, `${base}${collection}`, 'application/json')).toString()) as { metadata?: { resourceVersion?: string } };
  const rv = list.metadata?.resourceVersion ?? '0';
  const waiting = new Map<string, () => void>();
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    request(`${base}${collection}?watch=true&resourceVersion=${rv}`, { headers: { accept: 'application/json' } }, resolve).on('error', reject).end();
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
      await Promise.all([post(agent, `${base}${collection}`, body), seen]);
      waiting.delete(name);
    },
    close() { res.destroy(); },
  };
}
