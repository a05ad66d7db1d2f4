// curl 8 (curlimages/curl) over the emulated network: names through the image's resolver (musl,
// /etc/hosts first) or --resolve, connections through pod-network.ts, HTTP and HTTPS (the API
// server's 443 through the kubernetes Service). Messages and exit codes are curl's
// (docs/libcurl/libcurl-errors.md): 6 for a name that does not resolve, 7 for a refused
// connection, 28 for a timeout, 22 for -f on an HTTP error, 60 for an unverified certificate.
import http from 'node:http';
import https from 'node:https';
import type { AppletContext } from '../busybox/context.ts';
import { readFile, resolvePath, sleep } from '../busybox/context.ts';
import { isIPv4 } from '../busybox/dns-client.ts';
import { firstHost, headerValue, redirect } from './curl-redirect.ts';
import { writeOut, type TransferInfo } from './curl-write-out.ts';
import { connectAsPod } from '../busybox/pod-socket.ts';

/** the version of curlimages/curl:latest here, and of a tag this table does not know */
const VERSION = '8.12.1';

/** curl's releases and their dates (the release tags' dates in curl's repository), for the image's tag */
const RELEASE_DATES: Record<string, string> = {
  '7.70.0': '2020-04-29', '7.71.0': '2020-06-24', '7.71.1': '2020-07-01', '7.72.0': '2020-08-19', '7.73.0': '2020-10-14',
  '7.74.0': '2020-12-09', '7.75.0': '2021-02-03', '7.76.0': '2021-03-31', '7.76.1': '2021-04-14', '7.77.0': '2021-05-26',
  '7.78.0': '2021-07-21', '7.79.0': '2021-09-15', '7.79.1': '2021-09-22', '7.80.0': '2021-11-10', '7.81.0': '2022-01-05',
  '7.82.0': '2022-03-05', '7.83.0': '2022-04-27', '7.83.1': '2022-05-11', '7.84.0': '2022-06-27', '7.85.0': '2022-08-31',
  '7.86.0': '2022-10-26', '7.87.0': '2022-12-21', '7.88.0': '2023-02-15', '7.88.1': '2023-02-20', '8.0.0': '2023-03-20',
  '8.0.1': '2023-03-20', '8.1.0': '2023-05-17', '8.1.1': '2023-05-23', '8.1.2': '2023-05-30', '8.2.0': '2023-07-19',
  '8.2.1': '2023-07-26', '8.3.0': '2023-09-13', '8.4.0': '2023-10-11', '8.5.0': '2023-12-06', '8.6.0': '2024-01-31',
  '8.7.0': '2024-03-27', '8.7.1': '2024-03-27', '8.8.0': '2024-05-22', '8.9.0': '2024-07-24', '8.9.1': '2024-07-31',
  '8.10.0': '2024-09-11', '8.10.1': '2024-09-18', '8.11.0': '2024-11-06', '8.11.1': '2024-12-11', '8.12.0': '2025-02-05',
  '8.12.1': '2025-02-13', '8.13.0': '2025-04-02', '8.14.0': '2025-05-28', '8.14.1': '2025-06-04', '8.15.0': '2025-07-16',
  '8.16.0': '2025-09-10', '8.17.0': '2025-11-05', '8.18.0': '2026-01-07', '8.19.0': '2026-03-11', '8.20.0': '2026-04-29',
  '8.21.0': '2026-06-24',
};

/** curlimages/curl:X.Y.Z runs curl X.Y.Z; :latest, no tag, or a tag not in the table, the default */
export function curlImageVersion(image: string | undefined): string {
  const tag = /:([^/:@]+)(@.*)?$/.exec(image ?? '')?.[1] ?? '';
  return RELEASE_DATES[tag] ? tag : VERSION;
}

/**
 * `curl --version`. The host triplet is the image's musl build. The libraries, protocols and
 * features are those the curl-container image (curlimages/curl, also quay.io/curl/curl) printed
 * for 8.4.0 in a published transcript: for other tags they are an approximation, since each
 * release of the image was built against the Alpine libraries of its day.
 */
