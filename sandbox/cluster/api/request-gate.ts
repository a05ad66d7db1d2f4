// The API server's front door, passed by every request and every WebSocket upgrade before any
// routing: browsers are turned away (an Origin header, or a Host that is not the API's own
// address, which is what a cross-site page or a DNS-rebinding name sends), then the bearer token
// is authenticated. kubectl and client-go send no Origin and the Host they dialled; Python's
// websocket-client (python3-kubernetes' exec, attach and port-forward) always sends
// `Origin: http://<host:port it dialled>`, which no browser can send to a TLS listener.
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Authenticator, UserInfo } from '../auth/types.ts';
import type { Status } from '../errors.ts';

/**
 * Who a request is when the server has no authenticator (API-only tests and benches): the
 * apiserver's old insecure port treated every request the same way.
 */
export const UNSECURED_USER: UserInfo = { username: 'system:unsecured', groups: ['system:masters', 'system:authenticated'] };

export type GateResult = { ok: true; user: UserInfo } | { ok: false; status: Status };

/** the apiserver's answer to a missing or unknown credential, byte for byte */
export function unauthorized(): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };
}

function refused(message: string): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Forbidden', code: 403 };
}

export interface RequestGateOptions {
  authenticator?: Authenticator;
  /** the Host values this server answers to (host:port, lower case); known once it listens */
  hosts: () => readonly string[];
  /** the URL to name in the refusal */
  url: () => string;
}

/**
 * An Origin no web page can have: `http://` and this API's own address while the API speaks TLS
 * (a page at that origin would have to be served over plain HTTP by this very port). Every
 * other Origin, the API's own https:// one included, is a browser's (the API serves no pages).
 */
function clientLibraryOrigin(origin: string, opts: RequestGateOptions): boolean {
  if (!opts.url().startsWith('https:')) return false;
  const m = /^http:\/\/([^/]+)$/.exec(origin);
  return m !== null && opts.hosts().includes(m[1].toLowerCase());
}

export function requestGate(opts: RequestGateOptions): (req: IncomingMessage) => GateResult {
  return (req) => {
    const origin = req.headers.origin;
    if (origin !== undefined && !clientLibraryOrigin(origin, opts))
      return { ok: false, status: refused(`requests with an Origin header (${JSON.stringify(origin)}) are refused: this API serves kubectl and client libraries, not web pages`) };
    const host = (req.headers.host ?? '').toLowerCase();
    if (!opts.hosts().includes(host))
      return { ok: false, status: refused(`Host ${JSON.stringify(req.headers.host ?? '')} is not this API's address; connect to ${opts.url()}`) };
    if (!opts.authenticator) return { ok: true, user: UNSECURED_USER };
    const r = opts.authenticator.authenticate(req.headers);
    return r.ok ? r : { ok: false, status: unauthorized() };
  };
}

/** answers a refused WebSocket upgrade with the Status as an HTTP response, then closes */
export function refuseUpgrade(socket: Duplex, status: Status): void {
  const body = JSON.stringify(status);
  socket.end(`HTTP/1.1 ${status.code} ${STATUS_CODES[status.code] ?? ''}\r\nContent-Type: application/json\r\nCache-Control: no-cache, private\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
