// bind9's nslookup (9.9.5 in jessie-dnsutils, 9.10 in dnsutils: bin/dig/nslookup.c), both modes:
// with a name operand one lookup; without one (or with "-" before a server) interactive mode,
// reading commands from stdin: a name to look up, `set OPTION`, `server NAME`, `exit`. Its
// prompt "> " goes to stderr, and only when stdin is a terminal (isatty(0)); between lookups
// nothing separates the outputs, and the single blank line at the end is main()'s puts(""). It
// exits query_error | print_error: 1 when no server ever answered or a lookup got an error rcode.
import type * as packet from 'dns-packet';
import type { AppletContext, LineResult } from '../busybox/context.ts';
import { reverseName } from '../busybox/dns-client.ts';
import type { ResolvConf } from '../pod-files.ts';
import { absolute, flagWords, rcodeOf, rdata, records, TYPES } from './bind-format.ts';
import { ask, type BindVersion, danglingAlias, isIP, NO_SERVERS, searchNames, serverTargets, type Target, UDP_TIMEOUT_MS } from './bind-lookup.ts';

interface Settings {
  type: string;
  klass: string;
  port: number;
  tcp: boolean;
  timeoutS?: number;
  retry?: number;
  /** `set debug`: the message's sections in detail (short_form off) */
  debug: boolean;
  d2: boolean;
  search: boolean;
  recurse: boolean;
  domain?: string;
  /** `server` or the second operand; undefined: resolv.conf's nameservers */
  servers?: Target[];
}

/** nslookup.c's rtypetext[]: the words before a record's data */
const TYPE_TEXT: Record<string, string> = {
  A: 'internet address = ', NS: 'nameserver = ', CNAME: 'canonical name = ', SOA: 'soa = ', PTR: 'name = ', HINFO: 'hinfo = ',
  MX: 'mail exchanger = ', TXT: 'text = ', AAAA: 'has AAAA address ', SRV: 'service = ', NAPTR: 'naptr = ', DNAME: 'dname = ',
};

const typeText = (a: packet.Answer) => TYPE_TEXT[a.type] ?? `rdata_${a.type} = `;
/** dns_name_format: no final dot, except for the root */
const nameText = (n: string) => (n === '' || n === '.' ? '.' : n.replace(/\.$/, ''));

function soaLines(a: packet.Answer): string {
  const [origin, mail, serial, refresh, retry, expire, minimum] = rdata(a).split(' ');
  return `\torigin = ${origin}\n\tmail addr = ${mail}\n\tserial = ${serial}\n\trefresh = ${refresh}\n` +
    `\tretry = ${retry}\n\texpire = ${expire}\n\tminimum = ${minimum}\n`;
}

/** printsection(): the short form; an A record reads "Name:/Address:" only in the answer section */
function shortLines(list: packet.Answer[], answerSection: boolean): string {
  return list.map((a) => {
    const owner = nameText(a.name);
    if (a.type === 'A' && answerSection) return `Name:\t${owner}\nAddress: ${rdata(a)}\n`;
    if (a.type === 'SOA') return `${owner}\n${soaLines(a)}`;
    return `${owner}\t${typeText(a)}${rdata(a)}\n`;
  }).join('');
}

/** detailsection(): `set debug`'s view of every section */
function detail(reply: packet.Packet): string {
  let text = '------------\n    QUESTIONS:\n';
  for (const q of reply.questions ?? []) text += `\t${nameText(q.name)}, type = ${q.type}, class = ${q.class ?? 'IN'}\n`;
  const section = (title: string, list: packet.Answer[]) => {
    text += `    ${title}:\n`;
    for (const a of list) {
      text += `    ->  ${nameText(a.name)}\n`;
      text += a.type === 'SOA' ? soaLines(a) : `\t${typeText(a)}${rdata(a)}\n`;
      text += `\tttl = ${(a as { ttl?: number }).ttl ?? 0}\n`;
    }
  };
  section('ANSWERS', records(reply.answers));
  section('AUTHORITY RECORDS', records(reply.authorities));
  section('ADDITIONAL RECORDS', records(reply.additionals));
  return `${text}------------\n`;
}

/** setoption(): strncasecmp(opt, word, n), so a word longer than n matches only exactly */
function matches(opt: string, word: string, n: number): boolean {
  return opt.toLowerCase().slice(0, n) === word.slice(0, n);
}

const uint = (v: string) => (/^\d+$/.test(v) ? Number(v) : undefined);

