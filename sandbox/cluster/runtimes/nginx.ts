// The nginx image: its default server on port 80 of the pod IP serving /usr/share/nginx/html (the
// stock welcome page and 50x.html, and what volumes mount under it), 301 for a directory without
// its final slash, 403/404/405 as nginx answers them, its entrypoint's start-up lines, and one
// access-log line per request in the image's `main` format (nginx's combined format plus "$http_x_forwarded_for"), so
// `kubectl logs` shows who connected, as it does on a real cluster.
import type { ContainerLog } from './container-log.ts';
import { PodFiles, type ImageFiles } from './pod-files.ts';
import { layeredFiles, type FileView } from './layered-files.ts';
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

/** /usr/share/nginx/html/50x.html of the official image */
export const NGINX_50X = `<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
`;

/** default.conf's root */
const ROOT = '/usr/share/nginx/html';

/** the image's document root; volumes mounted under it (a ConfigMap at /usr/share/nginx/html/docs) add to it */
export const DOCROOT_IMAGE: ImageFiles = {
  files: { [`${ROOT}/index.html`]: NGINX_WELCOME, [`${ROOT}/50x.html`]: NGINX_50X },
  dirs: { '/usr': ['share'], '/usr/share': ['nginx'], '/usr/share/nginx': ['html'], [ROOT]: ['50x.html', 'index.html'] },
};

/**
 * /etc/nginx/nginx.conf and conf.d/default.conf as the Debian image ships them (nginx's pkg-oss
 * packaging, debian/debian/nginx.conf and nginx.default.conf), default.conf as the entrypoint's
 * 10-listen-on-ipv6-by-default.sh leaves it (its sed adds `listen  [::]:80;` after `listen 80;`,
 * which the start-up lines above report; the 1.18 images ran the same sed at build time, older
 * ones listen on IPv4 only). Packages from 1.20 on run `worker_processes auto` and log at
 * `notice` without the commented charset line; from 1.27.5 the pid file is under /run.
 */
export function nginxConfFiles(version: string): ImageFiles {
  const [major, minor, patch] = version.split('.').map(Number);
  const atLeast = (mi: number, pa: number) => major > 1 || minor > mi || (minor === mi && patch >= pa);
  const modern = atLeast(20, 0);
  const conf = `
user  nginx;
worker_processes  ${modern ? 'auto' : '1'};

error_log  /var/log/nginx/error.log ${modern ? 'notice' : 'warn'};
pid        ${atLeast(27, 5) ? '/run/nginx.pid' : '/var/run/nginx.pid'};


events {
    worker_connections  1024;
}


http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    #tcp_nopush     on;

    keepalive_timeout  65;

    #gzip  on;

    include /etc/nginx/conf.d/*.conf;
}
`;
  const server = `server {
    listen       80;${atLeast(18, 0) ? '\n    listen  [::]:80;' : ''}
    server_name  localhost;
${modern ? '' : '\n    #charset koi8-r;'}
    #access_log  /var/log/nginx/host.access.log  main;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    #error_page  404              /404.html;

    # redirect server error pages to the static page /50x.html
    #
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }

    # proxy the PHP scripts to Apache listening on 127.0.0.1:80
    #
    #location ~ \\.php$ {
    #    proxy_pass   http://127.0.0.1;
    #}

    # pass the PHP scripts to FastCGI server listening on 127.0.0.1:9000
    #
    #location ~ \\.php$ {
    #    root           html;
    #    fastcgi_pass   127.0.0.1:9000;
    #    fastcgi_index  index.php;
    #    fastcgi_param  SCRIPT_FILENAME  /scripts$fastcgi_script_name;
    #    include        fastcgi_params;
    #}

    # deny access to .htaccess files, if Apache's document root
    # concurs with nginx's one
    #
    #location ~ /\\.ht {
    #    deny  all;
    #}
}

`;
  return {
    files: { '/etc/nginx/nginx.conf': conf, '/etc/nginx/conf.d/default.conf': server },
    dirs: { '/etc/nginx': ['conf.d', 'nginx.conf'], '/etc/nginx/conf.d': ['default.conf'] },
  };
}

/** mime.types, for the extensions a lab serves */
const MIME: Record<string, string> = {
  html: 'text/html', htm: 'text/html', shtml: 'text/html', css: 'text/css', xml: 'text/xml', js: 'application/javascript',
  json: 'application/json', txt: 'text/plain', svg: 'image/svg+xml', png: 'image/png', gif: 'image/gif', jpg: 'image/jpeg', jpeg: 'image/jpeg',
};

/** the stock error page nginx writes for a status (ngx_http_special_response.c), CRLF line ends */
export function nginxErrorPage(status: string, version: string): string {
  return `<html>\r\n<head><title>${status}</title></head>\r\n<body>\r\n<center><h1>${status}</h1></center>\r\n<hr><center>nginx/${version}</center>\r\n</body>\r\n</html>\r\n`;
}

const REASONS: Record<number, string> = { 301: '301 Moved Permanently', 403: '403 Forbidden', 404: '404 Not Found', 405: '405 Not Allowed' };

type Outcome =
  | { status: 200; path: string; text: string }
  | { status: 301; location: string }
  | { status: 403 | 404 | 405; logged?: string };

