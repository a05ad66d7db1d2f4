// dig +trace as bind 9.9.5 / 9.10.4 run it (bin/dig/dighost.c recv_done's TRACE code,
// followup_lookup, connect_timeout): ". NS" without recursion to the resolv.conf (or @) server,
// printed without comments (answer and authority sections) and followed by ";; Received N bytes
// from ADDR#PORT(LABEL) in T ms"; then the name itself, without recursion, to the NS names found
// there, each resolved through the C library (getaddrinfo: the pod's resolver), tried in random
// order, one timeout each, `tries` rounds. From a pod the root servers are outside the cluster,
// a blackhole (pod-network.ts), so that ends in ";; connection timed out; no servers could be
// reached" and status 9. Names none of which resolve are fatal(): "couldn't get address for
// 'NAME': no more" (the rdataset loop's last result) on stderr, status 10, nothing more printed.
// An answer without NS records ends the trace there, status 0.
import type * as packet from 'dns-packet';
import type { AppletContext } from '../busybox/context.ts';
import { recordLine, records } from './bind-format.ts';
import { exchange } from './dns-exchange.ts';
import { ask, NO_SERVERS, type Target } from './bind-lookup.ts';

/** dighost.c MXSERV: NS names a trace follows at most */
const MXSERV = 20;

export interface TraceRequest {
  name: string;
  type: string;
  servers: Target[];
  port: number;
  tcp: boolean;
  timeoutMs: number;
  tries: number;
  edns?: number;
}

/** the answer and authority sections as +trace prints them (no comments, no question, no additional) */
function traceSections(reply: packet.Packet): string {
  return [...records(reply.answers), ...records(reply.authorities)].map((a) => `${recordLine(a)}\n`).join('');
}

const received = (size: number, server: Target, port: number, ms: number) =>
  `;; Received ${size} bytes from ${server.address}#${port}(${server.label}) in ${ms} ms\n\n`;

/** the NS names of the root's answer, else of its authority section (followup_lookup's fallback) */
function nsNames(reply: packet.Packet): string[] {
  const of = (list: packet.Answer[]) => list.filter((a) => a.type === 'NS').map((a) => String((a as { data?: unknown }).data).replace(/\.$/, ''));
  const answer = of(records(reply.answers));
  return (answer.length ? answer : of(records(reply.authorities))).slice(0, MXSERV);
}

function shuffled<T>(list: T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** one +trace lookup; its exit status (0, 9, or 10 for fatal(), after which dig stops) */
export async function digTrace(ctx: AppletContext, r: TraceRequest): Promise<number> {
  const exchangeOpts = { port: r.port, tcp: r.tcp, timeoutMs: r.timeoutMs, recurse: false, edns: r.edns };
  const root = await ask(ctx, r.servers, ['.'], { ...exchangeOpts, type: 'NS', tries: r.tries });
  if (ctx.signal.aborted) return 130;
  if (!root || root.result.kind !== 'answer') {
    ctx.out(NO_SERVERS);
    return 9;
  }
  const rootReply = root.result.reply;
  const sections = traceSections(rootReply);
  const names = nsNames(rootReply);
  const rootReceived = received(root.result.size, root.server, r.port, root.result.ms);
  if (!names.length) {
    ctx.out(sections + rootReceived);
    return 0;
  }
  // the NS names through the C library's resolver (the pod's resolv.conf), as bind9_getaddresses does
  const conf = ctx.resolvConf();
  const targets: Target[] = [];
  for (const name of names) {
    const got = await ctx.dns.lookup(name, 'A', conf, ctx.signal);
    if (ctx.signal.aborted) return 130;
    targets.push(...got.addresses.map((address) => ({ address, label: name })));
  }
  if (!targets.length) {
    ctx.out(sections);
    ctx.err(`dig: couldn't get address for '${names[0]}': no more\n`);
    return 10;
  }
  ctx.out(sections + rootReceived);
  const order = shuffled(targets);
  for (let round = 0; round < r.tries; round++) {
    for (const server of order) {
      const res = await exchange(ctx, { ...exchangeOpts, server: server.address, name: r.name.replace(/\.$/, '') || '.', type: r.type, tries: 1, seesUdpRefusal: false });
      if (ctx.signal.aborted) return 130;
      if (res.kind === 'answer') {
        // a server that answers (none outside the cluster can): its sections, and the trace ends there
        ctx.out(traceSections(res.reply) + received(res.size, server, r.port, res.ms));
        return 0;
      }
    }
  }
  ctx.out(NO_SERVERS);
  return 9;
}
