// What Alpine adds to busybox: apk, which needs the package mirror the offline lab cannot reach
// (it asks the pod's DNS for dl-cdn.alpinelinux.org, as the real one does, and fails as apk
// fails without it), and busybox 1.3x's nslookup (networking/nslookup.c after the 1.29
// rewrite), which sends its own A and AAAA queries to the resolv.conf nameserver and prints
// "Address: ip" blocks.
import type * as packet from 'dns-packet';
import type { AppletContext } from '../busybox/context.ts';
import { readFile } from '../busybox/context.ts';
import { isIPv4, reverseName } from '../busybox/dns-client.ts';
import { exchange } from './dns-exchange.ts';
import { rcodeOf, rdata, records } from './bind-format.ts';

const INSTALLED = ['alpine-baselayout', 'alpine-baselayout-data', 'alpine-keys', 'alpine-release', 'apk-tools', 'busybox', 'busybox-binsh',
  'ca-certificates-bundle', 'libcrypto3', 'libssl3', 'musl', 'musl-utils', 'scanelf', 'ssl_client', 'zlib'];

export async function apk(ctx: AppletContext): Promise<number> {
  const [sub, ...rest] = ctx.argv.slice(1);
  const repos = (readFile(ctx, '/etc/apk/repositories') ?? '').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  if (sub === 'info' || (sub === 'list' && rest.includes('--installed'))) {
    ctx.out(INSTALLED.map((p) => `${p}\n`).join(''));
    return 0;
  }
  if (sub !== 'add' && sub !== 'update' && sub !== 'upgrade' && sub !== 'search') {
    ctx.err('apk-tools 2.14.6, compiled for x86_64.\n\nusage: apk [<OPTIONS>...] COMMAND [<ARGUMENTS>...]\n\n' +
      'Package installation and removal:\n  add        Add packages to WORLD and commit changes\n  del        Remove packages from WORLD and commit changes\n\n' +
      'System maintenance:\n  update     Update repository indexes\n  upgrade    Install upgrades available from repositories\n');
    return 1;
  }
  // the mirror's name goes to the cluster DNS like any other lookup, and comes back NXDOMAIN offline
  const host = /^https?:\/\/([^/]+)/.exec(repos[0] ?? '')?.[1] ?? 'dl-cdn.alpinelinux.org';
  const found = await ctx.dns.lookup(host, 'A', ctx.resolvConf(), ctx.signal);
  const why = found.rcode === 'TIMEOUT' || found.rcode === 'UNREACHABLE' ? 'temporary error (try again later)' : 'DNS lookup error';
  if (!found.addresses.length) {
    for (const r of repos) ctx.out(`fetch ${r}/x86_64/APKINDEX.tar.gz\n`);
    for (const r of repos) ctx.err(`WARNING: fetching ${r}: ${why}\n`);
  }
  const packages = rest.filter((a) => !a.startsWith('-'));
  if (sub === 'add' && packages.length) {
    ctx.err(`ERROR: unable to select packages:\n${packages.map((p) => `  ${p} (no such package):\n    required by: world[${p}]\n`).join('')}`);
    return 1;
  }
  if (sub === 'update') ctx.out(`${repos.length} unavailable, 0 stale; ${INSTALLED.length} distinct packages available\n`);
  return repos.length;
}

function blocks(answers: packet.Answer[], type: string): string {
  return records(answers).filter((a) => a.type === type || a.type === 'CNAME').map((a) => (a.type === 'CNAME'
    ? `${a.name}\tcanonical name = ${rdata(a).replace(/\.$/, '')}\n`
    : `Name:\t${a.name}\nAddress: ${rdata(a)}\n`)).join('');
}

export async function muslNslookup(ctx: AppletContext): Promise<number> {
  const args = ctx.argv.slice(1);
  let type: string | undefined;
  const operands: string[] = [];
  for (const a of args) {
    const m = /^-(type|query|q|t)=(\w+)$/i.exec(a);
    if (m) type = m[2].toUpperCase();
    else if (a.startsWith('-') && !/^-(timeout|retry|port|debug|nodebug)(=|$)/.test(a)) {
      ctx.err(`nslookup: unrecognized option '${a}'\nBusyBox v1.37.0 (2025-01-17 18:12:01 UTC) multi-call binary.\n\n` +
        'Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n');
      return 1;
    } else operands.push(a);
  }
  const [name, serverArg] = operands;
  if (!name) {
    ctx.err('BusyBox v1.37.0 (2025-01-17 18:12:01 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n');
    return 1;
  }
  const conf = ctx.resolvConf();
  const server = serverArg ?? conf.nameservers[0] ?? '127.0.0.1';
  const reverse = isIPv4(name) || name.includes(':');
  const types = type ? [type] : reverse ? ['PTR'] : ['A', 'AAAA'];
  const dots = name.split('.').length - 1;
  const names = reverse ? [reverseName(name)] : name.endsWith('.') || dots >= conf.ndots
    ? [name.replace(/\.$/, '')] : [...conf.searches.map((s) => `${name}.${s}`), name];
  // busybox: 5 s in all, sent twice (default_timeout 5, default_retry 2)
  const timeoutMs = Math.floor((conf.timeoutMs ?? 5000) / 2);
  let text = `Server:\t\t${server}\nAddress:\t${server}:53\n\n`;
  let ok = false;
  for (const t of types) {
    let printed = false;
    let last = 'NXDOMAIN';
    for (const n of names) {
      const r = await exchange(ctx, { server, port: 53, name: n, type: t, tcp: false, timeoutMs, tries: 2, recurse: true });
      if (ctx.signal.aborted) return 130;
      if (r.kind !== 'answer') {
        ctx.out(`${text};; connection timed out; no servers could be reached\n\n`);
        return 1;
      }
      last = rcodeOf(r.reply);
      if (last === 'NXDOMAIN') continue;
      const found = t === 'PTR' ? records(r.reply.answers).map((a) => `${a.name}\tname = ${rdata(a).replace(/\.$/, '')}\n`).join('')
        : blocks(r.reply.answers ?? [], t);
      if (found) { text += `${found}\n`; ok = true; }
      printed = true;
      break;
    }
    if (!printed) text += `** server can't find ${name}: ${last}\n\n`;
  }
  ctx.out(text);
  return ok ? 0 : 1;
}
