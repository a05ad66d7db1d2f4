// busybox's ping and wget, as far as a cluster without real networking can honour them: names
// resolve through the pod's DNS (real queries), connections go through the service proxy to the
// loopback address that serves the endpoint, and what cannot exist (ICMP to a Service VIP, which
// kube-proxy never answers) behaves as it does on a real cluster.
import http from 'node:http';
import net from 'node:net';
import { getopts, showUsage } from './usage.ts';
import { isIPv4 } from './dns-client.ts';
import { sleep, resolvePath, type AppletContext } from './context.ts';
import { connectAsPod } from './pod-socket.ts';

async function resolveHost(ctx: AppletContext, host: string): Promise<string | undefined> {
  if (isIPv4(host)) return host;
  const hostsLine = (ctx.files.read('/etc/hosts') ?? '').split('\n')
    .map((l) => l.split(/\s+/)).find((f) => f.length > 1 && !f[0].startsWith('#') && f.slice(1).includes(host));
  if (hostsLine && isIPv4(hostsLine[0])) return hostsLine[0];
  const conf = ctx.resolvConf();
  const v4 = await ctx.dns.lookup(host, 'A', conf, ctx.signal);
  return v4.addresses[0];
}

export async function ping(ctx: AppletContext): Promise<number> {
  let count = Infinity;
  const rest: string[] = [];
  const argv = ctx.argv.slice(1);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-c') count = Number(argv[++i]);
    else if (/^-c\d+$/.test(a)) count = Number(a.slice(2));
    else if (a === '-W' || a === '-w' || a === '-s' || a === '-i') i++;
    else if (!a.startsWith('-')) rest.push(a);
  }
  if (rest.length !== 1 || !Number.isFinite(count) && count !== Infinity) {
    ctx.err('BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n\nSend ICMP ECHO_REQUEST packets to network hosts\n');
    return 1;
  }
  const host = rest[0];
  const ip = await resolveHost(ctx, host);
  if (!ip) {
    ctx.err(`ping: bad address '${host}'\n`);
    return 1;
  }
  ctx.out(`PING ${host} (${ip}): 56 data bytes\n`);
  // a ClusterIP is a rule in iptables, not a host: nothing answers ICMP echo
  const answers = !ctx.proxy.isServiceIP(ip) && (ip === ctx.podIP || ctx.proxy.backends.entriesFor(ip).length > 0);
  let sent = 0;
  let received = 0;
  const times: number[] = [];
  while (sent < count) {
    if (sent > 0 && !(await sleep(1000, ctx.signal))) break;
    if (ctx.signal.aborted) break;
    sent++;
    if (answers) {
      const t = ip === ctx.podIP ? 0.04 + Math.random() * 0.03 : 0.06 + Math.random() * 0.08;
      times.push(t);
      received++;
      ctx.out(`64 bytes from ${ip}: seq=${sent - 1} ttl=64 time=${t.toFixed(3)} ms\n`);
    }
  }
  const loss = sent === 0 ? 0 : Math.round(((sent - received) / sent) * 100);
  ctx.out(`\n--- ${host} ping statistics ---\n${sent} packets transmitted, ${received} packets received, ${loss}% packet loss\n`);
  if (received > 0) {
    const min = Math.min(...times), max = Math.max(...times), avg = times.reduce((a, b) => a + b, 0) / times.length;
    ctx.out(`round-trip min/avg/max = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)} ms\n`);
  }
  return received > 0 ? 0 : 1;
}

interface WgetArgs { url?: string; quiet: boolean; output?: string; timeoutMs: number; serverResponse: boolean }

/** busybox wget's -T default is 900 s; the lab waits this long for a blackholed address unless -T says otherwise */
const WGET_CONNECT_TIMEOUT_MS = 10_000;

