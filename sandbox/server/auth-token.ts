// The per-start access token and the cookie that carries it after the first visit, plus the
// browser-id cookie that groups one browser's terminals (sandbox/terminal/session-manager.ts).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time comparison; hashing first makes the lengths equal. */
export function tokenMatches(given: string | undefined | null, expected: string): boolean {
  if (!given) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Cookies are per host, not per port: name the cookie by port so two labs do not clash. */
export function cookieName(port: number): string {
  return `coredns_lab_${port}`;
}

export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  return readCookies(header, name)[0];
}

/**
 * Every value of the named cookie, in header order. Another service on localhost can plant a
 * cookie of the same name (cookies ignore the port), and the browser sends both: a reader that
 * took only the first would lock the owner out.
 */
export function readCookies(header: string | undefined, name: string, max = 16): string[] {
  const out: string[] = [];
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) out.push(part.slice(eq + 1).trim());
    if (out.length >= max) break;
  }
  return out;
}

/** The browser's id: random, set with the token cookie; it groups a browser's terminals for their cap. */
export function browserCookieName(port: number): string {
  return `${cookieName(port)}_browser`;
}

export function newBrowserId(): string {
  return randomBytes(16).toString('base64url');
}

export function browserCookie(port: number, id: string): string {
  return `${browserCookieName(port)}=${id}; Path=/; HttpOnly; SameSite=Strict`;
}

const BROWSER_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** the first well-formed browser id in the Cookie header, if any */
export function readBrowserId(header: string | undefined, port: number): string | undefined {
  return readCookies(header, browserCookieName(port)).find((v) => BROWSER_ID.test(v));
}
