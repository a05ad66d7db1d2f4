// The resolver of the nodes (on AWS, the VPC's): where DNS pods forward names outside the
// cluster, and the nameserver of `dnsPolicy: Default` pods. It answers the nodes' own names
// itself and forwards the rest to the host's upstream nameservers (the host's /etc/resolv.conf,
// as a kubelet's node resolv.conf names them), relaying their answer. An upstream that does not
// answer within the timeout, or cannot be reached at all (an offline machine), gets the client a
// SERVFAIL, as a recursive resolver answers when its upstreams fail. With no upstreams at all it
// answers NXDOMAIN at once with a root SOA, as the chapter's log shows for
// "AAAA IN kubernetes.default." (NXDOMAIN qr,rd,ra).
import dgram from 'node:dgram';
import net from 'node:net';
import * as packet from 'dns-packet';

export interface NodeResolver {
  host: string;
  port: number;
  close(): Promise<void>;
}

/** a nameserver the node resolver forwards to */
export interface UpstreamNameserver {
  host: string;
  port: number;
}

const ROOT_SOA: packet.Answer = {
  type: 'SOA', name: '.', ttl: 86400, class: 'IN',
  data: { mname: 'a.root-servers.net', rname: 'nstld.verisign-grs.com', serial: 2017110300, refresh: 1800, retry: 900, expire: 604800, minimum: 86400 },
};

/** the node name -> address table, e.g. ip-172-20-84-184.us-west-1.compute.internal -> 172.20.84.184 */
export type NodeAddresses = () => Map<string, string>;

/** the nameservers of a resolv.conf, port 53; none means the local machine's, as resolv.conf(5) says */
export function resolvConfNameservers(text: string): UpstreamNameserver[] {
  const hosts = text.split('\n').map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1]).filter((h): h is string => !!h && net.isIP(h) !== 0);
  return (hosts.length ? hosts : ['127.0.0.1']).map((host) => ({ host, port: 53 }));
}

const RCODE_SERVFAIL = 2;
const RCODE_NXDOMAIN = 3;

/**
 * Top-level names the root zone never delegates: the special-use names (RFC 6761 and 6762, and
 * ICANN's reserved `internal`). The root answers NXDOMAIN for them, so the node does too, at once
 * and without the network.
 */
export const SPECIAL_USE_TLDS: ReadonlySet<string> = new Set(['localhost', 'invalid', 'test', 'example', 'local', 'internal']);

/**
 * Top-level names the node answers NXDOMAIN for itself: what is left of a pod's search list when
 * every cluster suffix failed (`kubernetes.default.`, whose last label is a namespace). A real
 * node asks the root, which says NXDOMAIN; answering locally keeps that answer, and the chapter's
 * query log, the same on an offline machine, whose upstream would only say SERVFAIL.
 */
export type LocalTlds = (tld: string) => boolean;

function tldOf(name: string): string {
  const labels = name.toLowerCase().replace(/\.$/, '').split('.');
  return labels[labels.length - 1] ?? '';
}

/** the answer the node resolver gives itself: a node's name, a malformed query, or (without upstreams) NXDOMAIN; undefined: forward it */
export function localAnswer(query: Buffer, nodes: NodeAddresses, forwarding: boolean, localTlds?: LocalTlds): Buffer | 'drop' | undefined {
  let q: packet.Packet;
  try {
    q = packet.decode(query);
  } catch {
    return 'drop';
  }
  const question = q.questions?.[0];
  const flags = packet.RECURSION_AVAILABLE | ((q.flags ?? 0) & packet.RECURSION_DESIRED);
  if (!question) return packet.encode({ type: 'response', id: q.id, flags: flags | 1, questions: [] });
  const ip = nodes().get(question.name.toLowerCase().replace(/\.$/, ''));
  if (ip && (question.type === 'A' || question.type === 'AAAA')) {
    const answers: packet.Answer[] = question.type === 'A' ? [{ type: 'A', name: question.name, ttl: 60, class: 'IN', data: ip }] : [];
    return packet.encode({ type: 'response', id: q.id, flags, questions: [question], answers, authorities: answers.length ? [] : [ROOT_SOA] });
  }
  const tld = tldOf(question.name);
  const undelegated = SPECIAL_USE_TLDS.has(tld) || (localTlds?.(tld) ?? false);
  if (forwarding && !undelegated) return undefined;
  // the rcode is OR-ed into the flags (dns-packet ignores `rcode` on encode)
  return packet.encode({ type: 'response', id: q.id, flags: flags | RCODE_NXDOMAIN, questions: [question], authorities: [ROOT_SOA] });
}

/** SERVFAIL for a query: the question echoed, nothing else */
function servfail(query: Buffer): Buffer {
  const q = packet.decode(query);
  const flags = packet.RECURSION_AVAILABLE | ((q.flags ?? 0) & packet.RECURSION_DESIRED) | RCODE_SERVFAIL;
  return packet.encode({ type: 'response', id: q.id, flags, questions: q.questions ?? [] });
}

/** one UDP exchange with an upstream: its reply (id checked), or undefined on timeout or a send error */
function askUdp(query: Buffer, to: UpstreamNameserver, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const s = dgram.createSocket(net.isIPv6(to.host) ? 'udp6' : 'udp4');
    const done = (reply: Buffer | undefined) => {
      clearTimeout(timer);
      s.close();
      resolve(reply);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    s.on('error', () => done(undefined));
    s.on('message', (msg, rinfo) => {
      const fromIt = rinfo.address === to.host && rinfo.port === to.port;
      if (fromIt && msg.length >= 2 && msg.readUInt16BE(0) === query.readUInt16BE(0)) done(msg);
    });
    s.send(query, to.port, to.host, (err) => { if (err) done(undefined); });
  });
}