function parseWget(argv: string[]): WgetArgs | string {
  const out: WgetArgs = { quiet: false, timeoutMs: WGET_CONNECT_TIMEOUT_MS, serverResponse: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-q') out.quiet = true;
    else if (a === '-O') out.output = argv[++i];
    else if (a.startsWith('-O')) out.output = a.slice(2);
    else if (/^-q+O/.test(a)) { out.quiet = true; out.output = a.replace(/^-q+O/, '') || argv[++i]; }
    else if (a === '-S' || a === '--server-response') out.serverResponse = true;
    else if (/^-[qS]*S[qS]*$/.test(a)) { out.quiet ||= a.includes('q'); out.serverResponse = true; }
    else if (/^-[qS]*S[qS]*O/.test(a)) { out.quiet ||= a.includes('q'); out.serverResponse = true; out.output = a.replace(/^-[qS]+O/, '') || argv[++i]; }
    else if (a === '-T') out.timeoutMs = Math.max(1, Number(argv[++i]) || 1) * 1000;
    else if (a === '-U' || a === '--header') i++;
    else if (a.startsWith('-')) return a;
    else out.url = a;
  }
  return out;
}

export async function wget(ctx: AppletContext): Promise<number> {
  const parsed = parseWget(ctx.argv.slice(1));
  if (typeof parsed === 'string' || !parsed.url) {
    if (typeof parsed === 'string') ctx.err(`wget: unrecognized option '${parsed}'\n`);
    ctx.err('BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: wget [-c|--continue] [--spider] [-q|--quiet] [-O|--output-document FILE]\n\t[--header \'header: value\'] [-Y|--proxy on/off] [-P DIR]\n\t[-S|--server-response] [-U|--user-agent AGENT] [-T SEC] URL...\n\nRetrieve files via HTTP or FTP\n');
    return 1;
  }
  const m = /^(?:(\w+):\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(parsed.url);
  if (!m || (m[1] && m[1] !== 'http')) {
    ctx.err(m?.[1] === 'https' ? 'wget: not an http or ftp url: ' + parsed.url + '\n' : `wget: bad address '${parsed.url}'\n`);
    return 1;
  }
  const host = m[2];
  const port = m[3] ? Number(m[3]) : 80;
  const path = m[4] ?? '/';
  const ip = await resolveHost(ctx, host);
  if (!ip) {
    ctx.err(`wget: bad address '${host}'\n`);
    return 1;
  }
  if (!parsed.quiet) ctx.err(`Connecting to ${host}${m[3] ? `:${port}` : ''} (${ip}:${port})\n`);
  const backend = ctx.route ? await ctx.route(ip, port, 'TCP') : ctx.proxy.resolve(ip, port, 'TCP') ?? 'refused';
  if (backend === 'refused') {
    ctx.err(`wget: can't connect to remote host (${ip}): Connection refused\n`);
    return 1;
  }
  if (backend === 'unreachable') {
    // no SYN-ACK ever comes from an address off the cluster network: busybox waits for -T
    if (!(await sleep(parsed.timeoutMs, ctx.signal))) return 130;
    ctx.err(`wget: download timed out\n`);
    return 1;
  }
  let res: { status: number; statusText: string; body: string; statusLine: string; headers: string[] };
  let connected = false;
  try {
    res = await new Promise((resolve, reject) => {
      const req = http.get({ host: backend.host, port: backend.port, path, headers: { Host: m[3] ? `${host}:${port}` : host, 'User-Agent': 'Wget', Connection: 'close' }, signal: ctx.signal }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        const headers: string[] = [];
        for (let h = 0; h + 1 < r.rawHeaders.length; h += 2) headers.push(`${r.rawHeaders[h]}: ${r.rawHeaders[h + 1]}`);
        const statusLine = `HTTP/${r.httpVersion} ${r.statusCode ?? 0} ${r.statusMessage ?? ''}`;
        r.on('end', () => resolve({ status: r.statusCode ?? 0, statusText: r.statusMessage ?? '', body: Buffer.concat(chunks).toString(), statusLine, headers }));
        r.on('error', reject);
      });
      connectAsPod(ctx, req);
      req.on('socket', (sock) => sock.once('connect', () => { connected = true; }));
      req.on('error', reject);
    });
  } catch {
    if (ctx.signal.aborted) return 130;
    // something listens there but does not speak HTTP (a DNS port): busybox's words for that
    ctx.err(connected ? 'wget: error getting response: Connection reset by peer\n' : `wget: can't connect to remote host (${ip}): Connection refused\n`);
    return 1;
  }
  // -S (busybox's fgets_trim_sanitize with "  %s\n"): each response line on stderr as it is read,
  // indented by two spaces, the status line first. An error status stops before the headers are
  // read, so only its status line shows; a good one's headers end with the blank line, printed too
  if (parsed.serverResponse) ctx.err(`  ${res.statusLine}\n`);
  if (res.status >= 400) {
    ctx.err(`wget: server returned error: ${res.statusLine}\n`);
    return 1;
  }
  if (parsed.serverResponse) ctx.err(res.headers.map((h) => `  ${h}\n`).join('') + '  \n');
  const target = parsed.output ?? (path.split('/').pop() || 'index.html');
  if (target === '-') {
    ctx.out(res.body);
  } else {
    const { normalized } = resolvePath(ctx, target);
    ctx.state.written.set(normalized, res.body);
    if (!parsed.quiet) ctx.err(`saving to '${target}'\n`);
  }
  if (!parsed.quiet) {
    const name = target === '-' ? '-' : target;
    ctx.err(`${name.padEnd(20)} 100% |${'*'.repeat(31)}| ${String(res.body.length).padStart(5)}  0:00:00 ETA\n`);
    if (target !== '-') ctx.err(`'${target}' saved\n`);
  }
  return 0;
}

