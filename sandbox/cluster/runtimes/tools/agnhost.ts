// registry.k8s.io/e2e-test-images/agnhost (2.x): the Kubernetes e2e tests' multi-purpose Go binary,
// which the "Configure Liveness, Readiness and Startup Probes" page runs as `args: [liveness]`.
// The image is Alpine (3.12 for the 2.40 the page names) with bash, curl and bind-tools added,
// /agnhost as ENTRYPOINT and `pause` as CMD (test/images/agnhost/Dockerfile), so a pod without
// args pauses rather than printing the usage. The subcommands here are the ones a learner meets:
// - liveness: HTTP on :8080 whose /healthz answers 200 "ok" for 10 s after the start, then 500
//   "error: <seconds>", so the page's httpGet liveness probe fails and the kubelet restarts it;
//   /started, /redirect?loc= as the source has them; it logs nothing;
// - netexec: HTTP on --http-port (8080) with /, /hostname, /hostName, /echo?msg=&code=, /clientip,
//   /healthz, each request logged with Go's log package (UDP and SCTP servers are not emulated;
//   the UDP one's start line is printed, since /healthz depends on it being up);
// - pause: prints "Paused" and waits for a signal.
// Anything else gets cobra's "unknown command" error; `/agnhost --help` the command list.
import type http from 'node:http';
import type { Applet, AppletContext } from '../busybox/context.ts';
import { startHttpListener, type HttpHandler } from '../http-listener.ts';

/** Go's log package prefix (log.LstdFlags): 2022/07/28 10:11:12, the container's UTC */
export function goLogTime(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** time.Duration's String() for a duration of at least a microsecond: "3.5s", "1m2.25s", "450ms" */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${trimZeros((ms).toFixed(6))}ms`;
  const totalSec = ms / 1000;
  const h = Math.floor(totalSec / 3600);
  const m = Math.floor((totalSec % 3600) / 60);
  const s = trimZeros((totalSec % 60).toFixed(9));
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

function trimZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

/**
 * a Go net/http response: Date, Content-Length, Content-Type (sniffed text/plain for these
 * bodies) in the order Go writes them. Go answers a client's `Connection: close` with close and
 * shuts the connection; a keep-alive answer has no Connection header in Go, but node always sends
 * one, and setting it at least keeps node's Keep-Alive header out
 */
export function goReply(res: http.ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
  const close = /\bclose\b/i.test(String(res.req.headers.connection ?? ''));
  res.writeHead(status, {
    ...extra,
    Date: new Date().toUTCString(), 'Content-Length': String(Buffer.byteLength(body)), 'Content-Type': 'text/plain; charset=utf-8',
    Connection: close ? 'close' : 'keep-alive',
  });
  res.end(body);
}

/** what Go's http.ServeMux answers for a path nobody registered */
const notFound = (res: http.ServerResponse) => goReply(res, 404, '404 page not found\n', { 'X-Content-Type-Options': 'nosniff' });

/** waits for the container's stop or the exec's end; resolves the exit status a Go PID 1 gets from SIGTERM */
function untilStopped(signal: AbortSignal): Promise<number> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(2);
    signal.addEventListener('abort', () => resolve(2), { once: true });
  });
}

/**
 * a listener on the pod's port, or Go's log.Fatal when something in the pod already holds it
 * (two agnhost containers both on :8080): the process exits 1 and the container restarts
 */
async function listen(ctx: AppletContext, port: number, handler: HttpHandler): Promise<(() => Promise<void>) | undefined> {
  if (ctx.proxy.backends.lookup(ctx.podIP, port, 'TCP')) {
    ctx.err(`${goLogTime()} listen tcp :${port}: bind: address already in use\n`);
    return undefined;
  }
  const l = await startHttpListener({ proxy: ctx.proxy }, { podIP: ctx.podIP }, port, handler);
  return () => l.close();
}

