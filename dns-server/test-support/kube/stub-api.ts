// A small Kubernetes API for tests and benchmarks: plain node http on 127.0.0.1 serving list and
// watch of namespaces, services, endpointslices (discovery.k8s.io/v1) and pods, with
// resourceVersions, an event log that watches resume from (410 Gone when they cannot), watch
// headers flushed at once (client-node waits for them), and stop()/start() to make the API go
// away and come back on the same port with the same data.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

export type StubResource = 'namespaces' | 'services' | 'endpointslices' | 'pods';

interface ResourceInfo {
  resource: StubResource;
  kind: string;
  apiVersion: string;
  namespaced: boolean;
}

const RESOURCES: Record<StubResource, ResourceInfo> = {
  namespaces: { resource: 'namespaces', kind: 'Namespace', apiVersion: 'v1', namespaced: false },
  services: { resource: 'services', kind: 'Service', apiVersion: 'v1', namespaced: true },
  pods: { resource: 'pods', kind: 'Pod', apiVersion: 'v1', namespaced: true },
  endpointslices: { resource: 'endpointslices', kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1', namespaced: true },
};
const BY_KIND = new Map(Object.values(RESOURCES).map((r) => [r.kind, r]));

export interface StubObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    resourceVersion?: string;
    uid?: string;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';
interface LogEntry { rv: number; resource: StubResource; type: EventType; obj: StubObject }
interface Watcher { resource: StubResource; namespace?: string; selector: Selector; send: (type: EventType, obj: StubObject) => void }
type Selector = (labels: Record<string, string> | undefined) => boolean;

export class StubApiError extends Error {
  readonly code = 'LAB_ERR_STUB_API';
}

/** equality-based label selectors: `a=b`, `a==b`, `a!=b`, `a`, `!a`, comma-joined */
function parseSelector(text: string | null): Selector {
  if (!text) return () => true;
  const terms = text.split(',').map((t) => t.trim()).filter(Boolean).map((t) => {
    let m = /^([^!=]+)!=(.*)$/.exec(t);
    if (m) return (l: Record<string, string>) => l[m![1]!.trim()] !== m![2]!.trim();
    m = /^([^!=]+)==?(.*)$/.exec(t);
    if (m) return (l: Record<string, string>) => l[m![1]!.trim()] === m![2]!.trim();
    if (t.startsWith('!')) return (l: Record<string, string>) => !(t.slice(1) in l);
    return (l: Record<string, string>) => t in l;
  });
  return (labels) => terms.every((f) => f(labels ?? {}));
}

const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o)) as T;

export class StubKubeApi {
  private readonly store = new Map<StubResource, Map<string, StubObject>>(
    (Object.keys(RESOURCES) as StubResource[]).map((r) => [r, new Map()]),
  );
  private readonly log: LogEntry[] = [];
  private rv = 1000;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly watchers = new Set<Watcher>();
  private listenPort = 0;
  private readonly forbidden = new Map<StubResource, string>();
  private requiredToken: string | undefined;
  /** requests served, for tests that want to see a relist or a resumed watch */
  readonly requests: Array<{ method: string; path: string; watch: boolean; resourceVersion?: string; authorization?: string }> = [];

  /** with `tls`, serve https with this certificate (PEM) instead of http */
  constructor(private readonly tls?: { cert: string | Buffer; key: string | Buffer }) {}

  get port(): number {
    return this.listenPort;
  }

