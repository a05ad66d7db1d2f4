// The nginx image: its default server on port 80 of the pod IP serving the stock welcome page,
// 404 for anything else, its entrypoint's start-up lines, and one access-log line per request in
// the image's `main` format (nginx's combined format plus "$http_x_forwarded_for"), so
// `kubectl logs` shows who connected, as it does on a real cluster.
import type { ContainerLog } from './container-log.ts';
import { startHttpListener, type HttpListener } from './http-listener.ts';
import type { ContainerSpec, PodView } from './pod-spec.ts';
import type { RuntimeContext } from './runtime-context.ts';

/** /usr/share/nginx/html/index.html of the official image (615 bytes) */
export const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

export function nginxVersion(image: string | undefined): string {
  const tag = /:([^/:@]+)(@.*)?$/.exec(image ?? '')?.[1] ?? '';
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(tag);
  if (!m) return '1.27.3';
  return `${m[1]}.${m[2]}.${m[3] ?? (m[1] === '1' && m[2] === '25' ? '5' : '0')}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** $time_local: 05/Dec/2026:22:10:01 +0000 (the image runs in UTC) */
export function timeLocal(d = new Date()): string {
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}

/** the error log's timestamp: 2026/12/05 22:10:01 */
function errorTime(d = new Date()): string {
  return `${d.getUTCFullYear()}/${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

function startLines(version: string): string[] {
  const t = errorTime();
  return [
    '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
    '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
    '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
    '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
    '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
    '/docker-entrypoint.sh: Configuration complete; ready for start up',
    `${t} [notice] 1#1: using the "epoll" event method`,
    `${t} [notice] 1#1: nginx/${version}`,
    `${t} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14)`,
    `${t} [notice] 1#1: OS: Linux 6.1.0-27-cloud-amd64`,
    `${t} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576`,
    `${t} [notice] 1#1: start worker processes`,
    `${t} [notice] 1#1: start worker process 29`,
  ];
}

export async function startNginx(ctx: RuntimeContext, pod: PodView, spec: ContainerSpec, log: ContainerLog): Promise<HttpListener> {
  const version = nginxVersion(spec.image);
  for (const l of startLines(version)) log.line(l);
  const lastModified = 'Tue, 16 Apr 2024 14:29:59 GMT';
  let connection = 0;
  return startHttpListener(ctx, pod, 80, (req, res, client) => {
    connection++;
    const url = req.url ?? '/';
    const path = url.split('?')[0];
    const head = req.method === 'HEAD';
    const found = (req.method === 'GET' || head) && (path === '/' || path === '/index.html');
    let status: number;
    let body: string;
    if (found) {
      status = 200;
      body = NGINX_WELCOME;
      res.writeHead(200, {
        Server: `nginx/${version}`, 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body),
        'Last-Modified': lastModified, ETag: '"661e8b67-267"', 'Accept-Ranges': 'bytes',
      });
    } else {
      status = req.method === 'GET' || head ? 404 : 405;
      const title = status === 404 ? '404 Not Found' : '405 Not Allowed';
      body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx/${version}</center>\r\n</body>\r\n</html>\r\n`;
      res.writeHead(status, { Server: `nginx/${version}`, 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body) });
      if (status === 404) {
        log.line(`${errorTime()} [error] 29#29: *${connection} open() "/usr/share/nginx/html${path}" failed (2: No such file or directory), ` +
          `client: ${client}, server: localhost, request: "${req.method} ${url} HTTP/${req.httpVersion}", host: "${req.headers.host ?? ''}"`);
      }
    }
    res.end(head ? undefined : body);
    const sent = head ? 0 : Buffer.byteLength(body);
    const q = (v: string | string[] | undefined) => (typeof v === 'string' && v ? v : '-');
    log.line(`${client} - - [${timeLocal()}] "${req.method} ${url} HTTP/${req.httpVersion}" ${status} ${sent} "${q(req.headers.referer)}" ` +
      `"${q(req.headers['user-agent'])}" "${q(req.headers['x-forwarded-for'])}"`);
  });
}