async function liveness(ctx: AppletContext): Promise<number> {
  const started = Date.now();
  const close = await listen(ctx, 8080, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const age = Date.now() - started;
    switch (url.pathname) {
      case '/started':
        return goReply(res, 200, goDuration(age));
      case '/healthz':
        // server.go: healthy while time.Since(started).Seconds() is at most 10
        return age / 1000 > 10 ? goReply(res, 500, `error: ${age / 1000}`) : goReply(res, 200, 'ok');
      case '/redirect': {
        const loc = url.searchParams.get('loc') ?? '';
        return goReply(res, 302, '', { Location: loc });
      }
      default:
        return notFound(res);
    }
  });
  if (!close) return 1;
  const code = await untilStopped(ctx.signal);
  await close();
  return code;
}

/** netexec's flags: --http-port and --udp-port, as pflag takes them (--flag=v or --flag v) */
function netexecPorts(args: string[]): { http: number; udp: number } | string {
  const out = { http: 8080, udp: 8081 };
  for (let i = 0; i < args.length; i++) {
    const m = /^--?(http-port|udp-port|sctp-port|tls-cert-file|tls-private-key-file|http-override|udp-listen-addresses)(?:=(.*))?$/.exec(args[i]);
    if (!m) return args[i].startsWith('-') ? `unknown flag: ${args[i].replace(/=.*$/, '')}` : `accepts at most 0 arg(s), received ${args.length - i}`;
    const value = m[2] ?? args[++i] ?? '';
    if (m[1] === 'http-port' || m[1] === 'udp-port') {
      if (!/^-?\d+$/.test(value)) return `invalid argument "${value}" for "--${m[1]}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`;
      out[m[1] === 'http-port' ? 'http' : 'udp'] = Number(value);
    }
  }
  return out;
}