/**
 * what default.conf's `location /` (root, index index.html index.htm) makes of a request, as the
 * static and index modules do: a directory without its final slash is a 301 to it with the slash
 * (absolute: http://, the Host header's name without its port, port_in_redirect's port 80 left
 * out), a directory with it serves its index.html or is forbidden (no autoindex), a POST to a
 * file is 405, a missing file 404
 */
function route(files: FileView, method: string, url: string, host: string | undefined): Outcome {
  if (!['GET', 'HEAD', 'POST'].includes(method)) return { status: 405 };
  const [rawPath, query] = [url.split('?')[0], url.includes('?') ? url.slice(url.indexOf('?')) : ''];
  let path: string;
  try {
    path = decodeURIComponent(rawPath).replace(/\/{2,}/g, '/');
  } catch {
    path = rawPath;
  }
  const full = `${ROOT}${path}`;
  if (path.endsWith('/')) {
    for (const index of ['index.html', 'index.htm']) {
      const text = files.read(`${full}${index}`);
      if (text !== undefined) return method === 'POST' ? { status: 405 } : { status: 200, path: `${full}${index}`, text };
    }
    return files.list(full) ? { status: 403, logged: `directory index of "${full}" is forbidden` }
      : { status: 404, logged: `"${full}index.html" is not found (2: No such file or directory)` };
  }
  const text = files.read(full);
  if (text === undefined) {
    if (files.list(full)) return { status: 301, location: `http://${(host ?? 'localhost').replace(/:\d+$/, '')}${path}/${query}` };
    return { status: 404, logged: `open() "${full}" failed (2: No such file or directory)` };
  }
  return method === 'POST' ? { status: 405 } : { status: 200, path: full, text };
}

/** ETag "<mtime hex>-<size hex>" and Last-Modified, as ngx_http_static_module sends them */
function fileValidators(files: FileView, path: string, text: string): { lastModified: string; etag: string } {
  if (path === `${ROOT}/index.html` && text === NGINX_WELCOME) return { lastModified: 'Tue, 16 Apr 2024 14:29:59 GMT', etag: '"661e8b67-267"' };
  const mtime = Math.floor((files.stat(path)?.mtimeMs ?? Date.now()) / 1000);
  return { lastModified: new Date(mtime * 1000).toUTCString(), etag: `"${mtime.toString(16)}-${Buffer.byteLength(text).toString(16)}"` };
}

/** `layer`: the container's writable layer, shared with what kubectl exec runs beside the server */
export async function startNginx(
  ctx: RuntimeContext, pod: PodView, spec: ContainerSpec, log: ContainerLog, layer: ReadonlyMap<string, string> = new Map(),
): Promise<HttpListener> {
  const version = nginxVersion(spec.image);
  for (const l of startLines(version)) log.line(l);
  const files = layeredFiles(new PodFiles(pod, spec, ctx.store, ctx.dns, { image: DOCROOT_IMAGE, credentials: ctx.credentials }), layer);
  let connection = 0;
  return startHttpListener(ctx, pod, 80, (req, res, client) => {
    connection++;
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    const head = method === 'HEAD';
    const outcome = route(files, method, url, req.headers.host);
    const server = `nginx/${version}`;
    // nginx's header order (Server, Date, the entity's, Connection), without node's Keep-Alive header
    const date = new Date().toUTCString();
    const keepAlive = { Connection: req.headers.connection === 'close' ? 'close' : 'keep-alive' };
    let body: string;
    if (outcome.status === 200) {
      body = outcome.text;
      const ext = /\.([a-z0-9]+)$/i.exec(outcome.path)?.[1]?.toLowerCase() ?? '';
      const validators = fileValidators(files, outcome.path, body);
      res.writeHead(200, {
        Server: server, Date: date, 'Content-Type': MIME[ext] ?? 'application/octet-stream', 'Content-Length': Buffer.byteLength(body),
        'Last-Modified': validators.lastModified, ...keepAlive, ETag: validators.etag, 'Accept-Ranges': 'bytes',
      });
    } else {
      body = nginxErrorPage(REASONS[outcome.status], version);
      res.writeHead(outcome.status, {
        Server: server, Date: date, 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body),
        ...(outcome.status === 301 ? { Location: outcome.location } : {}), ...keepAlive,
      });
      if ('logged' in outcome && outcome.logged) {
        log.line(`${errorTime()} [error] 29#29: *${connection} ${outcome.logged}, ` +
          `client: ${client}, server: localhost, request: "${method} ${url} HTTP/${req.httpVersion}", host: "${req.headers.host ?? ''}"`);
      }
    }
    res.end(head ? undefined : body);
    const sent = head ? 0 : Buffer.byteLength(body);
    const q = (v: string | string[] | undefined) => (typeof v === 'string' && v ? v : '-');
    log.line(`${client} - - [${timeLocal()}] "${method} ${url} HTTP/${req.httpVersion}" ${outcome.status} ${sent} "${q(req.headers.referer)}" ` +
      `"${q(req.headers['user-agent'])}" "${q(req.headers['x-forwarded-for'])}"`);
  });
}
