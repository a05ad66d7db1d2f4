// The embedded Kubernetes API over HTTPS on 127.0.0.1: the request gate (request-gate.ts:
// Origin, Host, bearer token), impersonation and authorization (auth/access.ts), routing, discovery, OpenAPI, and the resource verbs
// (resource-handler.ts), watches (watch.ts), exec/attach/log (streams.ts).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { admit, admitUpgrade } from '../auth/access.ts';
import { reviewContext } from '../auth/review.ts';
import type { Authenticator, Authorizer, UserInfo } from '../auth/types.ts';
import type { PodRuntimeHost } from '../contracts.ts';
import { pathNotFound } from '../errors.ts';
import type { MemoryStore } from '../store.ts';
import { aggregatedDiscovery, apiGroupDoc, apiGroupList, apiResourceList, apiVersions, KUBE_VERSION } from './discovery.ts';
import { AGGREGATED_V2, AGGREGATED_V2BETA1, wantsAggregated } from './negotiate.ts';
import { openapiDocument, openapiRoot, openapiV2 } from './openapi.ts';
import { handleResource } from './resource-handler.ts';
import { sendError, sendJson, toStatus } from './respond.ts';
import { refuseUpgrade, requestGate } from './request-gate.ts';
import { parseRoute } from './route.ts';
import { PortForwardGateway } from './portforward.ts';
import { ExecGateway, serveLogs } from './streams.ts';

export interface ApiServerOptions {
  store: MemoryStore & { flush?: () => Promise<void> };
  runtime?: PodRuntimeHost;
  host?: string;
  port?: number;
  /** BOOKMARK interval for watches that allow them (default 15 s) */
  bookmarkEveryMs?: number;
  /** called for each request, e.g. to log kubectl's Kubectl-Command header */
  onRequest?: (info: { method: string; path: string; headers: IncomingMessage['headers'] }) => void;
  /** turns bearer tokens into users; without one every request is system:unsecured (tests, benches) */
  authenticator?: Authenticator;
  /** serve HTTPS with this certificate and key (PEM); without it plain HTTP (tests, benches) */
  tls?: { cert: string; key: string };
  /** decides every request (the RBAC authorizer in the running cluster); without one all is allowed */
  authorizer?: Authorizer;
  /**
   * other Host values that name this server: the `kubernetes` Service's ClusterIP and DNS names,
   * which pods' in-cluster clients dial. None is a name a web page could rebind.
   */
  inClusterHosts?: readonly string[];
}