/** Go's time.Time String(): 2022-07-28 10:11:12.123456789 +0000 UTC m=+3.000000001 */
function goNow(startedMs: number): string {
  const d = new Date();
  const nanos = String(d.getUTCMilliseconds() * 1_000_000 + Math.floor(Math.random() * 1_000_000)).padStart(9, '0');
  const iso = d.toISOString();
  const mono = ((Date.now() - startedMs) / 1000).toFixed(9);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${nanos.replace(/0+$/, '')} +0000 UTC m=+${mono}`;
}

async function netexec(ctx: AppletContext, args: string[]): Promise<number> {
  const ports = netexecPorts(args);
  if (typeof ports === 'string') {
    ctx.err(`Error: ${ports}\n`);
    return 1;
  }
  const started = Date.now();
  const log = (text: string) => ctx.err(`${goLogTime()} ${text}\n`);
  const close = await listen(ctx, ports.http, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = (k: string) => url.searchParams.get(k) ?? '';
    switch (url.pathname) {
      case '/hostname':
      case '/hostName':
        log(`GET ${url.pathname}`);
        return goReply(res, 200, ctx.hostname);
      case '/echo': {
        log(`GET /echo?msg=${q('msg')}&code=${q('code')}`);
        const code = q('code');
        if (code && !/^-?\d+$/.test(code)) return goReply(res, 200, `argument 'code' must be an integer or empty, got "${code}"\n`);
        return goReply(res, code ? Number(code) : 200, q('msg'));
      }
      case '/clientip': {
        log('GET /clientip');
        const s = req.socket;
        const client = ctx.proxy.clients.mapClient(s.remoteAddress ?? '127.0.0.1', s.remotePort ?? 0, 'tcp');
        return goReply(res, 200, `${client.address}:${client.port}`);
      }
      case '/healthz':
        log('GET /healthz');
        return goReply(res, 200, '');
      default:
        // "/" is registered, so the mux sends every other path to the root handler
        log('GET /');
        return goReply(res, 200, `NOW: ${goNow(started)}`);
    }
  });
  if (!close) return 1;
  log(`Started HTTP server on port ${ports.http}`);
  if (ports.udp !== -1) log(`Started UDP server on port  ${ports.udp}`);
  const code = await untilStopped(ctx.signal);
  await close();
  return code;
}

/** the root command's help as cobra prints it (the command list of agnhost 2.53's `/agnhost --help`) */
const HELP = `Usage:
  app [command]

Available Commands:
${[
    ['audit-proxy', 'Listens on port 8080 for incoming audit events'],
    ['completion', 'Generate the autocompletion script for the specified shell'],
    ['connect', 'Attempts a TCP, UDP or SCTP connection and returns useful errors'],
    ['crd-conversion-webhook', 'Starts HTTP server on port 443 for testing CustomResourceConversionWebhook'],
    ['dns-server-list', "Prints the host's DNS Server list"],
    ['dns-suffix', "Prints the host's DNS suffix list"],
    ['entrypoint-tester', "Prints the args it's passed and exits"],
    ['etc-hosts', "Prints the host's /etc/hosts file"],
    ['fake-gitserver', 'Fakes a git server'],
    ['grpc-health-checking', 'Starts a simple grpc health checking endpoint'],
    ['guestbook', 'Creates a HTTP server with various endpoints representing a guestbook app'],
    ['help', 'Help about any command'],
    ['inclusterclient', 'Periodically poll the Kubernetes "/healthz" endpoint'],
    ['liveness', 'Starts a server that is alive for 10 seconds'],
    ['logs-generator', 'Outputs lines of logs to stdout uniformly'],
    ['mounttest', 'Creates files with given permissions and outputs FS type, owner, mode, permissions, contents of files'],
    ['net', 'Creates webserver or runner for various networking tests'],
    ['netexec', 'Creates HTTP(S), UDP, and (optionally) SCTP servers with various endpoints'],
    ['nettest', 'Starts a tiny web server for checking networking connectivity'],
    ['no-snat-test', 'Creates the /checknosnat and /whoami endpoints'],
    ['no-snat-test-proxy', 'Creates a proxy for the /checknosnat endpoint'],
    ['pause', 'Pauses the execution'],
    ['port-forward-tester', 'Creates a TCP server that sends chunks of data'],
    ['porter', 'Serves requested data on ports specified in ENV variables'],
    ['resource-consumer-controller', 'Starts a HTTP server that spreads requests around resource consumers'],
    ['serve-hostname', 'Serves the hostname'],
    ['stress', 'Lightweight compute resource stress utlity'],
    ['tcp-reset', 'Serves on a tcp port and RST the connections received'],
    ['test-service-account-issuer-discovery', 'Tests the ServiceAccountIssuerDiscovery feature'],
    ['test-webserver', 'Starts a simple HTTP fileserver'],
    ['webhook', 'Starts a HTTP server, useful for testing MutatingAdmissionWebhook and ValidatingAdmissionWebhook'],
  ].map(([n, s]) => `  ${n.padEnd(37)} ${s}`).join('\n')}

Flags:
  -h, --help                           help for app
      --log-flush-frequency duration   Maximum number of seconds between log flushes (default 5s)
  -v, --v Level                        number for the log level verbosity
      --version                        version for app
      --vmodule moduleSpec             comma-separated list of pattern=N settings for file-filtered logging (only works for the default text log format)

Use "app [command] --help" for more information about a command.
`;

export const agnhost: Applet = async (ctx) => {
  // klog's flags may come before the subcommand (--v=2)
  const args = ctx.argv.slice(1);
  const at = args.findIndex((a) => !a.startsWith('-'));
  const sub = at >= 0 ? args[at] : undefined;
  const rest = at >= 0 ? args.slice(at + 1) : [];
  if (sub === undefined || sub === 'help') {
    // a root command without Run: cobra prints its help to stdout and exits 0
    ctx.out(HELP);
    return 0;
  }
  switch (sub) {
    case 'liveness':
      if (rest.length) {
        ctx.err(`Error: accepts at most 0 arg(s), received ${rest.length}\n`);
        return 1;
      }
      return liveness(ctx);
    case 'netexec':
      return netexec(ctx, rest);
    case 'pause':
      ctx.out('Paused\n');
      // pause.go: SIGTERM is os.Exit(2)
      return untilStopped(ctx.signal);
    default:
      ctx.err(`Error: unknown command "${sub}" for "app"\nRun 'app --help' for usage.\n`);
      return 1;
  }
};