/** one TCP exchange (a truncated UDP answer is asked again over TCP, as resolvers do) */
function askTcp(query: Buffer, to: UpstreamNameserver, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const s = net.connect(to.port, to.host);
    let buf = Buffer.alloc(0);
    const done = (reply: Buffer | undefined) => {
      s.destroy();
      resolve(reply);
    };
    s.setTimeout(timeoutMs, () => done(undefined));
    s.on('error', () => done(undefined));
    s.on('close', () => done(undefined));
    s.on('connect', () => {
      const head = Buffer.alloc(2);
      head.writeUInt16BE(query.length);
      s.write(Buffer.concat([head, query]));
    });
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) done(buf.subarray(2, 2 + buf.readUInt16BE(0)));
    });
  });
}

/**
 * how long the node resolver waits for its upstreams, in all, before it answers SERVFAIL: below
 * CoreDNS forward's 2 s read timeout, so the DNS pod relays the SERVFAIL
 */
export const UPSTREAM_TIMEOUT_MS = 1500;

/** the reply for one query: a node's name, else the first upstream that answers in time, else SERVFAIL */
async function resolveQuery(
  query: Buffer, nodes: NodeAddresses, upstreams: UpstreamNameserver[], timeoutMs: number, localTlds?: LocalTlds,
): Promise<Buffer | undefined> {
  const local = localAnswer(query, nodes, upstreams.length > 0, localTlds);
  if (local === 'drop') return undefined;
  if (local) return local;
  const deadline = Date.now() + timeoutMs;
  for (const [i, to] of upstreams.entries()) {
    // each nameserver gets an equal share of what is left, as a resolver rotates through them
    const share = Math.max(1, Math.floor((deadline - Date.now()) / (upstreams.length - i)));
    let reply = await askUdp(query, to, share);
    const truncated = reply && reply.length >= 4 && (reply.readUInt16BE(2) & 0x0200);
    if (truncated) reply = (await askTcp(query, to, Math.max(1, deadline - Date.now()))) ?? reply;
    if (reply) return reply;
  }
  return servfail(query);
}

/**
 * A TCP connection with no complete query for this long is closed, as a DNS server does (the
 * Go DNS library under CoreDNS closes an idle TCP connection after 8 s), so an idle client
 * cannot hold sockets open forever.
 */
export const TCP_IDLE_MS = 8_000;
/** replies queued for a client that does not read them; past this the connection is closed */
const TCP_MAX_UNREAD = 256 * 1024;
/** UDP ports tried for one whose number is free on TCP too */
const PORT_PAIR_ATTEMPTS = 5;

export interface NodeResolverOptions {
  /** default TCP_IDLE_MS */
  tcpIdleMs?: number;
  /** where names that are not the nodes' go (the host's nameservers); none: NXDOMAIN at once */
  upstreams?: UpstreamNameserver[];
  /** how long all upstreams together get before the answer is SERVFAIL; default UPSTREAM_TIMEOUT_MS */
  upstreamTimeoutMs?: number;
  /** top-level names answered NXDOMAIN without asking the upstreams (besides SPECIAL_USE_TLDS); the cluster's namespaces */
  localTlds?: LocalTlds;
}

export async function startNodeResolver(nodes: NodeAddresses, opts: NodeResolverOptions = {}): Promise<NodeResolver> {
  const upstreams = opts.upstreams ?? [];
  const timeoutMs = opts.upstreamTimeoutMs ?? UPSTREAM_TIMEOUT_MS;
  const resolve = (query: Buffer) => resolveQuery(query, nodes, upstreams, timeoutMs, opts.localTlds).catch(() => undefined);
  let closed = false;
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
        const query = Buffer.from(buf.subarray(2, 2 + len));
        buf = buf.subarray(2 + len);
        void resolve(query).then((reply) => {
          if (!reply || s.destroyed) return;
          const head = Buffer.alloc(2);
          head.writeUInt16BE(reply.length);
          s.write(Buffer.concat([head, reply]));
          if (s.writableLength > TCP_MAX_UNREAD) s.destroy();
        });
      }
      if (buf.length) buf = Buffer.from(buf); // keep the partial message, not the whole read it came in
      if (s.writableLength > TCP_MAX_UNREAD) s.destroy();
    });
  });
  // UDP on a free port, then TCP on the same number. That number's TCP side can be taken (an
  // ephemeral UDP port says nothing of TCP): a fresh pair is tried then, since a client that
  // retries a truncated answer over TCP would reach whatever else listens there. After a few
  // clashes UDP alone serves, which is enough for the forward plugin's default.
  let udp!: dgram.Socket;
  let port = 0;
  for (let attempt = 0; attempt < PORT_PAIR_ATTEMPTS; attempt++) {
    udp = dgram.createSocket('udp4');
    udp.on('error', () => undefined);
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    port = udp.address().port;
    const listening = await new Promise<boolean>((r) => {
      tcp.once('error', () => r(false));
      tcp.listen(port, '127.0.0.1', () => r(true));
    });
    if (listening || attempt === PORT_PAIR_ATTEMPTS - 1) break;
    await new Promise<void>((r) => udp.close(() => r()));
  }
  udp.on('message', (msg, rinfo) => {
    void resolve(msg).then((reply) => { if (reply && !closed) udp.send(reply, rinfo.port, rinfo.address); });
  });
  return {
    host: '127.0.0.1',
    port,
    async close() {
      closed = true;
      for (const s of sockets) s.destroy();
      await Promise.all([
        new Promise<void>((r) => udp.close(() => r())),
        new Promise<void>((r) => (tcp.listening ? tcp.close(() => r()) : r())),
      ]);
    },
  };
}
