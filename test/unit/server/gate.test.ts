// The gate's decisions, row by row: Host, Origin and token checks as pure functions.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { allowedHostsFor, checkHost, checkOrigin, checkToken, gateHttp, gateUpgrade, isLoopbackHost, parseHostHeader, type GateConfig } from '../../../sandbox/server/gate.ts';
import { browserCookie, browserCookieName, cookieName, readBrowserId, readCookie, readCookies, tokenCookie, tokenMatches } from '../../../sandbox/server/auth-token.ts';

const cfg: GateConfig = { token: 'tok-0123456789abcdef', port: 4321, allowedHosts: allowedHostsFor('127.0.0.1') };

describe('parseHostHeader', () => {
  const rows: Array<[string, ReturnType<typeof parseHostHeader>]> = [
    ['127.0.0.1:4321', { name: '127.0.0.1', port: 4321 }],
    ['LocalHost:4321', { name: 'localhost', port: 4321 }],
    ['[::1]:4321', { name: '::1', port: 4321 }],
    ['example.com', { name: 'example.com', port: null }],
    ['localhost.:4321', { name: 'localhost', port: 4321 }],
    ['a:b:c', null],
    ['', null],
    ['host:port', null],
  ];
  for (const [input, want] of rows) test(JSON.stringify(input), () => assert.deepEqual(parseHostHeader(input), want));
});

describe('checkHost', () => {
  const rows: Array<[string | undefined, boolean]> = [
    ['127.0.0.1:4321', true],
    ['localhost:4321', true],
    ['[::1]:4321', true],
    ['127.0.0.1:4322', false],
    ['127.0.0.1', false],
    ['attacker.example:4321', false],
    ['127.0.0.1.nip.io:4321', false],
    [undefined, false],
  ];
  for (const [host, ok] of rows)
    test(`${host} -> ${ok ? 'allowed' : 'refused'}`, () => {
      const v = checkHost(host, cfg);
      if (ok) assert.equal(v, null);
      else assert.deepEqual([v?.ok, v && !v.ok && v.status, v && !v.ok && v.code], [false, 403, 'LAB_ERR_HOST_NOT_ALLOWED']);
    });

  test('a wildcard bind allows the extra local names it is given, and never the wildcard itself', () => {
    const hosts = allowedHostsFor('0.0.0.0', ['10.0.0.5', 'LabBox']);
    assert.ok(hosts.has('10.0.0.5'));
    assert.ok(hosts.has('labbox'));
    assert.ok(!hosts.has('0.0.0.0'));
  });
});

describe('checkOrigin', () => {
  const rows: Array<[string | undefined, string, boolean, boolean]> = [
    ['http://127.0.0.1:4321', '127.0.0.1:4321', true, true],
    ['http://localhost:4321', 'localhost:4321', true, true],
    ['http://localhost:4321', '127.0.0.1:4321', true, false],
    ['https://127.0.0.1:4321', '127.0.0.1:4321', true, false],
    ['http://evil.example', '127.0.0.1:4321', true, false],
    ['null', '127.0.0.1:4321', true, false],
    [undefined, '127.0.0.1:4321', true, false],
    [undefined, '127.0.0.1:4321', false, true],
  ];
  for (const [origin, host, required, ok] of rows)
    test(`Origin ${origin} for Host ${host}${required ? ' (required)' : ''} -> ${ok}`, () => {
      const v = checkOrigin(origin, host, required);
      assert.equal(v === null, ok);
      if (v && !v.ok) assert.equal(v.code, 'LAB_ERR_ORIGIN_NOT_ALLOWED');
    });
});

describe('checkToken', () => {
  const name = cookieName(4321);
  const rows: Array<[string, { headers: Record<string, string>; url: string }, false | 'cookie' | 'bearer' | 'query']> = [
    ['cookie', { headers: { cookie: `a=b; ${name}=${cfg.token}` }, url: '/' }, 'cookie'],
    ['cookie of another port', { headers: { cookie: `${cookieName(4322)}=${cfg.token}` }, url: '/' }, false],
    ['bearer', { headers: { authorization: `Bearer ${cfg.token}` }, url: '/' }, 'bearer'],
    ['query', { headers: {}, url: `/x?a=1&token=${cfg.token}` }, 'query'],
    ['wrong query', { headers: {}, url: '/?token=nope' }, false],
    ['prefix of the token', { headers: { cookie: `${name}=${cfg.token.slice(0, -1)}` }, url: '/' }, false],
    ['nothing', { headers: {}, url: '/' }, false],
    // another localhost service planted a cookie of the same name: the browser sends both
    ['a planted duplicate before ours', { headers: { cookie: `${name}=planted; ${name}=${cfg.token}` }, url: '/' }, 'cookie'],
    ['a planted duplicate after ours', { headers: { cookie: `${name}=${cfg.token}; ${name}=planted` }, url: '/' }, 'cookie'],
    ['only planted ones', { headers: { cookie: `${name}=planted; ${name}=also-planted` }, url: '/' }, false],
    ['our token under another port\'s name next to a planted one', { headers: { cookie: `${name}=planted; ${cookieName(4322)}=${cfg.token}` }, url: '/' }, false],
  ];
  for (const [label, req, via] of rows)
    test(label, () => {
      const v = checkToken(req, cfg);
      if (via) assert.deepEqual(v, { ok: true, via, client: 'token' });
      else assert.deepEqual([v.ok, !v.ok && v.status], [false, 401]);
    });
});

