// bind9's dig and host (the dnsutils / bind-tools packages; nslookup is bind-nslookup.ts, what
// they share bind-lookup.ts, dig +trace dig-trace.ts) as the dnsutils images carry them: bind
// 9.9.5 in jessie-dnsutils (Debian jessie), 9.10 in dnsutils (Alpine 3.4). They
// do not use the C library's resolver: they read /etc/resolv.conf themselves (nameservers,
// search, ndots, timeout, attempts) and send their own queries (tools/dns-exchange.ts). Output,
// messages and exit codes are bind's (bin/dig/dig.c, host.c, nslookup.c, dighost.c): dig exits
// 0 on any reply, 1 on bad usage, 9 when no server answered, 10 when a server name will not
// resolve; host and nslookup exit 1 on any failure.
import type * as packet from 'dns-packet';
import type { AppletContext } from '../busybox/context.ts';
import { reverseName } from '../busybox/dns-client.ts';
import { digTrace } from './dig-trace.ts';
import {
  ask, type BindVersion, danglingAlias, DIG_TRIES, isIP, NO_SERVERS, searchNames, serverTargets, type Target, UDP_TIMEOUT_MS,
} from './bind-lookup.ts';

export type { BindVersion };
import { flagWords, optRecord, questionLine, rcodeOf, rdata, recordLine, records, TYPES, whenLine } from './bind-format.ts';

// ---------------------------------------------------------------- dig

interface DigDisplay {
  cmd: boolean; comments: boolean; question: boolean; answer: boolean;
  authority: boolean; additional: boolean; stats: boolean; short: boolean;
}

const DIG_SHORT_USAGE = 'Usage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}\n' +
  '            {global-d-opt} host [@local-server] {local-d-opt}\n' +
  '            [ host [@local-server] {local-d-opt} [...]]\n';

function digMessage(reply: packet.Packet, size: number, ms: number, server: Target, port: number, show: DigDisplay): string {
  if (show.short) return records(reply.answers).map((a) => `${rdata(a)}\n`).join('');
  let text = '';
  const opt = optRecord(reply);
  const answers = records(reply.answers);
  const authorities = records(reply.authorities);
  const additionals = records(reply.additionals);
  if (show.comments) {
    const words = flagWords(reply);
    text += ';; Got answer:\n';
    text += `;; ->>HEADER<<- opcode: QUERY, status: ${rcodeOf(reply)}, id: ${reply.id ?? 0}\n`;
    text += `;; flags: ${words.join(' ')}; QUERY: ${reply.questions?.length ?? 0}, ANSWER: ${answers.length}, ` +
      `AUTHORITY: ${authorities.length}, ADDITIONAL: ${additionals.length + (opt ? 1 : 0)}\n`;
    if (words.includes('rd') && !words.includes('ra')) text += ';; WARNING: recursion requested but not available\n';
    text += '\n';
    if (opt) text += `;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: ${opt.udpPayloadSize ?? 0}\n`;
  }
  if (show.question) {
    if (show.comments) text += ';; QUESTION SECTION:\n';
    text += (reply.questions ?? []).map((q) => `${questionLine(q)}\n`).join('');
    if (show.comments) text += '\n';
  }
  const section = (title: string, list: packet.Answer[], on: boolean) => {
    if (!on || list.length === 0) return;
    if (show.comments) text += `;; ${title} SECTION:\n`;
    text += list.map((a) => `${recordLine(a)}\n`).join('');
    if (show.comments) text += '\n';
  };
  section('ANSWER', answers, show.answer);
  section('AUTHORITY', authorities, show.authority);
  section('ADDITIONAL', additionals, show.additional);
  if (show.stats) {
    text += `;; Query time: ${ms} msec\n;; SERVER: ${server.address}#${port}(${server.label})\n;; WHEN: ${whenLine()}\n;; MSG SIZE  rcvd: ${size}\n\n`;
  }
  return text;
}

