// DNS over TCP: two-byte length prefix, several queries per connection (answered as they
// complete), an idle timeout, and a cap on message size so no client can stall the server.
import net from 'node:net';
import type { Dispatcher, Send } from './dispatch.ts';
import { ListenError } from '../errors.ts';

export const TCP_IDLE_MS = 10_000;
const MAX_BUFFERED = 4 * 65537;

export interface TcpListener {
  server: net.Server;
  close(): Promise<void>;
}

export async function listenTcp(host: string, port: number, dispatcher: Dispatcher, idleMs = TCP_IDLE_MS): Promise<TcpListener> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.setNoDelay(true);
    sock.setTimeout(idleMs, () => sock.destroy());
    let pending: Buffer = Buffer.alloc(0);
    const send: Send = (head, tail, opt) => {
      if (sock.destroyed) return;
      const len = head.length + (tail?.length ?? 0) + (opt?.length ?? 0);
      const framed = Buffer.allocUnsafe(2 + len);
      framed.writeUInt16BE(len, 0);
      let o = 2 + head.copy(framed, 2);
      if (tail) o += tail.copy(framed, o);
      if (opt) opt.copy(framed, o);
      sock.write(framed);
    };
    sock.on('data', (chunk) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      if (pending.length > MAX_BUFFERED) return sock.destroy();
      while (pending.length >= 2) {
        const len = pending.readUInt16BE(0);
        if (pending.length < 2 + len) break;
        const msg = Buffer.from(pending.subarray(2, 2 + len));
        pending = pending.subarray(2 + len);
        if (len < 12) {
          sock.destroy(); // not a DNS message: the stream cannot be trusted any more
          return;
        }
        dispatcher.handle(msg, sock.remoteAddress ?? '', sock.remotePort ?? 0, 'tcp', send);
      }
    });
    sock.on('error', () => sock.destroy());
    sock.on('close', () => sockets.delete(sock));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new ListenError(`tcp ${host}:${port}`, err.message)));
    server.listen(port, host, () => resolve());
  });
  server.on('error', () => {});
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
