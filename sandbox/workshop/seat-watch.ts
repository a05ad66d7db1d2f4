// The instructor's read-only view of a learner's terminal: a WebSocket on the instructor's
// server (/api/seats/<seat>/watch, behind the instructor's gate) relayed to the seat's own
// terminal socket as a `watch` hello. Only the seat's output flows to the instructor; nothing
// the instructor's page sends reaches the seat.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { gateUpgrade, type GateConfig } from '../server/gate.ts';
import { TERMINAL_WS_PATH } from '../terminal/protocol.ts';
import { refuseUpgrade, type Backend } from './seat-proxy.ts';

export const WATCH_PATH = /^\/api\/seats\/([A-Za-z0-9-]+)\/watch(?:\?.*)?$/;

export interface SeatWatchOptions {
  gate: () => GateConfig;
  /** the seat's server and token, woken first if it sleeps; null when there is no such running seat */
  seat: (id: string) => Promise<{ backend: Backend; token: string } | null>;
}

export function attachSeatWatch(server: Server, opts: SeatWatchOptions): void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const m = WATCH_PATH.exec(req.url ?? '');
    if (!m) return refuseUpgrade(socket, 404, 'LAB_ERR_NOT_FOUND', `no WebSocket at ${req.url}; watch a seat at /api/seats/<seat>/watch`);
    const v = gateUpgrade(req, opts.gate());
    if (!v.ok) return refuseUpgrade(socket, v.status, v.code, v.message);
    void opts.seat(m[1]!).then((target) => {
      if (!target) return refuseUpgrade(socket, 404, 'LAB_ERR_NO_SUCH_SEAT', `seat "${m[1]}" does not exist or is not running`);
      wss.handleUpgrade(req, socket, head, (viewer) => relay(viewer, target.backend, target.token));
    }, (err: Error) => refuseUpgrade(socket, 502, 'LAB_ERR_SEAT_UNREACHABLE', err.message));
  });
}

function relay(viewer: WebSocket, b: Backend, token: string): void {
  // the seat's server (on loopback here, or a seat pod) sees its own loopback address, as through the seat proxy
  const self = `127.0.0.1:${b.port}`;
  const host = b.host.includes(':') ? `[${b.host}]` : b.host;
  const seat = new WebSocket(`ws://${host}:${b.port}${TERMINAL_WS_PATH}`, {
    headers: { Host: self, Origin: `http://${self}`, Authorization: `Bearer ${token}` },
    perMessageDeflate: false,
  });
  seat.once('open', () => seat.send(JSON.stringify({ t: 'hello', session: null, cols: 80, rows: 24, watch: true })));
  seat.on('message', (data, isBinary) => {
    if (viewer.readyState === viewer.OPEN) viewer.send(data, { binary: isBinary });
  });
  const closeBoth = (code: number, reason: string) => {
    // 1005/1006 are not codes one may send
    const sendable = code >= 4000 || code === 1000 || code === 1001 ? code : 1011;
    if (viewer.readyState === viewer.OPEN) viewer.close(sendable, reason);
    if (seat.readyState === seat.OPEN || seat.readyState === seat.CONNECTING) seat.terminate();
  };
  seat.on('close', (code, reason) => closeBoth(code, reason.toString()));
  seat.on('error', (err) => {
    if (viewer.readyState === viewer.OPEN) viewer.send(JSON.stringify({ t: 'error', code: 'LAB_TERM_NOTHING_TO_WATCH', message: `the seat's terminal did not answer (${err.message})` }));
    closeBoth(1011, 'seat unreachable');
  });
  viewer.on('close', () => seat.terminate());
  viewer.on('error', () => seat.terminate());
  // the viewer is read-only: whatever it sends is dropped
  viewer.on('message', () => {});
}
