// The seat's public address: the workshop listens on each seat's port and forwards HTTP and
// WebSocket traffic to the seat's own lab server (a local `serve` on a loopback port, or a seat
// pod when the workshop runs on Kubernetes). Owning the public port lets the workshop
// - check Host and Origin against the address learners really use (the seat's server sees
//   itself as 127.0.0.1:<port> and checks that; its token check is untouched),
// - wake a sleeping seat on the first request (sleep.ts), and count who is connected,
// - terminate TLS in one place for every seat.
import { request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { checkHost, checkOrigin, type GateConfig } from '../server/gate.ts';

export interface Backend {
  host: string;
  port: number;
}

export interface SeatProxyOptions {
  /** the public side's gate: allowed host names, the public port and scheme (the token is the seat's business) */
  gate: () => GateConfig;
  /** where the seat's server is, waking it first if it sleeps; null while it is not running */
  backend: () => Promise<Backend | null>;
  /** told on every request and WebSocket, with how many are open (in flight) */
  onActivity?: (open: number) => void;
}

function refuse(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify({ error: { code, message } }));
}

/** answers a refused WebSocket upgrade with an HTTP status and a JSON error (the seat proxy and the watch route) */
export function refuseUpgrade(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/** the request's headers as the seat's server must see them: its own Host and Origin */
function backendHeaders(req: IncomingMessage, b: Backend): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const lower = name.toLowerCase();
    let value = req.rawHeaders[i + 1]!;
    if (lower === 'host') value = `127.0.0.1:${b.port}`;
    else if (lower === 'origin') value = `http://127.0.0.1:${b.port}`;
    const prev = out[name];
    out[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/** Host, and Origin where the lab's own gate requires it, checked against the public address */
function publicVerdict(
  req: IncomingMessage,
  opts: SeatProxyOptions,
  upgrade: boolean,
): { status: number; code: string; message: string } | null {
  const cfg = opts.gate();
  const host = checkHost(req.headers.host, cfg);
  if (host && !host.ok) return host;
  const origin = req.headers.origin;
  const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(req.method ?? 'GET');
  if (upgrade || (unsafe && origin !== undefined)) {
    const v = checkOrigin(origin, req.headers.host, upgrade, cfg.scheme);
    if (v && !v.ok) return v;
  }
  return null;
}

export function attachSeatProxy(server: Server, opts: SeatProxyOptions): void {
  let open = 0;
  const activity = () => opts.onActivity?.(open);

  server.on('request', async (req: IncomingMessage, res: ServerResponse) => {
    const bad = publicVerdict(req, opts, false);
    if (bad) return refuse(res, bad.status, bad.code, bad.message);
    open++;
    activity();
    res.once('close', () => {
      open--;
      activity();
    });
    const b = await opts.backend().catch(() => null);
    if (!b) return refuse(res, 503, 'LAB_ERR_SEAT_NOT_RUNNING', 'this seat is starting or stopped; reload in a moment, or ask the instructor');
    const up = httpRequest({ host: b.host, port: b.port, method: req.method, path: req.url, headers: backendHeaders(req, b) }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.rawHeaders);
      r.pipe(res);
    });
    up.once('error', (err) => {
      if (!res.headersSent) refuse(res, 502, 'LAB_ERR_SEAT_UNREACHABLE', `the seat's lab server did not answer (${err.message})`);
      else res.destroy();
    });
    req.pipe(up);
  });

  server.on('upgrade', async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const bad = publicVerdict(req, opts, true);
    if (bad) return refuseUpgrade(socket, bad.status, bad.code, bad.message);
    const b = await opts.backend().catch(() => null);
    if (!b) return refuseUpgrade(socket, 503, 'LAB_ERR_SEAT_NOT_RUNNING', 'this seat is starting or stopped');
    const up: Socket = connect(b.port, b.host);
    open++;
    activity();
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      open--;
      activity();
      up.destroy();
      socket.destroy();
    };
    up.once('connect', () => {
      const headers = backendHeaders(req, b);
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (const [k, v] of Object.entries(headers)) for (const one of Array.isArray(v) ? v : [v]) lines.push(`${k}: ${one}`);
      up.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) up.write(head);
      socket.pipe(up).pipe(socket);
    });
    up.once('error', close);
    up.once('close', close);
    socket.once('error', close);
    socket.once('close', close);
  });
}