function versionBanner(version: string): string {
  return `curl ${version} (x86_64-pc-linux-musl) libcurl/${version} OpenSSL/3.1.3 zlib/1.2.13 brotli/1.0.9 libidn2/2.3.4 libssh2/1.10.0 nghttp2/1.57.0\n` +
    `Release-Date: ${RELEASE_DATES[version] ?? '[unreleased]'}\n` +
    'Protocols: dict file ftp ftps gopher gophers http https imap imaps mqtt pop3 pop3s rtsp scp sftp smb smbs smtp smtps telnet tftp\n' +
    'Features: alt-svc AsynchDNS brotli GSS-API HSTS HTTP2 HTTPS-proxy IDN IPv6 Kerberos Largefile libz NTLM SPNEGO SSL threadsafe TLS-SRP UnixSockets\n';
}
/** curl 8's default --max-redirs (CURL_DEFAULT_MAX_REDIRS... 50 since 8.3.0) */
const DEFAULT_MAX_REDIRS = 50;
/** curl's DEFAULT_CONNECT_TIMEOUT */
const CONNECT_TIMEOUT_MS = 300_000;

interface CurlArgs {
  url?: string;
  silent: boolean;
  showError: boolean;
  verbose: boolean;
  head: boolean;
  include: boolean;
  fail: boolean;
  insecure: boolean;
  output?: string;
  remoteName: boolean;
  method?: string;
  headers: string[];
  data?: string;
  resolve: Map<string, string>;
  maxTimeMs?: number;
  connectTimeoutMs?: number;
  cacert?: string;
  /** -L: follow 3xx Location headers */
  location: boolean;
  /** --max-redirs: -1 for no limit (curl 8's default is 50) */
  maxRedirs: number;
  /** -w: printed to stdout after the transfer (curl-write-out.ts) */
  writeOut?: string;
  userAgent?: string;
  referer?: string;
  /** -u user:password, sent as Basic authorization */
  user?: string;
  /** -V: print the version banner and stop, as curl does as soon as it parses it */
  version?: boolean;
}

const WITH_VALUE = new Set(['-o', '--output', '-X', '--request', '-H', '--header', '-d', '--data', '--resolve', '-m', '--max-time',
  '--connect-timeout', '--cacert', '--max-redirs', '-A', '--user-agent', '-w', '--write-out', '-u', '--user', '-e', '--referer']);

function parse(argv: string[]): CurlArgs | string {
  const o: CurlArgs = { silent: false, showError: false, verbose: false, head: false, include: false, fail: false, insecure: false,
    remoteName: false, headers: [], resolve: new Map(), location: false, maxRedirs: DEFAULT_MAX_REDIRS };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let value: string | undefined;
    if (a.startsWith('--') && a.includes('=')) { value = a.slice(a.indexOf('=') + 1); a = a.slice(0, a.indexOf('=')); }
    if (/^-[a-zA-Z]{2,}$/.test(a)) {
      // grouped short options: -sS, -sv, -sSo FILE
      const letters = a.slice(1).split('');
      const rest = letters.map((l) => `-${l}`);
      argv = [...argv.slice(0, i), ...rest, ...argv.slice(i + 1)];
      a = argv[i];
    }
    if (WITH_VALUE.has(a)) {
      value ??= argv[++i];
      if (value === undefined) return `option ${a}: requires parameter`;
    }
    switch (a) {
      case '-V': case '--version': o.version = true; return o;
      case '-s': case '--silent': o.silent = true; break;
      case '-S': case '--show-error': o.showError = true; break;
      case '-v': case '--verbose': o.verbose = true; break;
      case '-I': case '--head': o.head = true; break;
      case '-i': case '--include': o.include = true; break;
      case '-f': case '--fail': o.fail = true; break;
      case '-k': case '--insecure': o.insecure = true; break;
      case '-L': case '--location': o.location = true; break;
      case '--max-redirs': o.maxRedirs = Number(value); break;
      case '-4': case '-6': case '--http1.1': break;
      case '-O': case '--remote-name': o.remoteName = true; break;
      case '-o': case '--output': o.output = value; break;
      case '-X': case '--request': o.method = value; break;
      case '-H': case '--header': o.headers.push(value!); break;
      case '-d': case '--data': o.data = value; break;
      case '-m': case '--max-time': o.maxTimeMs = Number(value) * 1000; break;
      case '--connect-timeout': o.connectTimeoutMs = Number(value) * 1000; break;
      case '--cacert': o.cacert = value; break;
      case '--resolve': {
        const m = /^([^:]+):(\d+):(.+)$/.exec(value!);
        if (!m) return `option --resolve: is badly used here`;
        o.resolve.set(`${m[1].toLowerCase()}:${m[2]}`, m[3].replace(/^\[|\]$/g, ''));
        break;
      }
      case '-A': case '--user-agent': o.userAgent = value; break;
      case '-e': case '--referer': o.referer = value; break;
      case '-u': case '--user': o.user = value; break;
      case '-w': case '--write-out': o.writeOut = value; break;
      default:
        if (a.startsWith('-') && a !== '-') return `option ${a}: is unknown`;
        o.url ??= a;
    }
  }
  return o;
}

