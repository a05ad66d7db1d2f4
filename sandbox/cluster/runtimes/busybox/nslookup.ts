// busybox 1.28's nslookup (networking/nslookup.c before the 1.29 rewrite): it asks the libc
// resolver, so it prints the server, then the name with one "Address N:" line per address, each
// followed by the address's PTR name when the reverse lookup succeeds.
//   Server:    100.64.0.10
//   Address 1: 100.64.0.10 kube-dns.kube-system.svc.cluster.local
//
//   Name:      kubernetes.default
//   Address 1: 100.64.0.1 kubernetes.default.svc.cluster.local
import type { AppletContext } from './context.ts';
import { showUsage } from './usage.ts';
import { isIPv4, type DnsClient } from './dns-client.ts';
import type { ResolvConf } from '../pod-files.ts';

function header(label: string, value: string): string {
  return `${label.padEnd(10)} ${value}\n`;
}

async function addressLines(dns: DnsClient, addresses: string[], conf: ResolvConf, signal: AbortSignal): Promise<string> {
  let text = '';
  let n = 1;
  for (const ip of addresses) {
    const ptr = await dns.reverse(ip, conf, signal);
    text += ptr ? `Address ${n}: ${ip} ${ptr}\n` : `Address ${n}: ${ip}\n`;
    n++;
  }
  return text;
}

/** getaddrinfo(AF_UNSPEC) through uclibc: AAAA then A, each through the search list */
async function resolveName(dns: DnsClient, name: string, conf: ResolvConf, signal: AbortSignal): Promise<string[] | undefined> {
  if (isIPv4(name) || /^[0-9a-f:]+:[0-9a-f:]*$/i.test(name)) return [name];
  const v6 = await dns.lookup(name, 'AAAA', conf, signal);
  const v4 = await dns.lookup(name, 'A', conf, signal);
  const all = [...v6.addresses, ...v4.addresses];
  return all.length ? all : undefined;
}

export async function nslookup(ctx: AppletContext): Promise<number> {
  const args = ctx.argv.slice(1);
  // 1.28's nslookup.c takes no options at all: `if (!argv[1] || argv[1][0] == '-' || argc > 3) bb_show_usage()`,
  // so `nslookup -type=srv ...` prints the usage (the -type option came with 1.29's rewrite)
  if (args.length < 1 || args.length > 2 || args[0].startsWith('-')) {
    showUsage(ctx, 'nslookup');
    return args[0] === '--help' && args.length === 1 ? 0 : 1;
  }
  const [name, serverArg] = args;
  const podConf = ctx.resolvConf();
  let conf = podConf;
  let serverLabel = podConf.nameservers[0] ?? '127.0.0.1';
  let serverAddrs: string[] | undefined = [serverLabel];
  if (serverArg) {
    serverLabel = serverArg;
    serverAddrs = await resolveName(ctx.dns, serverArg, podConf, ctx.signal);
    if (!serverAddrs) {
      ctx.err(`nslookup: can't resolve '${serverArg}'\n`);
      return 1;
    }
    conf = { ...podConf, nameservers: [serverAddrs.find(isIPv4) ?? serverAddrs[0]] };
  }
  // server_print(): the server's own reverse name comes from the server being asked
  ctx.out(header('Server:', serverLabel) + await addressLines(ctx.dns, serverAddrs, conf, ctx.signal) + '\n');
  if (ctx.signal.aborted) return 130;
  const addresses = await resolveName(ctx.dns, name, conf, ctx.signal);
  if (!addresses) {
    ctx.err(`nslookup: can't resolve '${name}'\n`);
    return 1;
  }
  ctx.out(header('Name:', name) + await addressLines(ctx.dns, addresses, conf, ctx.signal));
  return 0;
}
