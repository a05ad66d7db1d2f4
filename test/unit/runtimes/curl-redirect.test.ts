// curl -L's next request after a redirect, one row per rule; each row is what this machine's
// curl 7.88 did against a local server (`curl -sS -L -d x http://127.0.0.1:8089/r301/1` and the
// like): the method and whether the body went again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redirect } from '../../../sandbox/cluster/runtimes/tools/curl-redirect.ts';

const URL_ = 'http://web/docs';
interface Row {
  name: string; status: number; method: string; data?: string; custom?: boolean;
  want: { method: string; data?: string } | undefined;
}

const rows: Row[] = [
  { name: '301 turns a POST into a GET without its body', status: 301, method: 'POST', data: 'x', want: { method: 'GET' } },
  { name: '302 likewise', status: 302, method: 'POST', data: 'x', want: { method: 'GET' } },
  { name: '303 turns a POST into a GET', status: 303, method: 'POST', data: 'x', want: { method: 'GET' } },
  { name: '303 keeps a HEAD (-I)', status: 303, method: 'HEAD', want: { method: 'HEAD' } },
  { name: '307 keeps the POST and its body', status: 307, method: 'POST', data: 'x', want: { method: 'POST', data: 'x' } },
  { name: '308 likewise', status: 308, method: 'POST', data: 'x', want: { method: 'POST', data: 'x' } },
  { name: '301 keeps a GET', status: 301, method: 'GET', want: { method: 'GET' } },
  { name: '-X POST stays POST through a 301, without the body', status: 301, method: 'POST', data: 'x', custom: true, want: { method: 'POST' } },
  { name: '304 is not followed', status: 304, method: 'GET', want: undefined },
  { name: '200 is not followed', status: 200, method: 'GET', want: undefined },
];

for (const r of rows) {
  test(`redirect: ${r.name}`, () => {
    const got = redirect(r.status, '/docs/', URL_, r.method, r.data, r.custom ?? false);
    assert.deepEqual(got, r.want && { url: 'http://web/docs/', ...r.want, data: r.want.data });
  });
}

test('redirect: the Location resolves against the URL asked, absolute ones as they are', () => {
  assert.equal(redirect(301, 'b/c', 'http://web:8080/a/x', 'GET', undefined, false)?.url, 'http://web:8080/a/b/c');
  assert.equal(redirect(302, 'http://other/y', 'web/a', 'GET', undefined, false)?.url, 'http://other/y');
});