/** curl's progress meter, drawn once at the end (stdout is not a terminal under kubectl exec) */
function meter(bytes: number, ms: number): string {
  const speed = Math.round(bytes / Math.max(ms / 1000, 0.001));
  const fmt = (n: number) => (n < 100_000 ? String(n) : n < 10_000_000 ? `${Math.round(n / 1024)}k` : `${Math.round(n / 1048576)}M`);
  const pct = bytes > 0 ? '100' : '  0';
  return '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n' +
    '                                 Dload  Upload   Total   Spent    Left  Speed\n' +
    `${pct} ${fmt(bytes).padStart(5)}  ${pct} ${fmt(bytes).padStart(5)}    0     0  ${fmt(speed).padStart(5)}      0 --:--:-- --:--:-- --:--:-- ${fmt(speed).padStart(5)}\n`;
}

async function resolveName(ctx: AppletContext, host: string): Promise<string | undefined> {
  if (isIPv4(host)) return host;
  const hosts = (readFile(ctx, '/etc/hosts') ?? '').split('\n').map((l) => l.trim().split(/\s+/))
    .find((f) => f.length > 1 && !f[0].startsWith('#') && isIPv4(f[0]) && f.slice(1).includes(host));
  if (hosts) return hosts[0];
  return (await ctx.dns.lookup(host, 'A', ctx.resolvConf(), ctx.signal)).addresses[0];
}

/** curl as the image of that version runs it (its User-Agent, its --version) */
export const makeCurl = (version: string) => (ctx: AppletContext): Promise<number> => curl(ctx, version);

