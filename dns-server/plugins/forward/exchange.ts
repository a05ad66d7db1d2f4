// Sending one query to one upstream: UDP through a shared socket (answers matched by id,
// source and question), TCP when asked or when the UDP answer came back truncated.
import dgram from 'node:dgram';
import net from 'node:net';
import { isIPv6 } from 'node:net';
import { randomInt } from 'node:crypto';
import * as dnsPacket from 'dns-packet';
import type { DnsMessage } from '../../core/plugin.ts';
import type { UpstreamAddress } from './parse.ts';

export class UpstreamTimeout extends Error {
  readonly code = 'DNS_ERR_UPSTREAM_TIMEOUT';
}
export class UpstreamError extends Error {
  readonly code = 'DNS_ERR_UPSTREAM';
}

interface Pending {
  resolve(b: Buffer): void;
  reject(err: Error): void;
  host: string;
  port: number;
}

/** One UDP socket per address family, shared by every query of a forward instance. */
export class UdpExchanger {
  private sockets = new Map<4 | 6, Promise<dgram.Socket>>();
  private pending = new Map<number, Pending>();
  private closed = false;

  private socket(family: 4 | 6): Promise<dgram.Socket> {
    let p = this.sockets.get(family);
    if (!p) {
      p = new Promise((resolve, reject) => {
        const s = dgram.createSocket({ type: family === 6 ? 'udp6' : 'udp4', recvBufferSize: 1 << 20 });
        s.once('error', reject);
        s.bind(0, () => {
          s.removeListener('error', reject);
          s.on('error', () => {});
          s.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
          resolve(s);
        });
      });
      this.sockets.set(family, p);
    }
    return p;
  }

  private onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (msg.length < 12) return;
    const id = msg.readUInt16BE(0);
    const p = this.pending.get(id);
    const from = rinfo.address.startsWith('::ffff:') ? rinfo.address.slice(7) : rinfo.address;
    if (!p || p.port !== rinfo.port || p.host !== from) return; // not ours: ignore, as a spoof would be
    this.pending.delete(id);
    p.resolve(msg);
  }

  async exchange(query: DnsMessage, to: UpstreamAddress, timeoutMs: number): Promise<Buffer> {
    if (this.closed) throw new UpstreamError('forward is stopped');
    const sock = await this.socket(isIPv6(to.host) ? 6 : 4);
    if (this.closed) throw new UpstreamError('forward is stopped');
    let id = randomInt(65536);
    for (let i = 0; this.pending.has(id) && i < 100; i++) id = randomInt(65536);
    if (this.pending.has(id)) throw new UpstreamError('too many queries in flight');
    const wire = dnsPacket.encode({ ...query, id });
    const a = sock.address();
    const local = `${a.address}:${a.port}`;
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new UpstreamTimeout(`read udp ${local}->${hostPort(to)}: i/o timeout`));
      }, timeoutMs);
      this.pending.set(id, {
        host: to.host, port: to.port,
        resolve: (b) => {
          clearTimeout(timer);
          b.writeUInt16BE(query.id ?? 0, 0);
          resolve(b);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      const failed = (err: Error) => {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new UpstreamError(`write udp ${hostPort(to)}: ${err.message}`));
      };
      try {
        sock.send(wire, to.port, to.host, (err) => err && failed(err));
      } catch (err) {
        failed(err as Error); // closed by stop() while a query was on its way
      }
    });
  }

  close(): void {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new UpstreamError('forward is stopped'));
    this.pending.clear();
    for (const p of this.sockets.values()) p.then((s) => s.close(), () => {});
    this.sockets.clear();
  }
}

export function exchangeTcp(query: DnsMessage, to: UpstreamAddress, timeoutMs: number): Promise<Buffer> {
  const wire = dnsPacket.encode(query);
  return new Promise<Buffer>((resolve, reject) => {
    const sock = net.connect({ host: to.host, port: to.port });
    let buf = Buffer.alloc(0);
    const done = (err: Error | null, b?: Buffer) => {
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(b!);
    };
    const timer = setTimeout(() => done(new UpstreamTimeout(`read tcp ${hostPort(to)}: i/o timeout`)), timeoutMs);
    sock.on('connect', () => {
      const framed = Buffer.allocUnsafe(2 + wire.length);
      framed.writeUInt16BE(wire.length, 0);
      wire.copy(framed, 2);
      sock.write(framed);
    });
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) done(null, buf.subarray(2, 2 + buf.readUInt16BE(0)));
    });
    sock.on('error', (err) => done(new UpstreamError(`dial tcp ${hostPort(to)}: ${err.message}`)));
    sock.on('close', () => done(new UpstreamError(`read tcp ${hostPort(to)}: connection closed before an answer`)));
  });
}

export const hostPort = (a: UpstreamAddress) => (a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`);
