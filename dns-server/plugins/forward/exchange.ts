// Sending one query to one upstream: UDP through a shared socket (answers matched by id,
// source and question), TCP when asked or when the UDP answer came back truncated.
import dgram from 'node:dgram';
import net from 'node:net';
import { isIPv6 } from 'node:net';
import { randomInt } from 'node:crypto';
import * as dnsPacket from 'dns-packet';
import type { DnsMessage, PluginContext, ServerHooks } from '../../core/plugin.ts';
import type { UpstreamAddress } from './parse.ts';

export class UpstreamTimeout extends Error {
  readonly code = 'DNS_ERR_UPSTREAM_TIMEOUT';
}
export class UpstreamError extends Error {
  readonly code = 'DNS_ERR_UPSTREAM';
}

/**
 * The upstream answered, but not this question (request.Match: one question, the response bit,
 * the same name and type). CoreDNS's forward answers FORMERR at once, without trying another
 * upstream or counting a failure.
 */
export class WrongAnswerError extends Error {
  readonly code = 'DNS_ERR_WRONG_ANSWER';
}

/**
 * Where upstream traffic really goes (hooks.mapUpstream) and the address the server's own
 * sockets have in its logs (the pod IP in the sandbox). Empty standalone: addresses are real.
 */
export interface UpstreamNet {
  map?: ServerHooks['mapUpstream'];
  localIP?: string;
}

export function upstreamNet(ctx: PluginContext): UpstreamNet {
  return { map: ctx.hooks.mapUpstream?.bind(ctx.hooks), localIP: ctx.hooks.mapUpstream ? ctx.env.POD_IP : undefined };
}

/** the real address for an upstream, or 'unreachable' */
function route(net: UpstreamNet, to: UpstreamAddress, transport: 'udp' | 'tcp'): UpstreamAddress | 'unreachable' {
  return net.map ? net.map(to.host, to.port, transport) : to;
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

  constructor(private readonly net: UpstreamNet = {}) {}

  private socket(family: 4 | 6): Promise<dgram.Socket> {
    let p = this.sockets.get(family);
    if (!p) {
      p = new Promise((resolve, reject) => {
        const s = dgram.createSocket({ type: family === 6 ? 'udp6' : 'udp4', recvBufferSize: 1 << 20 });
        s.once('error', reject);
        // mapped upstreams are all on loopback: nothing else needs to reach this socket
        const bindTo = this.net.map ? (family === 6 ? '::1' : '127.0.0.1') : undefined;
        s.bind(0, bindTo, () => {
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
    const real = route(this.net, to, 'udp');
    const sock = await this.socket(isIPv6(real === 'unreachable' ? to.host : real.host) ? 6 : 4);
    if (this.closed) throw new UpstreamError('forward is stopped');
    let id = randomInt(65536);
    for (let i = 0; this.pending.has(id) && i < 100; i++) id = randomInt(65536);
    if (this.pending.has(id)) throw new UpstreamError('too many queries in flight');
    const wire = dnsPacket.encode({ ...query, id });
    const a = sock.address();
    const local = `${this.net.localIP ?? a.address}:${a.port}`;
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new UpstreamTimeout(`read udp ${local}->${hostPort(to)}: i/o timeout`));
      }, timeoutMs);
      this.pending.set(id, {
        host: real === 'unreachable' ? '' : real.host, port: real === 'unreachable' ? 0 : real.port,
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
      // a blackholed address: the datagram goes nowhere and the timer above answers
      if (real === 'unreachable') return;
      try {
        sock.send(wire, real.port, real.host, (err) => err && failed(err));
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

export function exchangeTcp(query: DnsMessage, to: UpstreamAddress, timeoutMs: number, upstream: UpstreamNet = {}): Promise<Buffer> {
  const wire = dnsPacket.encode(query);
  const real = route(upstream, to, 'tcp');
  if (real === 'unreachable') {
    // no SYN ever gets an answer from a blackholed address: the dial times out
    return new Promise((_resolve, reject) => setTimeout(() => reject(new UpstreamTimeout(`dial tcp ${hostPort(to)}: i/o timeout`)), timeoutMs));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const sock = net.connect({ host: real.host, port: real.port });
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
