// The resolver of the nodes (on AWS, the VPC's): where DNS pods forward names outside the
// cluster. The lab is offline, so it knows only the nodes' own names and answers everything else
// NXDOMAIN at once, with a root SOA, which is what the chapter's log shows for
// "AAAA IN kubernetes.default." (NXDOMAIN qr,rd,ra). Answering fast keeps each search-path step
// of a pod's lookup cheap instead of waiting for an unreachable internet resolver to time out.
import dgram from 'node:dgram';
import net from 'node:net';
import * as packet from 'dns-packet';

export interface NodeResolver {
  host: string;
  port: number;
  close(): Promise<void>;
}

const ROOT_SOA: packet.Answer = {
  type: 'SOA', name: '.', ttl: 86400, class: 'IN',
  data: { mname: 'a.root-servers.net', rname: 'nstld.verisign-grs.com', serial: 2017110300, refresh: 1800, retry: 900, expire: 604800, minimum: 86400 },
};

/** the node name -> address table, e.g. ip-172-20-84-184.us-west-1.compute.internal -> 172.20.84.184 */
export type NodeAddresses = () => Map<string, string>;

export function answer(query: Buffer, nodes: NodeAddresses): Buffer | undefined {
  let q: packet.Packet;
  try {
    q = packet.decode(query);
  } catch {
    return undefined;
  }
  const question = q.questions?.[0];
  const rd = (q.flags ?? 0) & packet.RECURSION_DESIRED;
  const flags = packet.RECURSION_AVAILABLE | rd;
  if (!question) return packet.encode({ type: 'response', id: q.id, flags: flags | 1, questions: [] });
  const ip = nodes().get(question.name.toLowerCase().replace(/\.$/, ''));
  if (ip && (question.type === 'A' || question.type === 'AAAA')) {
    const answers: packet.Answer[] = question.type === 'A' ? [{ type: 'A', name: question.name, ttl: 60, class: 'IN', data: ip }] : [];
    return packet.encode({ type: 'response', id: q.id, flags, questions: [question], answers, authorities: answers.length ? [] : [ROOT_SOA] });
  }
  // NXDOMAIN is rcode 3, OR-ed into the flags (dns-packet ignores `rcode` on encode)
  return packet.encode({ type: 'response', id: q.id, flags: flags | 3, questions: [question], authorities: [ROOT_SOA] });
}

/**
 * A TCP connection with no complete query for this long is closed, as a DNS server does (the
 * Go DNS library under CoreDNS closes an idle TCP connection after 8 s), so an idle client
 * cannot hold sockets open forever.
 */
export const TCP_IDLE_MS = 8_000;
/** replies queued for a client that does not read them; past this the connection is closed */
const TCP_MAX_UNREAD = 256 * 1024;

export interface NodeResolverOptions {
  /** default TCP_IDLE_MS */
  tcpIdleMs?: number;
}

export async function startNodeResolver(nodes: NodeAddresses, opts: NodeResolverOptions = {}): Promise<NodeResolver> {
  const udp = dgram.createSocket('udp4');
  udp.on('message', (msg, rinfo) => {
    const reply = answer(msg, nodes);
    if (reply) udp.send(reply, rinfo.port, rinfo.address);
  });
  udp.on('error', () => undefined);
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
  const port = udp.address().port;
  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    s.setTimeout(opts.tcpIdleMs ?? TCP_IDLE_MS, () => s.destroy());
    // at most one message (2 + 65535 bytes) plus the read in hand is ever kept
    let buf: Buffer = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, d]) : d;
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const len = buf.readUInt16BE(0);
        const reply = answer(buf.subarray(2, 2 + len), nodes);
        buf = buf.subarray(2 + len);
        if (reply) {
          const head = Buffer.alloc(2);
          head.writeUInt16BE(reply.length);
          s.write(Buffer.concat([head, reply]));
        }
      }
      if (buf.length) buf = Buffer.from(buf); // keep the partial message, not the whole read it came in
      if (s.writableLength > TCP_MAX_UNREAD) s.destroy();
    });
  });
  // TCP on the same port when it is free; UDP alone is enough for the forward plugin's default
  await new Promise<void>((r) => { tcp.once('error', () => r()); tcp.listen(port, '127.0.0.1', () => r()); });
  return {
    host: '127.0.0.1',
    port,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all([
        new Promise<void>((r) => udp.close(() => r())),
        new Promise<void>((r) => (tcp.listening ? tcp.close(() => r()) : r())),
      ]);
    },
  };
}
