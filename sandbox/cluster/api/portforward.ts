// pods/portforward as kubectl 1.32 uses it: a WebSocket offering `SPDY/3.1+portforward.k8s.io`
// that tunnels SPDY (the apiserver's PortForwardWebsockets path, client-go's tunneling dialer),
// or, when that is refused or disabled (KUBECTL_PORT_FORWARD_WEBSOCKETS=false, older kubectls),
// a plain `Upgrade: SPDY/3.1` with X-Stream-Protocol-Version `portforward.k8s.io`. On the SPDY
// connection the protocol is the kubelet's portforward.k8s.io v1: for each local connection the
// client opens an "error" and a "data" stream carrying the same `requestID` and the pod `port`;
// the data stream carries the bytes, and a failure is written to the error stream as text
// before both are closed (pkg/kubelet/cri/streaming/portforward/httpstream.go).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { KubeObject, PodRuntimeHost } from '../contracts.ts';
import { badRequest, serviceUnavailable } from '../errors.ts';
import type { MemoryStore } from '../store.ts';
import { toStatus } from './respond.ts';
import { refuseUpgrade } from './request-gate.ts';
import { SpdyServerConnection, type SpdyStreamEvent } from './spdy.ts';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** client-go's WebsocketsSPDYTunnelingPrefix + the port-forward protocol */
export const TUNNELING_PROTOCOL = `SPDY/3.1+${PORT_FORWARD_PROTOCOL}`;
const PROTOCOL_TOKEN = 'spdy-3.1-portforward.k8s.io';
/**
 * The kubelet's own WebSocket port-forward (pkg/kubelet/cri/streaming/portforward/websocket.go),
 * which the apiserver passes through and python3-kubernetes uses: the ports in the query, a data
 * (even) and an error (odd) channel per port, each opened by a frame holding the port as 2
 * little-endian bytes; one connection per port for the life of the WebSocket.
 */
const CHANNEL_PROTOCOL = 'v4.channel.k8s.io';

interface Pair {
  errorId?: number;
  dataId?: number;
  port?: number;
  upstream?: Duplex;
  /** what the client sent (and whether it half-closed) before the pod's port answered */
  pending: Buffer[];
  ended?: boolean;
  done?: boolean;
}

