// Test clients: dns-packet queries over real UDP/TCP sockets, raw bytes, and the real dig.
import dgram from 'node:dgram';
import net from 'node:net';
import { execFile } from 'node:child_process';
import * as dnsPacket from 'dns-packet';
import type { DnsMessage } from '../core/plugin.ts';

export interface QueryOptions {
  transport?: 'udp' | 'tcp';
  /** add an OPT with this UDP size */
  edns?: number;
  do?: boolean;
  id?: number;
  rd?: boolean;
  timeoutMs?: number;
  host?: string;
}

export function buildQuery(name: string, type: string, o: QueryOptions = {}): Buffer {
  const additionals = o.edns !== undefined ? [{ type: 'OPT', name: '.', udpPayloadSize: o.edns, flags: o.do ? dnsPacket.DNSSEC_OK : 0 } as never] : [];
  return dnsPacket.encode({ type: 'query', id: o.id ?? Math.floor(Math.random() * 65536), flags: o.rd === false ? 0 : dnsPacket.RECURSION_DESIRED, questions: [{ type: type as 'A', name, class: 'IN' }], additionals });
}

/** a decoded answer with dns-packet's header fields and the raw bytes */
export interface Rec {
  name: string;
  type: string;
  class?: string;
  ttl?: number;
  data?: unknown;
}
export type Answer = Omit<DnsMessage, 'answers' | 'authorities' | 'additionals'> & {
  answers?: Rec[];
  authorities?: Rec[];
  additionals?: Rec[];
  raw: Buffer;
  rcode: string;
  flag_aa: boolean;
  flag_tc: boolean;
  flag_ra: boolean;
  flag_rd: boolean;
  flag_qr: boolean;
};

export async function query(port: number, name: string, type: string, o: QueryOptions = {}): Promise<Answer> {
  const raw = await (o.transport === 'tcp' ? rawTcp : rawUdp)(port, buildQuery(name, type, o), o.timeoutMs ?? 3000, o.host);
  if (!raw) throw new Error(`no answer for ${name} ${type} on port ${port}`);
  return Object.assign(dnsPacket.decode(raw), { raw }) as unknown as Answer;
}

/** sends bytes over UDP; resolves to the answer or undefined after the timeout */
export function rawUdp(port: number, bytes: Buffer, timeoutMs = 2000, host = '127.0.0.1'): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      s.close();
      resolve(undefined);
    }, timeoutMs);
    s.on('message', (m) => {
      clearTimeout(timer);
      s.close();
      resolve(m);
    });
    s.on('error', () => {});
    s.send(bytes, port, host);
  });
}

/** one length-prefixed message over a new TCP connection */
export async function rawTcp(port: number, bytes: Buffer, timeoutMs = 2000, host = '127.0.0.1'): Promise<Buffer | undefined> {
  const [out] = await tcpMany(port, [bytes], timeoutMs, host);
  return out;
}

/** several messages on one TCP connection; answers in arrival order */
export function tcpMany(port: number, messages: Buffer[], timeoutMs = 2000, host = '127.0.0.1'): Promise<Buffer[]> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host });
    const got: Buffer[] = [];
    let buf = Buffer.alloc(0);
    const finish = () => {
      clearTimeout(timer);
      sock.destroy();
      resolve(got);
    };
    const timer = setTimeout(finish, timeoutMs);
    sock.on('connect', () => {
      for (const m of messages) {
        const f = Buffer.alloc(2 + m.length);
        f.writeUInt16BE(m.length, 0);
        m.copy(f, 2);
        sock.write(f);
      }
    });
    sock.on('data', (c) => {
      buf = Buffer.concat([buf, c]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        got.push(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
      }
      if (got.length === messages.length) finish();
    });
    sock.on('error', finish);
    sock.on('close', finish);
  });
}

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** runs a real tool (dig, nslookup, busybox) with a timeout */
export function run(cmd: string, args: string[], timeoutMs = 15_000): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? ((err as unknown as { code: number }).code) : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

export const dig = (port: number, args: string[]) => run('dig', ['@127.0.0.1', '-p', String(port), '+time=2', '+tries=1', ...args]);
