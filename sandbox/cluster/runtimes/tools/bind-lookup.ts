// What bind9's dig, host and nslookup share (bin/dig/dighost.c): the servers asked (resolv.conf's,
// or one given as an address or a name the C library resolves), the names tried (the search
// list in dighost.c's order), asking each server in turn, and following a dangling alias.
import type * as packet from 'dns-packet';
import type { AppletContext } from '../busybox/context.ts';
import { isIPv4 } from '../busybox/dns-client.ts';
import type { ResolvConf } from '../pod-files.ts';
import { exchange, type ExchangeResult } from './dns-exchange.ts';
import { rcodeOf, rdata, records } from './bind-format.ts';

export interface BindVersion {
  /** what `dig -v` and the banner say */
  version: string;
}

export const NO_SERVERS = ';; connection timed out; no servers could be reached\n';
/** dighost.c: UDP_TIMEOUT, and dig's default number of UDP tries */
export const UDP_TIMEOUT_MS = 5000;
export const DIG_TRIES = 3;

export const isIP = (s: string) => isIPv4(s) || (/^[0-9a-f:]+$/i.test(s) && s.includes(':'));

/**
 * the names bind's tools try (dighost.c's origins): with ndots dots or more the name as typed,
 * then the search list; with fewer, the search list, then the name as typed
 */
export function searchNames(name: string, conf: ResolvConf, search: boolean): string[] {
  if (name.endsWith('.') || !search) return [name.replace(/\.$/, '') || '.'];
  const searched = conf.searches.map((s) => `${name}.${s}`);
  const dots = name.split('.').length - 1;
  return dots >= conf.ndots ? [name, ...searched] : [...searched, name];
}

export interface Target { address: string; label: string }

/** @server or the second operand: an address as is, a name through the C library's resolver */
export async function serverTargets(ctx: AppletContext, server: string | undefined, conf: ResolvConf): Promise<Target[] | string> {
  if (!server) return conf.nameservers.map((a) => ({ address: a, label: a }));
  if (isIP(server)) return [{ address: server, label: server }];
  const r = await ctx.dns.lookup(server, 'A', conf, ctx.signal);
  if (!r.addresses.length) return server;
  return r.addresses.map((address) => ({ address, label: server }));
}

interface Asked { result: ExchangeResult; server: Target; name: string }

/** asks each server in turn until one answers; over the search names while they say NXDOMAIN */
export async function ask(
  ctx: AppletContext,
  servers: Target[],
  names: string[],
  o: { type: string; port: number; tcp: boolean; timeoutMs: number; tries: number; recurse: boolean; edns?: number },
): Promise<Asked | undefined> {
  let last: Asked | undefined;
  for (const name of names) {
    let answered: Asked | undefined;
    for (const server of servers) {
      if (ctx.signal.aborted) return last;
      let result = await exchange(ctx, { ...o, server: server.address, name, seesUdpRefusal: false });
      // a truncated UDP answer is asked again over TCP (dighost.c)
      if (result.kind === 'answer' && !o.tcp && ((result.reply.flags ?? 0) & 0x200)) {
        ctx.out(';; Truncated, retrying in TCP mode.\n');
        result = await exchange(ctx, { ...o, tcp: true, server: server.address, name });
      }
      last = { result, server, name };
      if (result.kind === 'answer') { answered = last; break; }
    }
    if (!answered) return last;
    if (rcodeOf((answered.result as { reply: packet.Packet }).reply) !== 'NXDOMAIN') return answered;
  }
  return last;
}

/** the target of a CNAME answer that brought no record of the type asked, which bind's host and nslookup then ask for */
export function danglingAlias(reply: packet.Packet, type: string): string | undefined {
  const answers = records(reply.answers);
  if (answers.some((a) => a.type === type)) return undefined;
  const alias = answers.filter((a) => a.type === 'CNAME').at(-1);
  return alias ? rdata(alias).replace(/\.$/, '') : undefined;
}
