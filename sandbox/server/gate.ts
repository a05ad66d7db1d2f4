// The one place where requests are let in or refused, before any route or WebSocket sees
// them: the Host header (DNS rebinding), the Origin of WebSocket upgrades and state-changing
// calls (cross-site use), and the access token (cookie, bearer header or ?token=).
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { cookieName, readBrowserId, readCookies, tokenMatches } from './auth-token.ts';

export interface GateConfig {
  token: string;
  /** the port actually listened on */
  port: number;
  /** host names (lowercase, IPv6 without brackets) a browser may use to reach us */
  allowedHosts: Set<string>;
  /** the scheme pages are served with: https behind a workshop's TLS (default http) */
  scheme?: 'http:' | 'https:';
}

export type RefusalCode = 'LAB_ERR_HOST_NOT_ALLOWED' | 'LAB_ERR_ORIGIN_NOT_ALLOWED' | 'LAB_ERR_UNAUTHORIZED';

export type Verdict =
  /** client: whose terminals these are, for the per-browser cap (`browser:<id>`, or `token` without a browser id) */
  | { ok: true; via: 'cookie' | 'bearer' | 'query'; client: string }
  | { ok: false; status: 401 | 403; code: RefusalCode; message: string };

export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '::1'];

/** Splits "host:port", "[v6]:port" or "host" into a lowercase name and a port. */
export function parseHostHeader(value: string): { name: string; port: number | null } | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(value.trim());
  if (!m) return null;
  const name = (m[1] ?? m[2]!).toLowerCase().replace(/\.$/, '');
  return { name, port: m[3] === undefined ? null : Number(m[3]) };
}

export function checkHost(host: string | undefined, cfg: GateConfig): Verdict | null {
  const parsed = host ? parseHostHeader(host) : null;
  const port = parsed?.port ?? 80;
  if (!parsed || !cfg.allowedHosts.has(parsed.name) || port !== cfg.port)
    return {
      ok: false,
      status: 403,
      code: 'LAB_ERR_HOST_NOT_ALLOWED',
      message: `Host "${host ?? ''}" is not this lab's address; open http://127.0.0.1:${cfg.port}/ (the URL coredns-lab serve printed)`,
    };
  return null;
}

/** A browser's Origin must name the same scheme, host and port the request was sent to. */
export function checkOrigin(origin: string | undefined, host: string | undefined, required: boolean, scheme: 'http:' | 'https:' = 'http:'): Verdict | null {
  if (origin === undefined && !required) return null;
  let same = false;
  if (origin && host) {
    try {
      const u = new URL(origin);
      same = u.protocol === scheme && u.host.toLowerCase() === host.toLowerCase();
    } catch {
      same = false;
    }
  }
  if (same) return null;
  return {
    ok: false,
    status: 403,
    code: 'LAB_ERR_ORIGIN_NOT_ALLOWED',
    message: `Origin "${origin ?? '(none)'}" does not match this lab (${scheme}//${host ?? ''}); open the lab's own page instead of embedding it elsewhere`,
  };
}

export function checkToken(req: Pick<IncomingMessage, 'headers' | 'url'>, cfg: GateConfig): Verdict {
  const id = readBrowserId(req.headers.cookie, cfg.port);
  const client = id ? `browser:${id}` : 'token';
  // any one of several same-named cookies may be ours: a planted duplicate cannot lock us out
  if (readCookies(req.headers.cookie, cookieName(cfg.port)).some((c) => tokenMatches(c, cfg.token))) return { ok: true, via: 'cookie', client };
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ') && tokenMatches(auth.slice(7).trim(), cfg.token)) return { ok: true, via: 'bearer', client };
  const q = queryToken(req.url);
  if (tokenMatches(q, cfg.token)) return { ok: true, via: 'query', client };
  return {
    ok: false,
    status: 401,
    code: 'LAB_ERR_UNAUTHORIZED',
    message: q
      ? 'the token in this URL is not the current one (it changes on every start); open the URL coredns-lab serve printed last'
      : 'this lab needs its access token; open the URL coredns-lab serve printed (it ends in ?token=...)',
  };
}

export function queryToken(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  return new URLSearchParams(url.slice(q + 1)).get('token') ?? undefined;
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Plain HTTP: Host, then Origin for state-changing methods, then the token. */
export function gateHttp(req: Pick<IncomingMessage, 'headers' | 'url' | 'method'>, cfg: GateConfig): Verdict {
  return (
    checkHost(req.headers.host, cfg) ??
    (UNSAFE_METHODS.has(req.method ?? 'GET') ? checkOrigin(req.headers.origin, req.headers.host, false, cfg.scheme) : null) ??
    checkToken(req, cfg)
  );
}

/** WebSocket upgrades: Host, then a same-origin Origin (always required), then the token. */
export function gateUpgrade(req: Pick<IncomingMessage, 'headers' | 'url'>, cfg: GateConfig): Verdict {
  return checkHost(req.headers.host, cfg) ?? checkOrigin(req.headers.origin, req.headers.host, true, cfg.scheme) ?? checkToken(req, cfg);
}

/** The host names a browser may use for a server bound to `bindHost`. */
export function allowedHostsFor(bindHost: string, extra: string[] = []): Set<string> {
  const set = new Set(LOOPBACK_HOSTS);
  const h = bindHost.toLowerCase().replace(/^\[|\]$/g, '');
  if (h !== '0.0.0.0' && h !== '::') set.add(h);
  for (const e of extra) set.add(e.toLowerCase().replace(/^\[|\]$/g, ''));
  return set;
}

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}
