// HTTP endpoints of one server instance (health, ready, metrics). Paths on the same address
// share one listener; a listener closes when its last path is released, so a reload that
// acquires before it releases never drops the port.
import http from 'node:http';
import type { ServerHooks } from './plugin.ts';
import { ListenError } from '../errors.ts';

export type HttpKind = 'health' | 'ready' | 'metrics';
export type PathHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

interface Shared {
  server: http.Server;
  kind: HttpKind;
  host: string;
  port: number;
  routes: Map<string, PathHandler[]>;
}

export interface HttpAddress {
  kind: HttpKind;
  host: string;
  port: number;
}

export class HttpListeners {
  private byAddr = new Map<string, Promise<Shared>>();
  private anon = 0;
  constructor(private readonly hooks: ServerHooks) {}

  /** "host:port" as the Corefile says (":8080", "localhost:9153", "") -> real host/port */
  private resolve(kind: HttpKind, addr: string, defaultPort: number): { host: string; port: number } {
    let host = '';
    let port = defaultPort;
    if (addr) {
      const i = addr.lastIndexOf(':');
      if (i >= 0) {
        host = addr.slice(0, i).replace(/^\[|\]$/g, '');
        port = Number(addr.slice(i + 1));
      } else host = addr;
    }
    if (host === '') host = '0.0.0.0';
    if (host === 'localhost') host = '127.0.0.1';
    return this.hooks.mapListen?.(kind, host, port) ?? { host, port };
  }

  async acquire(
    kind: HttpKind,
    addr: string,
    defaultPort: number,
    path: string,
    handler: PathHandler,
  ): Promise<{ address: HttpAddress; release(): Promise<void> }> {
    const { host, port } = this.resolve(kind, addr, defaultPort);
    // port 0 means "any free port": each such endpoint gets its own listener
    const key = port === 0 ? `${host}:0:${this.anon++}` : `${host}:${port}`;
    let p = this.byAddr.get(key);
    if (!p) {
      p = open(kind, host, port);
      this.byAddr.set(key, p);
      p.catch(() => this.byAddr.delete(key));
    }
    const shared = await p;
    const list = shared.routes.get(path) ?? [];
    list.push(handler);
    shared.routes.set(path, list);
    let released = false;
    return {
      address: { kind: shared.kind, host: shared.host, port: shared.port },
      release: async () => {
        if (released) return;
        released = true;
        const l = shared.routes.get(path) ?? [];
        l.splice(l.indexOf(handler), 1);
        if (l.length === 0) shared.routes.delete(path);
        if (shared.routes.size === 0 && this.byAddr.get(key) === p) {
          this.byAddr.delete(key);
          shared.server.closeAllConnections();
          await new Promise<void>((r) => shared.server.close(() => r()));
        }
      },
    };
  }
}

async function open(kind: HttpKind, host: string, port: number): Promise<Shared> {
  const routes = new Map<string, PathHandler[]>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const h = routes.get(path);
    if (!h || h.length === 0) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
      return;
    }
    h[h.length - 1]!(req, res);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new ListenError(`${kind} http ${host}:${port}`, err.message)));
    server.listen(port, host, () => resolve());
  });
  const a = server.address();
  const real = typeof a === 'object' && a ? a.port : port;
  return { server, kind, host, port: real, routes };
}

/** One plugin's path on a shared HTTP listener (health, ready, metrics): held from start() to stop(). */
export class HttpEndpoint {
  private held: { address: HttpAddress; release(): Promise<void> } | undefined;

  async open(
    listeners: HttpListeners,
    kind: HttpKind,
    addr: string,
    defaultPort: number,
    path: string,
    handler: PathHandler,
  ): Promise<void> {
    this.held = await listeners.acquire(kind, addr, defaultPort, path, handler);
  }

  addresses(): Array<HttpAddress & { transport: 'http' }> {
    return this.held ? [{ ...this.held.address, transport: 'http' as const }] : [];
  }

  async close(): Promise<void> {
    await this.held?.release();
    this.held = undefined;
  }
}