  get url(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.listenPort}`;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  /** listen on 127.0.0.1 (a random port the first time, the same port after stop(); or `port`) */
  async start(port?: number): Promise<string> {
    if (this.server) return this.url;
    if (port !== undefined) this.listenPort = port;
    const handler = (req: IncomingMessage, res: ServerResponse): void => this.handle(req, res);
    const server: Server = this.tls ? createHttpsServer({ cert: this.tls.cert, key: this.tls.key }, handler) : createServer(handler);
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, '127.0.0.1', () => resolve());
    });
    this.listenPort = (server.address() as { port: number }).port;
    this.server = server;
    return this.url;
  }

  /** go away: stop listening and cut every open list and watch */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.watchers.clear();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** a kubeconfig for this API (http, so insecure-skip-tls-verify as client-node 1.x needs) */
  kubeconfig(): string {
    return [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: stub',
      '  cluster:',
      `    server: ${this.url}`,
      ...(this.tls
        ? [`    certificate-authority-data: ${Buffer.from(this.tls.cert).toString('base64')}`]
        : ['    insecure-skip-tls-verify: true']),
      'users:',
      '- name: stub',
      '  user: {token: stub-token}',
      'contexts:',
      '- name: stub',
      '  context: {cluster: stub, user: stub}',
      'current-context: stub',
      '',
    ].join('\n');
  }

  writeKubeconfig(dir = mkdtempSync(join(tmpdir(), 'stub-kube-'))): string {
    const path = join(dir, 'kubeconfig');
    writeFileSync(path, this.kubeconfig());
    return path;
  }

  // --- authorization ---

  /**
   * answer every list and watch of `resource` with 403 Forbidden, worded as RBAC words it for
   * `user` (the apiserver's message); allow(resource) lifts it
   */
  forbid(resource: StubResource, user: string): void {
    const info = RESOURCES[resource];
    const group = info.apiVersion.includes('/') ? info.apiVersion.split('/')[0]! : '';
    const qualified = group ? `${resource}.${group}` : resource;
    this.forbidden.set(
      resource,
      `${qualified} is forbidden: User "${user}" cannot list resource "${resource}" in API group "${group}" at the cluster scope`,
    );
  }

  allow(resource: StubResource): void {
    this.forbidden.delete(resource);
  }

  /** requests without `Authorization: Bearer <token>` get the apiserver's 401 */
  requireToken(token: string | undefined): void {
    this.requiredToken = token;
  }

  // --- data ---

  /** create or replace an object (kind decides the resource); watchers see ADDED or MODIFIED */
  apply(input: StubObject): StubObject {
    const info = BY_KIND.get(input.kind ?? '');
    if (!info) throw new StubApiError(`stub API: kind "${input.kind}" is not served; use one of ${[...BY_KIND.keys()].join(', ')}`);
    if (!input.metadata?.name) throw new StubApiError(`stub API: ${input.kind} without metadata.name`);
    const obj = clone(input);
    obj.apiVersion = info.apiVersion;
    if (!info.namespaced) delete obj.metadata.namespace;
    else obj.metadata.namespace ??= 'default';
    const k = this.key(info, obj.metadata.namespace, obj.metadata.name);
    const old = this.store.get(info.resource)!.get(k);
    obj.metadata.uid = old?.metadata.uid ?? randomUUID();
    obj.metadata.creationTimestamp ??= (old?.metadata.creationTimestamp as string | undefined) ?? new Date().toISOString();
    obj.metadata.resourceVersion = String(++this.rv);
    this.store.get(info.resource)!.set(k, obj);
    this.emit(info.resource, old ? 'MODIFIED' : 'ADDED', obj);
    return clone(obj);
  }

  applyAll(objs: StubObject[]): void {
    for (const o of objs) this.apply(o);
  }

  /** delete; watchers see DELETED. Returns false when there was nothing to delete. */
  remove(resource: StubResource, namespace: string | undefined, name: string): boolean {
    const info = RESOURCES[resource];
    const k = this.key(info, namespace, name);
    const old = this.store.get(resource)!.get(k);
    if (!old) return false;
    this.store.get(resource)!.delete(k);
    const gone = clone(old);
    gone.metadata.resourceVersion = String(++this.rv);
    this.emit(resource, 'DELETED', gone);
    return true;
  }

  get(resource: StubResource, namespace: string | undefined, name: string): StubObject | undefined {
    const o = this.store.get(resource)!.get(this.key(RESOURCES[resource], namespace, name));
    return o ? clone(o) : undefined;
  }

  count(resource: StubResource): number {
    return this.store.get(resource)!.size;
  }

  private key(info: ResourceInfo, namespace: string | undefined, name: string): string {
    return info.namespaced ? `${namespace ?? 'default'}/${name}` : name;
  }

  private emit(resource: StubResource, type: EventType, obj: StubObject): void {
    this.log.push({ rv: Number(obj.metadata.resourceVersion), resource, type, obj });
    for (const w of this.watchers) {
      if (w.resource !== resource) continue;
      if (w.namespace && w.namespace !== obj.metadata.namespace) continue;
      if (!w.selector(obj.metadata.labels)) continue;
      w.send(type, obj);
    }
  }

  // --- http ---

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://stub');
    const m = /^\/(?:api\/v1|apis\/discovery\.k8s\.io\/v1)(?:\/namespaces\/([^/]+))?\/(namespaces|services|pods|endpointslices)$/.exec(
      url.pathname,
    );
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      watch,
      resourceVersion: url.searchParams.get('resourceVersion') ?? undefined,
      authorization: req.headers.authorization,
    });
    const groupOk = m && (m[2] === 'endpointslices') === url.pathname.startsWith('/apis/discovery.k8s.io/v1');
    if (!m || !groupOk || req.method !== 'GET') {
      this.status(
        res,
        req.method !== 'GET' && m ? 405 : 404,
        req.method !== 'GET' && m ? 'MethodNotAllowed' : 'NotFound',
        'the server could not find the requested resource',
      );
      return;
    }
    const resource = m[2] as StubResource;
    const namespace = m[1];
    if (this.requiredToken !== undefined && req.headers.authorization !== `Bearer ${this.requiredToken}`) {
      this.status(res, 401, 'Unauthorized', 'Unauthorized');
      return;
    }
    const refusal = this.forbidden.get(resource);
    if (refusal) {
      this.status(res, 403, 'Forbidden', refusal);
      return;
    }
    const selector = parseSelector(url.searchParams.get('labelSelector'));
    if (watch) {
      this.watch(req, res, resource, namespace, selector, url.searchParams);
      return;
    }
    const all = [...this.store.get(resource)!.values()].filter(
      (o) => (!namespace || o.metadata.namespace === namespace) && selector(o.metadata.labels),
    );
    const info = RESOURCES[resource];
    // limit/continue paging; the token carries the snapshot's resourceVersion and the offset
    const limit = Number(url.searchParams.get('limit') ?? 0);
    const token = url.searchParams.get('continue');
    const [snapRv, offsetText] = token ? Buffer.from(token, 'base64url').toString().split(':') : [String(this.rv), '0'];
    const offset = Number(offsetText);
    const items = limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset);
    const more = limit > 0 && offset + limit < all.length;
    const metadata: Record<string, string> = { resourceVersion: snapRv! };
    if (more) metadata.continue = Buffer.from(`${snapRv}:${offset + limit}`).toString('base64url');
    this.json(res, 200, { kind: `${info.kind}List`, apiVersion: info.apiVersion, metadata, items });
  }

  private watch(
    req: IncomingMessage,
    res: ServerResponse,
    resource: StubResource,
    namespace: string | undefined,
    selector: Selector,
    q: URLSearchParams,
  ): void {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const send = (type: string, obj: unknown): void => {
      res.write(`${JSON.stringify({ type, object: obj })}\n`);
    };
    const fromText = q.get('resourceVersion');
    const from = fromText ? Number(fromText) : 0;
    const visible = (o: StubObject): boolean => (!namespace || o.metadata.namespace === namespace) && selector(o.metadata.labels);
    if (fromText && (!Number.isFinite(from) || from > this.rv)) {
      // a resourceVersion this API never issued (it was replaced): the client must relist
      send('ERROR', {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `too old resource version: ${fromText} (${this.rv})`,
        reason: 'Expired',
        code: 410,
      });
      res.end();
      return;
    }
    if (!fromText || from === 0) {
      for (const o of this.store.get(resource)!.values()) if (visible(o)) send('ADDED', o);
    } else {
      for (const e of this.log) if (e.rv > from && e.resource === resource && visible(e.obj)) send(e.type, e.obj);
    }
    const w: Watcher = { resource, namespace, selector, send };
    this.watchers.add(w);
    const timeout = Number(q.get('timeoutSeconds') ?? 0);
    const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
    req.on('close', () => {
      this.watchers.delete(w);
      if (timer) clearTimeout(timer);
    });
  }

  private json(res: ServerResponse, code: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private status(res: ServerResponse, code: number, reason: string, message: string): void {
    this.json(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
  }
}