function setOption(ctx: AppletContext, s: Settings, opt: string, conf: ResolvConf): void {
  const value = opt.slice(opt.indexOf('=') + 1);
  const setType = () => {
    if (TYPES.includes(value.toUpperCase())) s.type = value.toUpperCase();
    else ctx.out(`unknown query type: ${value}\n`);
  };
  const setClass = () => {
    if (/^(IN|CH|HS|NONE|ANY)$/i.test(value)) s.klass = value.toUpperCase();
    else ctx.out(`unknown query class: ${value}\n`);
  };
  if (matches(opt, 'all', 4)) ctx.out(showSettings(s, conf, false));
  else if (matches(opt, 'class=', 6) || matches(opt, 'cl=', 3)) setClass();
  else if (['type=', 'ty=', 'querytype=', 'query=', 'qu=', 'q='].some((w) => matches(opt, w, w.length))) setType();
  else if (matches(opt, 'domain=', 7) || matches(opt, 'do=', 3)) { s.domain = value; s.search = true; }
  else if (matches(opt, 'port=', 5) || matches(opt, 'po=', 3)) s.port = uint(value) ?? s.port;
  else if (matches(opt, 'timeout=', 8) || matches(opt, 't=', 2)) s.timeoutS = uint(value) ?? s.timeoutS;
  else if (matches(opt, 'rec', 3)) s.recurse = true;
  else if (matches(opt, 'norec', 5)) s.recurse = false;
  else if (matches(opt, 'retry=', 6) || matches(opt, 'ret=', 4)) s.retry = uint(value) ?? s.retry;
  else if (matches(opt, 'def', 3)) s.search = true;
  else if (matches(opt, 'nodef', 5)) s.search = false;
  else if (matches(opt, 'vc', 3)) s.tcp = true;
  else if (matches(opt, 'novc', 5)) s.tcp = false;
  else if (matches(opt, 'deb', 3)) s.debug = true;
  else if (matches(opt, 'nodeb', 5)) s.debug = false;
  else if (matches(opt, 'd2', 2)) s.d2 = true;
  else if (matches(opt, 'nod2', 4)) s.d2 = false;
  else if (matches(opt, 'search', 3)) s.search = true;
  else if (matches(opt, 'nosearch', 5)) s.search = false;
  else if (matches(opt, 'sil', 3) || matches(opt, 'fail', 3) || matches(opt, 'nofail', 3)) return;
  else ctx.out(`*** Invalid option: ${opt}\n`);
}

const serversOf = (s: Settings, conf: ResolvConf): Target[] => s.servers ?? conf.nameservers.map((a) => ({ address: a, label: a }));

function serverLines(s: Settings, conf: ResolvConf): string {
  return serversOf(s, conf).map((t) => `Default server: ${t.label}\nAddress: ${t.address}#${s.port}\n`).join('');
}

/** show_settings(): `set all` */
function showSettings(s: Settings, conf: ResolvConf, serverOnly: boolean): string {
  let text = serverLines(s, conf);
  if (serverOnly) return text;
  const searches = s.domain ? [s.domain] : conf.searches;
  text += `\nSet options:\n  ${s.tcp ? 'vc' : 'novc'}\t\t\t${s.debug ? 'debug' : 'nodebug'}\t\t${s.d2 ? 'd2' : 'nod2'}\n`;
  text += `  ${s.search ? 'search' : 'nosearch'}\t\t${s.recurse ? 'recurse' : 'norecurse'}\n`;
  text += `  timeout = ${s.timeoutS ?? 0}\t\tretry = ${s.retry ?? 3}\tport = ${s.port}\n`;
  text += `  querytype = ${s.type.padEnd(8)}\tclass = ${s.klass}\n  srchlist = ${searches.join('/')}\n`;
  return text;
}

interface Outcome {
  text: string;
  /** a server answered (query_error clears) */
  answered: boolean;
  /** "** server can't find": an error rcode (print_error) */
  rcodeError: boolean;
  /** no record of the type asked ("*** Can't find ...: No answer") */
  noAnswer: boolean;
}

/** one lookup and what printmessage() prints for it; no final blank line (that is main()'s) */
async function lookup(ctx: AppletContext, s: Settings, name: string, conf: ResolvConf): Promise<Outcome | 'aborted'> {
  const reverse = isIP(name);
  const qtype = reverse ? 'PTR' : s.type;
  const qname = reverse ? reverseName(name) : name;
  const searchConf = s.domain ? { ...conf, searches: [s.domain] } : conf;
  const exchange = {
    type: qtype, port: s.port, tcp: s.tcp, timeoutMs: (s.timeoutS || (conf.timeoutMs ?? UDP_TIMEOUT_MS) / 1000) * 1000,
    tries: s.retry ?? conf.attempts ?? 2, recurse: s.recurse, edns: undefined,
  };
  const got = await ask(ctx, serversOf(s, conf), reverse ? [qname] : searchNames(qname, searchConf, s.search), exchange);
  if (ctx.signal.aborted) return 'aborted';
  if (!got || got.result.kind !== 'answer') return { text: NO_SERVERS, answered: false, rcodeError: false, noAnswer: false };
  const server = got.server;
  let text = `Server:\t\t${server.label}\nAddress:\t${server.address}#${s.port}\n\n`;
  const reply = got.result.reply;
  if (s.debug) text += detail(reply);
  const rcode = rcodeOf(reply);
  if (rcode !== 'NOERROR') {
    // NXDOMAIN names the lookup's text as typed, any other rcode the full name asked
    const shown = rcode === 'NXDOMAIN' ? qname : got.name.replace(/\.$/, '');
    return { text: `${text}** server can't find ${shown}: ${rcode}\n`, answered: true, rcodeError: true, noAnswer: false };
  }
  const aa = flagWords(reply).includes('aa');
  if (!aa) text += 'Non-authoritative answer:\n';
  const answers = records(reply.answers);
  if (answers.length === 0) text += `*** Can't find ${absolute(got.name) === absolute(name) ? name : got.name}: No answer\n`;
  else text += shortLines(answers, true);
  const target = danglingAlias(reply, qtype);
  if (answers.length && target) {
    const chased = await ask(ctx, [server], [target], exchange);
    if (chased?.result.kind === 'answer') {
      const r2 = chased.result.reply;
      const rc = rcodeOf(r2);
      if (rc !== 'NOERROR') return { text: `${text}** server can't find ${target}: ${rc}\n`, answered: true, rcodeError: true, noAnswer: false };
      text += shortLines(records(r2.answers), true);
    }
  }
  if (!aa && qtype !== 'A') {
    text += `\nAuthoritative answers can be found from:\n${shortLines(records(reply.authorities), false)}${shortLines(records(reply.additionals), false)}`;
  }
  return { text, answered: true, rcodeError: false, noAnswer: answers.length === 0 };
}

