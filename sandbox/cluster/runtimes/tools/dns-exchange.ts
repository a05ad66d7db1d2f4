// One DNS exchange as bind9's tools make it (dig, host, nslookup): a query over UDP or TCP to
// one server, through the pod's network (pod-network.ts), from a socket registered as the pod's
// so the DNS server logs the pod IP. `tries` sends (UDP), each waiting `timeoutMs`; a blackhole
// waits them out, a refusal ends the exchange at once.
import dgram from 'node:dgram';
import net from 'node:net';
import { randomInt } from 'node:crypto';
import * as packet from 'dns-packet';
import type { AppletContext } from '../busybox/context.ts';
import { sleep } from '../busybox/context.ts';

export interface ExchangeRequest {
  server: string;
  port: number;
  name: string;
  type: string;
  tcp: boolean;
  timeoutMs: number;
  tries: number;
  recurse: boolean;
  /** the EDNS UDP size to advertise; undefined: no OPT record (+noedns) */
  edns?: number;
  /**
   * whether a UDP refusal (ICMP port unreachable, kube-proxy's reject of a Service without
   * endpoints) reaches the tool: bind 9.9/9.10 send from unconnected sockets, which never see
   * it, so they wait out every try as for a blackhole
   */
  seesUdpRefusal?: boolean;
}

export type ExchangeResult =
  | { kind: 'answer'; reply: packet.Packet; size: number; ms: number; id: number }
  | { kind: 'timeout' }
  | { kind: 'refused' };

type Ctx = Pick<AppletContext, 'route' | 'proxy' | 'podIP' | 'signal'>;

function encodeQuery(req: ExchangeRequest, id: number): Buffer {
  const additionals: packet.Answer[] = req.edns === undefined ? [] : [
    { type: 'OPT', name: '.', udpPayloadSize: req.edns, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] } as unknown as packet.Answer,
  ];
  return packet.encode({
    type: 'query', id, flags: req.recurse ? packet.RECURSION_DESIRED : 0,
    questions: [{ type: req.type as packet.RecordType, class: 'IN', name: req.name }], additionals,
  });
}

export async function exchange(ctx: Ctx, req: ExchangeRequest): Promise<ExchangeResult> {
  const backend = ctx.route ? await ctx.route(req.server, req.port, req.tcp ? 'TCP' : 'UDP')
    : ctx.proxy.resolve(req.server, req.port, req.tcp ? 'TCP' : 'UDP') ?? 'refused';
  if (backend === 'refused' && (req.tcp || req.seesUdpRefusal !== false)) return { kind: 'refused' };
  if (backend === 'unreachable' || backend === 'refused') {
    const tries = req.tcp ? 1 : req.tries;
    for (let i = 0; i < tries; i++) if (!(await sleep(req.timeoutMs, ctx.signal))) break;
    return { kind: 'timeout' };
  }
  const id = randomInt(1, 65535);
  const query = encodeQuery(req, id);
  const started = process.hrtime.bigint();
  const ms = () => Number((process.hrtime.bigint() - started) / 1_000_000n);
  const got = req.tcp ? await overTcp(ctx, backend, query, req.timeoutMs) : await overUdp(ctx, backend, query, id, req);
  if (got === 'refused') return { kind: 'refused' };
  if (!got) return { kind: 'timeout' };
  return { kind: 'answer', reply: packet.decode(got), size: got.length, ms: ms(), id };
}

async function overUdp(
  ctx: Ctx, to: { host: string; port: number }, query: Buffer, id: number, req: ExchangeRequest,
): Promise<Buffer | undefined> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => { socket.off('error', reject); resolve(); });
  });
  const forget = ctx.proxy.clients.register(socket.address().port, 'udp', ctx.podIP);
  try {
    for (let attempt = 0; attempt < req.tries && !ctx.signal.aborted; attempt++) {
      const reply = await new Promise<Buffer | undefined>((resolve) => {
        const done = (r: Buffer | undefined) => {
          clearTimeout(timer);
          socket.off('message', onMessage);
          ctx.signal.removeEventListener('abort', onAbort);
          resolve(r);
        };
        const onMessage = (msg: Buffer) => { if (msg.length >= 2 && msg.readUInt16BE(0) === id) done(msg); };
        const onAbort = () => done(undefined);
        // a reply already waiting when a stalled event loop fires the timer still counts
        const timer = setTimeout(() => setImmediate(() => done(undefined)), req.timeoutMs);
        socket.on('message', onMessage);
        ctx.signal.addEventListener('abort', onAbort, { once: true });
        socket.send(query, to.port, to.host);
      });
      if (reply) return reply;
    }
    return undefined;
  } finally {
    forget();
    socket.close();
  }
}

function overTcp(ctx: Ctx, to: { host: string; port: number }, query: Buffer, timeoutMs: number): Promise<Buffer | 'refused' | undefined> {
  return new Promise((resolve) => {
    const sock = net.connect(to.port, to.host);
    let buf = Buffer.alloc(0);
    let forget = () => undefined as void;
    const done = (r: Buffer | 'refused' | undefined) => {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      forget();
      sock.destroy();
      resolve(r);
    };
    const onAbort = () => done(undefined);
    const timer = setTimeout(() => done(undefined), timeoutMs);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    sock.once('connect', () => {
      forget = ctx.proxy.clients.register(sock.localPort ?? 0, 'tcp', ctx.podIP);
      const len = Buffer.alloc(2);
      len.writeUInt16BE(query.length);
      sock.write(Buffer.concat([len, query]));
    });
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) done(buf.subarray(2, 2 + buf.readUInt16BE(0)));
    });
    sock.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED' ? 'refused' : undefined));
    sock.once('end', () => done(undefined));
  });
}