export function makeDig(bind: BindVersion) {
  return async function dig(ctx: AppletContext): Promise<number> {
    const args = ctx.argv.slice(1);
    const show: DigDisplay = {
      cmd: true, comments: true, question: true, answer: true, authority: true, additional: true, stats: true, short: false,
    };
    let server: string | undefined;
    // dig.c: every name (and every -x) is a lookup of its own; a type word after a name is that
    // lookup's, one before the first name is the default of them all
    const lookups: Array<{ name: string; type?: string; typeFromX: boolean }> = [];
    let defaultType: string | undefined;
    const setType = (t: string, fromX = false) => {
      const cur = lookups[lookups.length - 1];
      const had = cur ? cur.type !== undefined && !cur.typeFromX : defaultType !== undefined;
      if (had && !fromX) ctx.err(';; Warning, extra type option\n');
      if (cur) {
        cur.type = t;
        cur.typeFromX = fromX;
      } else defaultType = t;
    };
    let port = 53;
    let tcp = false;
    let search = false;
    let recurse = true;
    let edns: number | undefined = 4096;
    let timeoutS: number | undefined;
    let tries: number | undefined;
    let openTypeClass = true;
    let trace = false;
    const invalid = (opt: string) => { ctx.err(`Invalid option: ${opt}\n${DIG_SHORT_USAGE}`); return 1; };
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a.startsWith('@')) server = a.slice(1);
      else if (a.startsWith('+')) {
        const m = /^\+(no)?([a-z]+)(?:=(.*))?$/.exec(a);
        if (!m) return invalid(a);
        const on = !m[1];
        const key = m[2];
        const value = m[3];
        const displays: Array<keyof DigDisplay> = ['cmd', 'comments', 'question', 'answer', 'authority', 'additional', 'stats'];
        const hit = displays.find((d) => d.startsWith(key) && key.length >= 2);
        if (key === 'short') {
          show.short = on;
          if (on) for (const d of displays) show[d] = false;
          show.answer = true;
        } else if (key === 'all') for (const d of displays) show[d] = on;
        else if (hit) show[hit] = on;
        else if (key === 'tcp' || key === 'vc') tcp = on;
        else if (key === 'search') search = on;
        else if (key === 'trace') trace = on;
        else if (key === 'recurse' || key === 'rec') recurse = on;
        else if (key === 'edns') edns = on ? 4096 : undefined;
        else if ((key === 'time' || key === 'timeout') && value !== undefined) timeoutS = Math.max(1, Number(value) || 1);
        else if (key === 'tries' && value !== undefined) tries = Math.max(1, Number(value) || 1);
        else if (key === 'retry' && value !== undefined) tries = Math.max(0, Number(value) || 0) + 1;
        else if (!['defname', 'domain', 'ndots', 'identify', 'ttlid', 'cl', 'class', 'multiline', 'nssearch', 'adflag', 'cdflag', 'besteffort', 'fail', 'ignore', 'dnssec', 'nsid', 'expire', 'subnet', 'cookie', 'qr', 'aaonly', 'aaflag', 'showsearch'].includes(key)) {
          return invalid(a);
        }
      } else if (a === '-t' || a === '-c' || a === '-p' || a === '-x' || a === '-q' || a === '-b' || a === '-f' || a === '-k' || a === '-y') {
        const v = args[++i];
        if (v === undefined) return invalid(a);
        if (a === '-t' || a === '-c') openTypeClass = false;
        if (a === '-t') setType(v.toUpperCase());
        else if (a === '-p') port = Number(v);
        else if (a === '-q') lookups.push({ name: v, typeFromX: false });
        else if (a === '-x') {
          if (!isIP(v)) { ctx.err(`Invalid IP address ${v}\n`); return 10; }
          // -x's PTR is a default a later type word replaces without a warning
          lookups.push({ name: reverseName(v), type: 'PTR', typeFromX: true });
        }
      } else if (a === '-4' || a === '-6' || a === '-m' || a === '-u' || a === '-i') continue;
      else if (a === '-v') { ctx.err(`DiG ${bind.version}\n`); return 0; }
      else if (a === '-h') { ctx.out(DIG_SHORT_USAGE); return 0; }
      else if (a.startsWith('-')) return invalid(a);
      // dig.c parse_args: until -t or -c, a word that is a type or a class is one, wherever it stands
      // (`dig SRV _http._tcp.my-svc...`); anything else is the name
      else if (openTypeClass && TYPES.includes(a.toUpperCase())) setType(a.toUpperCase());
      else if (openTypeClass && /^(IN|CH|HS|NONE|ANY)$/i.test(a)) continue;
      else lookups.push({ name: a, typeFromX: false });
    }
    const conf = ctx.resolvConf();
    // no name at all: the root's NS, whatever type was given (dig.c: the lookup it adds then)
    if (!lookups.length) lookups.push({ name: '.', type: 'NS', typeFromX: false });
    const servers = await serverTargets(ctx, server, conf);
    if (typeof servers === 'string') {
      ctx.err(`dig: couldn't get address for '${servers}': not found\n`);
      return 10;
    }
    if (show.cmd) {
      ctx.out(`\n; <<>> DiG ${bind.version} <<>> ${args.join(' ')}\n`);
      if (server) ctx.out(`; (${servers.length} server${servers.length === 1 ? '' : 's'} found)\n`);
      ctx.out(';; global options: +cmd\n');
    }
    const timeoutMs = (timeoutS ?? (conf.timeoutMs ? conf.timeoutMs / 1000 : undefined) ?? UDP_TIMEOUT_MS / 1000) * 1000;
    // each lookup in turn, as dig does; one that gets no answer makes the exit status 9, and the rest still run
    let status = 0;
    for (const lookup of lookups) {
      if (trace) {
        const traced = await digTrace(ctx, {
          name: lookup.name, type: lookup.type ?? defaultType ?? 'A', servers, port, tcp, timeoutMs, tries: tries ?? conf.attempts ?? DIG_TRIES, edns,
        });
        // fatal() and an interrupt end dig; a timeout makes the status 9 and the next lookup runs
        if (traced === 10 || traced === 130) return traced;
        status = Math.max(status, traced);
        continue;
      }
      const got = await ask(ctx, servers, searchNames(lookup.name, conf, search), {
        type: lookup.type ?? defaultType ?? 'A', port, tcp, timeoutMs, tries: tries ?? conf.attempts ?? DIG_TRIES, recurse, edns,
      });
      if (ctx.signal.aborted) return 130;
      if (!got || got.result.kind !== 'answer') {
        if (got?.result.kind === 'refused' && tcp) {
          ctx.out(`;; Connection to ${got.server.address}#${port}(${got.server.label}) for ${lookup.name} failed: connection refused.\n`);
        } else ctx.out(NO_SERVERS);
        status = 9;
        continue;
      }
      ctx.out(digMessage(got.result.reply, got.result.size, got.result.ms, got.server, port, show));
    }
    return status;
  };
}