describe('the client a verdict names (per-browser terminal cap)', () => {
  const id = 'b'.repeat(22);
  const rows: Array<[string, string, string]> = [
    ['the browser id cookie', `${cookieName(4321)}=${cfg.token}; ${browserCookieName(4321)}=${id}`, `browser:${id}`],
    ['no browser id', `${cookieName(4321)}=${cfg.token}`, 'token'],
    ['a malformed id is ignored', `${cookieName(4321)}=${cfg.token}; ${browserCookieName(4321)}=a;b`, 'token'],
    ['the first well-formed of several ids', `${browserCookieName(4321)}=x!; ${browserCookieName(4321)}=${id}; ${cookieName(4321)}=${cfg.token}`, `browser:${id}`],
    ['another port\'s id is not ours', `${cookieName(4321)}=${cfg.token}; ${browserCookieName(4322)}=${id}`, 'token'],
  ];
  for (const [label, cookie, client] of rows)
    test(label, () => {
      const v = checkToken({ headers: { cookie }, url: '/' }, cfg);
      assert.equal(v.ok && v.client, client);
    });
  test('readBrowserId and the cookie it reads', () => {
    assert.equal(readBrowserId(browserCookie(4321, id).split(';')[0], 4321), id);
    assert.match(browserCookie(4321, id), /^coredns_lab_4321_browser=b+; Path=\/; HttpOnly; SameSite=Strict$/);
  });
});

describe('the gate order', () => {
  test('Host is checked before the token: a rebinding page learns nothing about auth', () => {
    const v = gateHttp({ headers: { host: 'evil.example:4321' }, url: '/', method: 'GET' }, cfg);
    assert.equal(!v.ok && v.code, 'LAB_ERR_HOST_NOT_ALLOWED');
  });
  test('an upgrade with the token but no Origin is refused', () => {
    const v = gateUpgrade({ headers: { host: '127.0.0.1:4321', authorization: `Bearer ${cfg.token}` }, url: '/ws/terminal' }, cfg);
    assert.equal(!v.ok && v.code, 'LAB_ERR_ORIGIN_NOT_ALLOWED');
  });
  test('a GET without Origin but with the cookie passes', () => {
    const v = gateHttp({ headers: { host: 'localhost:4321', cookie: `${cookieName(4321)}=${cfg.token}` }, url: '/', method: 'GET' }, cfg);
    assert.deepEqual(v, { ok: true, via: 'cookie', client: 'token' });
  });
});

describe('cookies and tokens', () => {
  test('the cookie is HttpOnly, SameSite=Strict, for the whole site', () => {
    const c = tokenCookie(4321, 'abc');
    assert.match(c, /^coredns_lab_4321=abc; /);
    assert.match(c, /; HttpOnly/);
    assert.match(c, /; SameSite=Strict/);
    assert.match(c, /; Path=\//);
  });
  test('readCookie finds the named cookie among others', () => {
    assert.equal(readCookie('x=1; coredns_lab_1=t=k; y=2', 'coredns_lab_1'), 't=k');
    assert.equal(readCookie('x=1', 'coredns_lab_1'), undefined);
    assert.equal(readCookie(undefined, 'x'), undefined);
  });
  test('readCookies returns every value of a name, in order, and no look-alike names', () => {
    assert.deepEqual(readCookies('a=1; coredns_lab_1=x; coredns_lab_10=y; coredns_lab_1=z', 'coredns_lab_1'), ['x', 'z']);
    assert.deepEqual(readCookies(undefined, 'a'), []);
    assert.equal(readCookies(Array.from({ length: 40 }, (_, i) => `a=${i}`).join('; '), 'a').length, 16);
  });
  test('tokenMatches is exact', () => {
    assert.equal(tokenMatches('abc', 'abc'), true);
    assert.equal(tokenMatches('abcd', 'abc'), false);
    assert.equal(tokenMatches('', 'abc'), false);
    assert.equal(tokenMatches(undefined, 'abc'), false);
  });
});

describe('isLoopbackHost', () => {
  const rows: Array<[string, boolean]> = [
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.10', false],
    ['127.0.0.1.evil.example', false],
  ];
  for (const [host, want] of rows) test(`${host} -> ${want}`, () => assert.equal(isLoopbackHost(host), want));
});