export async function curl(ctx: AppletContext, version = VERSION): Promise<number> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  const o = parse(ctx.argv.slice(1));
  if (typeof o === 'string') {
    ctx.err(`curl: ${o}\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
    return 2;
  }
  if (o.version) {
    ctx.out(versionBanner(version));
    return 0;
  }
  if (!o.url) {
    ctx.err("curl: try 'curl --help' or 'curl --manual' for more information\n");
    return 2;
  }
  const quiet = o.silent && !o.showError;
  const info: TransferInfo = { status: 0, urlEffective: o.url, method: 'GET', sizeDownload: 0, sizeHeader: 0, redirects: 0, elapsedMs: 0, exitCode: 0 };
  // -w's text goes out after the transfer, whatever its outcome (http_code 000 when nothing answered)
  const written = (code: number) => {
    if (o.writeOut === undefined) return code;
    const format = o.writeOut.startsWith('@') ? readFile(ctx, o.writeOut.slice(1)) ?? '' : o.writeOut;
    const { text, warnings } = writeOut(format, { ...info, elapsedMs: elapsed(), exitCode: code });
    for (const w of warnings) ctx.err(w);
    ctx.out(text);
    return code;
  };
  const fail = (code: number, message: string) => {
    if (o.verbose) ctx.err(`* ${message}\n`);
    if (!quiet) ctx.err(`curl: (${code}) ${message}\n`);
    info.errorMessage = message;
    return written(code);
  };
  // one transfer per URL: the one given, then each Location followed with -L
  let url = o.url;
  let method = o.method ?? (o.head ? 'HEAD' : o.data !== undefined ? 'POST' : 'GET');
  let data = o.data;
  let followed = 0;
  let previousHost: string | undefined;
  let headOut = '';
  for (;;) {
    const m = /^(?:([a-z]+):\/\/)?([^/:?#]+|\[[^\]]+\])(?::(\d+))?([/?#].*)?$/i.exec(url);
    const scheme = (m?.[1] ?? 'http').toLowerCase();
    if (!m) return fail(3, 'URL rejected: Malformed input to a URL function');
    if (scheme !== 'http' && scheme !== 'https') return fail(1, `Protocol "${scheme}" not supported`);
    const host = m[2];
    const port = m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80;
    const path = m[4]?.startsWith('/') ? m[4] : `/${m[4] ?? ''}`;
    const deadline = o.maxTimeMs;
    const within = <T>(p: Promise<T>, ms: number | undefined): Promise<T | 'timeout'> => (ms === undefined ? p
      : Promise.race([p, sleep(Math.max(0, ms - elapsed()), ctx.signal).then(() => 'timeout' as const)]));
    const reused = previousHost === `${host}:${port}`;
    Object.assign(info, { urlEffective: url, method, remotePort: port, redirects: followed });

    let backend: { host: string; port: number };
    if (reused) {
      if (o.verbose) ctx.err(`* Re-using existing connection with host ${host}\n`);
      const ip = (await resolveName(ctx, host)) ?? host;
      info.remoteIP = ip;
      const again = ctx.route ? await ctx.route(ip, port, 'TCP') : ctx.proxy.resolve(ip, port, 'TCP') ?? 'refused';
      if (typeof again === 'string') return fail(7, `Failed to connect to ${host} port ${port} after ${elapsed()} ms: Couldn't connect to server`);
      backend = again;
    } else {
      const pinned = o.resolve.get(`${host.toLowerCase()}:${port}`);
      if (pinned && o.verbose) ctx.err(`* Added ${host}:${port}:${pinned} to DNS cache\n`);
      const ip = pinned ?? await within(resolveName(ctx, host), deadline);
      if (ip === 'timeout') return fail(28, `Resolving timed out after ${elapsed()} milliseconds`);
      if (!ip) return fail(6, `Could not resolve host: ${host}`);
      info.remoteIP = ip;
      if (o.verbose) {
        if (pinned) ctx.err(`* Hostname ${host} was found in DNS cache\n`);
        else ctx.err(`* Host ${host}:${port} was resolved.\n* IPv6: (none)\n* IPv4: ${ip}\n`);
        ctx.err(`*   Trying ${ip}:${port}...\n`);
      }
      const routed = ctx.route ? await ctx.route(ip, port, 'TCP') : ctx.proxy.resolve(ip, port, 'TCP') ?? 'refused';
      if (routed === 'refused') return fail(7, `Failed to connect to ${host} port ${port} after ${elapsed()} ms: Couldn't connect to server`);
      if (routed === 'unreachable') {
        const limit = Math.min(o.connectTimeoutMs ?? CONNECT_TIMEOUT_MS, deadline ?? Infinity);
        if (!(await sleep(Math.max(0, limit - elapsed()), ctx.signal))) return 130;
        return fail(28, o.connectTimeoutMs !== undefined && (deadline === undefined || o.connectTimeoutMs <= deadline)
          ? `Failed to connect to ${host} port ${port} after ${elapsed()} ms: Timeout was reached`
          : `Connection timed out after ${elapsed()} milliseconds`);
      }
      if (o.verbose) ctx.err(`* Connected to ${host} (${ip}) port ${port}\n`);
      backend = routed;
    }
    const hostHeader = m[3] ? `${host}:${port}` : host;
    const headers: Record<string, string> = { Host: hostHeader };
    if (o.user !== undefined) headers.Authorization = `Basic ${Buffer.from(o.user.includes(':') ? o.user : `${o.user}:`).toString('base64')}`;
    // -A "" sends no User-Agent at all
    if (o.userAgent !== '') headers['User-Agent'] = o.userAgent ?? `curl/${version}`;
    headers.Accept = '*/*';
    if (o.referer) headers.Referer = o.referer;
    for (const h of o.headers) {
      const i = h.indexOf(':');
      // curl sends Authorization and Cookie only to the host the user named (no --location-trusted)
      if (i > 0 && !(followed > 0 && /^(authorization|cookie)$/i.test(h.slice(0, i).trim()) && host !== firstHost(o.url))) {
        headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
      }
    }
    if (data !== undefined) {
      headers['Content-Length'] = String(Buffer.byteLength(data));
      headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
    }
    if (o.verbose) {
      ctx.err(`> ${method} ${path} HTTP/1.1\n${Object.entries(headers).map(([k, v]) => `> ${k}: ${v}\n`).join('')}> \n`);
    }
    const ca = o.cacert ? readFile(ctx, o.cacert) : undefined;
    if (o.cacert && ca === undefined) return fail(77, `error setting certificate file: ${o.cacert}`);
    type Reply = { status: number; statusText: string; rawHeaders: string[]; body: Buffer };
    const sending = data;
    const request = new Promise<Reply | Error>((resolve) => {
      const opts = { host: backend.host, port: backend.port, path, method, headers, signal: ctx.signal };
      const onRes = (r: http.IncomingMessage) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => resolve({
          status: r.statusCode ?? 0, statusText: r.statusMessage ?? '', rawHeaders: r.rawHeaders, body: Buffer.concat(chunks),
        }));
        r.on('error', resolve);
      };
      const req = scheme === 'https'
        // the certificate is checked against --cacert (or not at all with -k); the name is the Service's, not the API server's own
        ? https.request({ ...opts, servername: isIPv4(host) ? undefined : host, rejectUnauthorized: !o.insecure, ca,
          checkServerIdentity: () => undefined }, onRes)
        : http.request(opts, onRes);
      connectAsPod(ctx, req);
      req.on('error', resolve);
      req.end(sending);
    });
    const res = await within(request, deadline);
    if (res === 'timeout') return fail(28, `Operation timed out after ${elapsed()} milliseconds with 0 bytes received`);
    if (res instanceof Error) {
      if (ctx.signal.aborted) return 130;
      if (/certificate|self.signed|issuer/i.test(res.message)) {
        return fail(60, 'SSL certificate problem: unable to get local issuer certificate');
      }
      return fail(56, 'Recv failure: Connection reset by peer');
    }
    const headerLines = [`HTTP/1.1 ${res.status} ${res.statusText}`];
    for (let i = 0; i < res.rawHeaders.length; i += 2) headerLines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
    Object.assign(info, {
      status: res.status, sizeDownload: res.body.length, sizeHeader: Buffer.byteLength(`${headerLines.join('\r\n')}\r\n\r\n`),
      contentType: headerValue(res.rawHeaders, 'content-type'), redirectUrl: undefined,
    });
    if (o.verbose) ctx.err(`${headerLines.map((l) => `< ${l}\n`).join('')}< \n`);
    const head = o.head || o.include ? `${headerLines.join('\r\n')}\r\n\r\n` : '';
    const location = headerValue(res.rawHeaders, 'location');
    const next = o.location && location !== undefined
      ? redirect(res.status, location, url, method, data, o.method !== undefined) : undefined;
    if (!next && location !== undefined && res.status >= 300 && res.status < 400) info.redirectUrl = location;
    if (next) {
      // the header block of each response shows with -i; the bodies of those followed do not
      headOut += head;
      if (o.maxRedirs >= 0 && followed >= o.maxRedirs) {
        ctx.out(headOut);
        return fail(47, `Maximum (${o.maxRedirs}) redirects followed`);
      }
      if (o.verbose) ctx.err(`* Ignoring the response-body\n* Connection #0 to host ${host} left intact\n* Issue another request to this URL: '${next.url}'\n`);
      followed++;
      previousHost = `${host}:${port}`;
      ({ url, method, data } = next);
      continue;
    }
    if (o.fail && res.status >= 400) return fail(22, `The requested URL returned error: ${res.status}`);
    const body = o.head ? '' : res.body.toString();
    const target = o.output ?? (o.remoteName ? path.split('/').pop() || 'curl_response' : undefined);
    const toFile = target !== undefined && target !== '-';
    const discard = target === '/dev/null';
    if (!o.silent && !o.verbose && (toFile || !ctx.state.tty)) ctx.err(meter(res.body.length, elapsed()));
    if (toFile) { if (!discard) ctx.state.written.set(resolvePath(ctx, target).normalized, headOut + head + body); }
    else ctx.out(headOut + head + body);
    if (o.verbose) ctx.err(`* Connection #0 to host ${host} left intact\n`);
    return written(0);
  }
}