export class PortForwardGateway {
  private readonly wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => [PROTOCOL_TOKEN, CHANNEL_PROTOCOL].find((p) => offered.has(p)) ?? false,
  });
  private readonly open = new Set<SpdyServerConnection>();
  private readonly sockets = new Set<WebSocket>();

  constructor(private readonly env: { store: MemoryStore; runtime?: PodRuntimeHost }) {
    // `SPDY/3.1+portforward.k8s.io` is not an RFC 6455 token ("/" is a separator), which the ws
    // package refuses; the handshake goes through with a stand-in token that the answer then names as offered
    this.wss.on('headers', (headers: string[]) => {
      const i = headers.findIndex((h) => h.toLowerCase() === `sec-websocket-protocol: ${PROTOCOL_TOKEN}`);
      if (i >= 0) headers[i] = `Sec-WebSocket-Protocol: ${TUNNELING_PROTOCOL}`;
    });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, ns: string, name: string): void {
    try {
      const pod = this.env.store.getOrThrow('pods', ns, name);
      if (!(pod.spec as { nodeName?: string } | undefined)?.nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
      if (!this.env.runtime?.portForward) {
        throw serviceUnavailable('this cluster has no pod runtime attached, so port-forward is unavailable; start the sandbox with `coredns-lab sandbox up`');
      }
      const upgrade = (req.headers.upgrade ?? '').toLowerCase();
      if (upgrade === 'websocket') {
        const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
        if (!offered.includes(TUNNELING_PROTOCOL) && offered.includes(CHANNEL_PROTOCOL)) {
          const q = new URL(req.url ?? '/', 'http://localhost').searchParams;
          const raw = [...q.getAll('ports'), ...q.getAll('port')].flatMap((v) => v.split(','));
          if (raw.length === 0) throw badRequest('query parameter "port" is required');
          const ports = raw.map((v) => {
            const n = Number(v);
            if (!Number.isInteger(n) || n <= 0 || n > 65535) throw badRequest(`unable to parse "${v}" as a port: invalid port`);
            return n;
          });
          this.wss.handleUpgrade(req, socket, head, (ws) => this.overChannels(ws, pod, ports));
          return;
        }
        // a refusal makes kubectl fall back to SPDY (portforward.NewFallbackDialer)
        if (!offered.includes(TUNNELING_PROTOCOL)) throw badRequest(`unable to upgrade: the port-forward WebSocket needs the subprotocol ${TUNNELING_PROTOCOL}`);
        req.headers['sec-websocket-protocol'] = PROTOCOL_TOKEN;
        this.wss.handleUpgrade(req, socket, head, (ws) => this.overWebSocket(ws, pod));
        return;
      }
      if (upgrade !== 'spdy/3.1') throw badRequest('unable to upgrade: port-forward needs Upgrade: websocket or SPDY/3.1');
      const versions = String(req.headers['x-stream-protocol-version'] ?? '').split(',').map((s) => s.trim());
      if (!versions.includes(PORT_FORWARD_PROTOCOL)) {
        throw badRequest(`unable to upgrade: unable to negotiate protocol: client supports [${versions.join(' ')}], server accepts [${PORT_FORWARD_PROTOCOL}]`);
      }
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}\r\n\r\n`);
      this.overSocket(socket, head, pod);
    } catch (e) {
      refuseUpgrade(socket, toStatus(e));
    }
  }

  private track(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.once('close', () => this.sockets.delete(ws));
  }

  private overWebSocket(ws: WebSocket, pod: KubeObject): void {
    this.track(ws);
    const conn = new SpdyServerConnection((b) => { if (ws.readyState === ws.OPEN) ws.send(b, { binary: true }); }, () => ws.close(1000));
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => conn.receive(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer)));
    ws.on('close', () => conn.lost());
    ws.on('error', () => conn.lost());
    this.serve(conn, pod);
  }

  private overChannels(ws: WebSocket, pod: KubeObject, ports: number[]): void {
    this.track(ws);
    const runtime = this.env.runtime!;
    const frame = (channel: number, bytes: Buffer) => {
      if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), bytes]), { binary: true });
    };
    const upstreams: Array<Duplex | undefined> = [];
    const pending: Buffer[][] = ports.map(() => []);
    let open = ports.length;
    const done = () => {
      if (--open === 0 && ws.readyState === ws.OPEN) ws.close(1000);
    };
    ports.forEach((port, i) => {
      const portBytes = Buffer.alloc(2);
      portBytes.writeUInt16LE(port);
      frame(2 * i, portBytes);
      frame(2 * i + 1, portBytes);
      runtime.portForward!(pod, port).then((up) => {
        if (ws.readyState !== ws.OPEN) return void up.destroy();
        upstreams[i] = up;
        for (const b of pending[i]!.splice(0)) up.write(b);
        up.on('data', (d: Buffer) => frame(2 * i, d));
        up.once('close', done);
        up.on('error', () => undefined);
      }, (e: unknown) => {
        frame(2 * i + 1, Buffer.from(e instanceof Error ? e.message : String(e)));
        done();
      });
    });
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
      const ch = buf[0];
      if (ch === undefined || ch % 2 !== 0 || ch / 2 >= ports.length) return;
      const up = upstreams[ch / 2];
      if (up) up.write(buf.subarray(1));
      else pending[ch / 2]!.push(buf.subarray(1));
    });
    ws.on('close', () => { for (const up of upstreams) up?.destroy(); });
  }

  private overSocket(socket: Duplex, head: Buffer, pod: KubeObject): void {
    const conn = new SpdyServerConnection((b) => { if (!socket.destroyed) socket.write(b); }, () => socket.end());
    socket.on('data', (d: Buffer) => conn.receive(d));
    socket.on('close', () => conn.lost());
    socket.on('error', () => conn.lost());
    this.serve(conn, pod);
    if (head.length > 0) conn.receive(head);
  }

  private serve(conn: SpdyServerConnection, pod: KubeObject): void {
    this.open.add(conn);
    const pairs = new Map<string, Pair>();
    const byStream = new Map<number, Pair>();
    const runtime = this.env.runtime!;
    const finish = (p: Pair, message?: string) => {
      if (p.done) return;
      p.done = true;
      if (p.errorId !== undefined) {
        if (message) conn.data(p.errorId, Buffer.from(message));
        conn.fin(p.errorId);
      }
      if (p.dataId !== undefined) conn.fin(p.dataId);
    };
    const start = (p: Pair) => {
      if (p.dataId === undefined || p.errorId === undefined || p.port === undefined) return;
      const dataId = p.dataId;
      runtime.portForward!(pod, p.port).then((up) => {
        if (p.done) return void up.destroy();
        p.upstream = up;
        for (const b of p.pending.splice(0)) up.write(b);
        if (p.ended) up.end();
        up.on('data', (d: Buffer) => conn.data(dataId, d));
        up.on('end', () => finish(p));
        up.on('error', () => finish(p));
        up.on('close', () => finish(p));
      }, (e: unknown) => finish(p, e instanceof Error ? e.message : String(e)));
    };
    conn.on('stream', (s: SpdyStreamEvent) => {
      const requestId = s.headers.requestid ?? String(s.id);
      const p: Pair = pairs.get(requestId) ?? { pending: [] };
      pairs.set(requestId, p);
      byStream.set(s.id, p);
      const port = Number(s.headers.port);
      if (!Number.isInteger(port) || port <= 0 || port > 65535) {
        if (s.headers.streamtype === 'error') p.errorId = s.id;
        else p.dataId = s.id;
        finish(p, `unable to parse "${s.headers.port ?? ''}" as a port: invalid port`);
        return;
      }
      p.port = port;
      if (s.headers.streamtype === 'error') p.errorId = s.id;
      else if (s.headers.streamtype === 'data') p.dataId = s.id;
      else return conn.reset(s.id);
      start(p);
    });
    conn.on('data', (id: number, bytes: Buffer) => {
      const p = byStream.get(id);
      if (!p || id !== p.dataId) return;
      if (p.upstream) p.upstream.write(bytes);
      else p.pending.push(bytes);
    });
    conn.on('fin', (id: number) => {
      const p = byStream.get(id);
      // the client half-closes its error stream at once; its data stream's FIN is the local EOF
      if (!p || id !== p.dataId) return;
      p.ended = true;
      p.upstream?.end();
    });
    conn.on('reset', (id: number) => {
      const p = byStream.get(id);
      if (p) {
        p.done = true;
        p.upstream?.destroy();
      }
    });
    conn.on('error', () => undefined);
    conn.on('close', () => {
      this.open.delete(conn);
      for (const p of pairs.values()) {
        p.done = true;
        p.upstream?.destroy();
      }
    });
  }

  close(): void {
    for (const c of [...this.open]) c.close();
    this.open.clear();
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
    this.wss.close();
  }
}