/** lines from a pipe the shell gave, else from the process's stdin */
function lineSource(ctx: AppletContext): () => Promise<LineResult> {
  if (ctx.stdin !== undefined) {
    const lines = ctx.stdin.split('\n');
    if (lines.at(-1) === '') lines.pop();
    return async () => (lines.length ? { kind: 'line', text: lines.shift()! } : { kind: 'eof' });
  }
  return ctx.readLine ?? (async () => ({ kind: 'eof' }));
}

async function interactive(ctx: AppletContext, s: Settings, conf: ResolvConf): Promise<number> {
  const read = lineSource(ctx);
  const prompt = ctx.state.tty && ctx.stdin === undefined;
  let queryError = 1;
  let printError = 0;
  for (;;) {
    if (prompt) ctx.err('> ');
    const r = await read();
    if (ctx.signal.aborted) return 130;
    // EOF ends it; so does Ctrl-C (SIGINT ends isc_app_run), whose "^C" the terminal echoed
    if (r.kind !== 'line') break;
    const [cmd, arg] = r.text.split(/[ \t\r\n]+/).filter(Boolean);
    if (cmd === undefined) continue;
    const word = cmd.toLowerCase();
    if (word === 'set' && arg !== undefined) setOption(ctx, s, arg, conf);
    else if (word === 'server' || word === 'lserver') {
      if (arg !== undefined) {
        const found = await serverTargets(ctx, arg, conf);
        if (typeof found === 'string') {
          // dighost.c fatal(): exit status 10, without main()'s final blank line
          ctx.err(`nslookup: couldn't get address for '${found}': not found\n`);
          return 10;
        }
        s.servers = found;
      }
      ctx.out(showSettings(s, conf, true));
    } else if (word === 'exit') break;
    else if (word === 'help' || word === '?') ctx.out(`The '${cmd}' command is not yet implemented.\n`);
    else if (['finger', 'root', 'ls', 'view'].includes(word)) ctx.out(`The '${cmd}' command is not implemented.\n`);
    else {
      const o = await lookup(ctx, s, cmd, conf);
      if (o === 'aborted') return 130;
      ctx.out(o.text);
      if (o.answered) queryError = 0;
      if (o.rcodeError) printError = 1;
    }
  }
  ctx.out('\n');
  return queryError | printError;
}

export function makeNslookup(bind: BindVersion) {
  return async function nslookup(ctx: AppletContext): Promise<number> {
    const conf = ctx.resolvConf();
    const s: Settings = { type: 'A', klass: 'IN', port: 53, tcp: false, debug: false, d2: false, search: true, recurse: true };
    // parse_args(): "-opt" is an option, "-" ends at interactive mode; the first word is the name, the next the server
    let name: string | undefined;
    let interactiveMode = false;
    let serverArg: string | undefined;
    for (const a of ctx.argv.slice(1)) {
      if (a.startsWith('-') && a.length > 1) {
        if (/^-ver/i.test(a)) { ctx.out(`nslookup ${bind.version}\n`); return 0; }
        setOption(ctx, s, a.slice(1), conf);
      } else if (a === '-') interactiveMode = true;
      else if (name === undefined && !interactiveMode) name = a;
      else serverArg = a;
    }
    if (serverArg !== undefined) {
      const found = await serverTargets(ctx, serverArg, conf);
      if (typeof found === 'string') {
        ctx.err(`nslookup: couldn't get address for '${found}': not found\n`);
        return 1;
      }
      s.servers = found;
    }
    if (name === undefined) return interactive(ctx, s, conf);
    const o = await lookup(ctx, s, name, conf);
    if (o === 'aborted') return 130;
    ctx.out(`${o.text}\n`);
    return o.answered && !o.rcodeError && !o.noAnswer ? 0 : 1;
  };
}