/**
 * nc HOST PORT (busybox's nc_bloaty, NC_110_COMPAT): connects over the emulated network, sends
 * stdin, prints what comes back until the peer closes (or -w SEC of silence). -z only connects;
 * -v reports "HOST (IP:PORT) open" on stderr, and a refusal only at -vv, as netcat 1.10 does.
 */
export async function nc(ctx: AppletContext): Promise<number> {
  const o = getopts(ctx, 'nc', ctx.argv, 'e:lkp:s:w:i:nuvo:z', { anywhere: true });
  if (!o) return 1;
  if (o.flags.has('l') || o.flags.has('e') || o.flags.has('u')) {
    ctx.err('nc: listen, -e and UDP modes are not supported in this lab image\n');
    return 1;
  }
  const [host, portText] = o.operands;
  if (!host || !portText) { showUsage(ctx, 'nc'); return 1; }
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    ctx.err(`nc: bad port '${portText}'\n`);
    return 1;
  }
  const verbose = o.flags.get('v')?.length ?? 0;
  const waitMs = o.flags.has('w') ? Math.max(1, Number(o.flags.get('w')!.at(-1)) || 1) * 1000 : undefined;
  const ip = o.flags.has('n') ? (isIPv4(host) ? host : undefined) : await resolveHost(ctx, host);
  if (!ip) {
    ctx.err(`nc: bad address '${host}'\n`);
    return 1;
  }
  const dotted = `${ip}:${port}`;
  const backend = ctx.route ? await ctx.route(ip, port, 'TCP') : ctx.proxy.resolve(ip, port, 'TCP') ?? 'refused';
  if (backend === 'refused') {
    if (verbose > 1) ctx.err(`nc: ${host} (${dotted}): Connection refused\n`);
    return 1;
  }
  if (backend === 'unreachable') {
    // a blackhole: the SYN goes unanswered until -w (the lab's connect timeout otherwise)
    if (!(await sleep(waitMs ?? WGET_CONNECT_TIMEOUT_MS, ctx.signal))) return 130;
    if (verbose) ctx.err(`nc: ${host} (${dotted}): Connection timed out\n`);
    return 1;
  }
  return new Promise<number>((resolve) => {
    const sock = net.connect(backend.port, backend.host);
    let idle: NodeJS.Timeout | undefined;
    const finish = (code: number) => {
      clearTimeout(idle);
      ctx.signal.removeEventListener('abort', onAbort);
      sock.destroy();
      resolve(code);
    };
    const onAbort = () => finish(130);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const arm = () => {
      if (waitMs === undefined) return;
      clearTimeout(idle);
      idle = setTimeout(() => finish(0), waitMs);
    };
    sock.once('connect', () => {
      if (verbose) ctx.err(`${host} (${dotted}) open\n`);
      if (o.flags.has('z')) return finish(0);
      arm();
      const input = ctx.stdinBytes ?? Buffer.from(ctx.stdin ?? '');
      if (input.length) sock.write(input);
    });
    sock.on('data', (d: Buffer) => {
      arm();
      if (ctx.bytes) ctx.bytes(d); else ctx.out(d.toString());
    });
    sock.once('end', () => finish(0));
    sock.once('error', () => finish(1));
  });
}