// ---------------------------------------------------------------- host

const HOST_USAGE = 'Usage: host [-aCdlriTwv] [-c class] [-N ndots] [-t type] [-W time]\n' +
  '            [-R number] [-m flag] hostname [server]\n' +
  '       -a is equivalent to -v -t ANY\n       -c specifies query class for non-IN data\n' +
  '       -C compares SOA records on authoritative nameservers\n       -d is equivalent to -v\n' +
  '       -l lists all hosts in a domain, using AXFR\n       -i IP6.INT reverse lookups\n' +
  '       -N changes the number of dots allowed before root lookup is done\n' +
  '       -r disables recursive processing\n       -R specifies number of retries for UDP packets\n' +
  '       -s a SERVFAIL response should stop query\n       -t specifies the query type\n' +
  '       -T enables TCP/IP mode\n       -v enables verbose output\n' +
  '       -w specifies to wait forever for a reply\n       -W specifies how long to wait for a reply\n' +
  '       -4 use IPv4 query transport only\n       -6 use IPv6 query transport only\n' +
  '       -m set memory debugging flag (trace|record|usage)\n       -V print version number and exit\n';

/** host.c's wording per record type */
function hostLine(a: packet.Answer): string {
  const owner = a.name.replace(/\.$/, '');
  switch (a.type) {
    case 'A': return `${owner} has address ${rdata(a)}`;
    case 'AAAA': return `${owner} has IPv6 address ${rdata(a)}`;
    case 'CNAME': return `${owner} is an alias for ${rdata(a)}`;
    case 'PTR': return `${owner} domain name pointer ${rdata(a)}`;
    case 'MX': return `${owner} mail is handled by ${rdata(a)}`;
    case 'NS': return `${owner} name server ${rdata(a)}`;
    case 'TXT': return `${owner} descriptive text ${rdata(a)}`;
    default: return `${owner} has ${a.type} record ${rdata(a)}`;
  }
}