export interface ApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const { store } = opts;
  const cleanups = new Set<() => void>();
  const onClose = (fn: () => void) => {
    cleanups.add(fn);
    return () => void cleanups.delete(fn);
  };
  const gateway = new ExecGateway({ store, runtime: opts.runtime });
  const forwarder = new PortForwardGateway({ store, runtime: opts.runtime });
  let address = '';
  let hosts: string[] = [];
  const scheme = opts.tls ? 'https' : 'http';
  // TokenReview: the same authenticator chain, asked about a token in a request body
  const tokenUser = opts.authenticator
    ? (token: string) => {
        const r = opts.authenticator!.authenticate({ authorization: `Bearer ${token}` });
        return r.ok ? r.user : undefined;
      }
    : undefined;
  const gate = requestGate({ authenticator: opts.authenticator, hosts: () => hosts, url: () => `${scheme}://${address}` });

  const handle = async (req: IncomingMessage, res: ServerResponse, authenticated: UserInfo): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    opts.onRequest?.({ method: req.method ?? 'GET', path: url.pathname + url.search, headers: req.headers });
    const { user } = admit(opts, req, url, authenticated);
    const route = parseRoute(url.pathname);
    const accept = req.headers.accept;
    const getOnly = () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw pathNotFound();
    };
    switch (route.type) {
      case 'version':
        getOnly();
        return sendJson(res, 200, KUBE_VERSION);
      case 'healthz':
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        return void res.end('ok');
      case 'api-root':
      case 'apis-root': {
        getOnly();
        const agg = wantsAggregated(accept);
        const root = route.type === 'api-root' ? 'api' : 'apis';
        if (agg) return sendJson(res, 200, aggregatedDiscovery(root, agg), { Vary: 'Accept' }, agg === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1);
        return sendJson(res, 200, root === 'api' ? apiVersions(address) : apiGroupList(), { Vary: 'Accept' });
      }
      case 'group': {
        getOnly();
        const doc = apiGroupDoc(route.group);
        if (!doc) throw pathNotFound();
        return sendJson(res, 200, doc);
      }
      case 'group-version': {
        getOnly();
        const doc = apiResourceList(route.group, route.version);
        if (!doc) throw pathNotFound();
        return sendJson(res, 200, doc);
      }
      case 'openapi-v3-root':
        getOnly();
        return sendJson(res, 200, openapiRoot());
      case 'openapi-v3': {
        getOnly();
        const doc = openapiDocument(route.group, route.version);
        if (!doc) throw pathNotFound();
        return sendJson(res, 200, doc.doc, { 'Cache-Control': 'public, immutable', Etag: `"${doc.hash}"` });
      }
      case 'openapi-v2': {
        getOnly();
        const v2 = openapiV2(accept);
        if (!v2) throw pathNotFound();
        res.writeHead(200, { 'Content-Type': v2.contentType, 'Content-Length': v2.body.length });
        return void res.end(v2.body);
      }
      case 'resource':
        if (route.def.resource === 'pods' && route.subresource === 'log' && route.name && route.namespace) {
          if (req.method !== 'GET') throw pathNotFound();
          return serveLogs({ store, runtime: opts.runtime }, req, res, route.namespace, route.name, onClose);
        }
        return handleResource(
          { store, onClose, bookmarkEveryMs: opts.bookmarkEveryMs ?? 15000, review: reviewContext(user, opts.authorizer, tokenUser) },
          req,
          res,
          route,
          url,
        );
      default:
        throw pathNotFound();
    }
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const verdict = gate(req);
    if (!verdict.ok) return sendJson(res, verdict.status.code, verdict.status);
    const user = verdict.user;
    handle(req, res, user).catch((e) => {
      if (res.headersSent) res.end();
      else sendError(res, e);
    });
  };
  const server = opts.tls ? createTlsServer({ cert: opts.tls.cert, key: opts.tls.key }, onRequest) : createServer(onRequest);
  server.on('upgrade', (req, socket, head) => {
    const verdict = gate(req);
    if (!verdict.ok) return refuseUpgrade(socket, verdict.status);
    const url = new URL(req.url ?? '/', 'http://localhost');
    let route;
    try {
      route = parseRoute(url.pathname);
      admitUpgrade(opts, req, url, verdict.user);
    } catch (e) {
      // a bad escape or a refusal; nothing would catch a throw out of an upgrade handler (the process would die)
      return refuseUpgrade(socket, toStatus(e));
    }
    if (route.type === 'resource' && route.def.resource === 'pods' && route.namespace && route.name && (route.subresource === 'exec' || route.subresource === 'attach'))
      return gateway.handleUpgrade(req, socket, head, route.namespace, route.name, route.subresource);
    if (route.type === 'resource' && route.def.resource === 'pods' && route.namespace && route.name && route.subresource === 'portforward')
      return forwarder.handleUpgrade(req, socket, head, route.namespace, route.name);
    refuseUpgrade(socket, pathNotFound().status);
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 30_000;

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  address = `${host}:${port}`;
  hosts = [...new Set([address, `127.0.0.1:${port}`, `localhost:${port}`, ...(opts.inClusterHosts ?? [])])].map((h) => h.toLowerCase());
  return {
    url: `${scheme}://${host}:${port}`,
    port,
    close: async () => {
      for (const fn of [...cleanups]) fn();
      gateway.close();
      forwarder.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