export function makeHost(bind: BindVersion) {
  return async function host(ctx: AppletContext): Promise<number> {
    const args = ctx.argv.slice(1);
    let type: string | undefined;
    let tcp = false;
    let recurse = true;
    let waitS: number | undefined;
    let retries = 1;
    const operands: string[] = [];
    const conf = { ...ctx.resolvConf() };
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-V') { ctx.err(`host ${bind.version}\n`); return 0; }
      if (!a.startsWith('-') || a === '-') { operands.push(a); continue; }
      for (let k = 1; k < a.length; k++) {
        const f = a[k];
        if ('tcWRNm'.includes(f)) {
          const v = a.slice(k + 1) || args[++i];
          if (v === undefined) { ctx.err(HOST_USAGE); return 1; }
          if (f === 't') type = v.toUpperCase();
          else if (f === 'W') waitS = Math.max(1, Number(v) || 1);
          else if (f === 'R') retries = Math.max(0, Number(v) || 0);
          else if (f === 'N') conf.ndots = Number(v) || 0;
          break;
        }
        if (f === 'T') tcp = true;
        else if (f === 'r') recurse = false;
        else if (f === 'a' || f === 'v' || f === 'd') type ??= f === 'a' ? 'ANY' : type;
        else if (!'Cli46sw'.includes(f)) { ctx.err(`host: invalid option -- '${f}'\n${HOST_USAGE}`); return 1; }
      }
    }
    const [name, serverArg] = operands;
    if (!name) { ctx.err(HOST_USAGE); return 1; }
    const servers = await serverTargets(ctx, serverArg, conf);
    if (typeof servers === 'string') {
      ctx.err(`host: couldn't get address for '${servers}': not found\n`);
      return 1;
    }
    if (serverArg) ctx.out(`Using domain server:\nName: ${serverArg}\nAddress: ${servers[0].address}#53\nAliases: \n\n`);
    const reverse = isIP(name);
    const qname = reverse ? reverseName(name) : name;
    const names = reverse ? [qname] : searchNames(qname, conf, true);
    // without -t, host asks A, AAAA and MX and prints what exists (a reverse lookup asks PTR)
    const types = type ? [type] : reverse ? ['PTR'] : ['A', 'AAAA', 'MX'];
    const timeoutMs = (waitS ?? (conf.timeoutMs ?? UDP_TIMEOUT_MS) / 1000) * 1000;
    // an alias shows once, though the A, AAAA and MX answers all carry it
    const shown = new Set<string>();
    let status = 0;
    for (const [n, t] of types.entries()) {
      const got = await ask(ctx, servers, n === 0 ? names : [names.length ? names[0] : qname], {
        type: t, port: 53, tcp, timeoutMs, tries: retries + 1, recurse, edns: undefined,
      });
      if (ctx.signal.aborted) return 130;
      if (!got || got.result.kind !== 'answer') {
        ctx.out(NO_SERVERS);
        return 1;
      }
      const reply = got.result.reply;
      const rcode = rcodeOf(reply);
      if (rcode !== 'NOERROR') {
        // the name last asked: with fewer than ndots dots, the name as typed after the search list
        ctx.out(`Host ${got.name} not found: ${(reply.flags ?? 0) & 0xf}(${rcode})\n`);
        return 1;
      }
      // the later types are asked for the name the first one was found under
      names.splice(0, names.length, got.name);
      const lines = records(reply.answers).map(hostLine);
      if (!lines.length && type) ctx.out(`${got.name.replace(/\.$/, '')} has no ${t} record\n`);
      ctx.out(lines.filter((l) => !shown.has(l)).map((l) => `${l}\n`).join(''));
      for (const l of lines) shown.add(l);
      // an alias without the records asked: host asks for its target, and asks no MX for an alias
      const target = danglingAlias(reply, t);
      if (target) {
        const chased = await ask(ctx, servers, [target], {
          type: t, port: 53, tcp, timeoutMs, tries: retries + 1, recurse, edns: undefined,
        });
        if (chased?.result.kind === 'answer') {
          const rc = rcodeOf(chased.result.reply);
          if (rc !== 'NOERROR') {
            ctx.out(`Host ${target} not found: ${(chased.result.reply.flags ?? 0) & 0xf}(${rc})\n`);
            status = 1;
          } else ctx.out(records(chased.result.reply.answers).map(hostLine).filter((l) => !shown.has(l)).map((l) => `${l}\n`).join(''));
        }
        if (!type) types.splice(types.indexOf('MX'), types.includes('MX') ? 1 : 0);
      }
    }
    return status;
  };
}
