// Resource paths with percent-escapes: a good one decodes, a bad one is a BadRequest Status
// (the client's error), never a URIError that the server would report as a 500.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../../../sandbox/cluster/errors.ts';
import { parseRoute } from '../../../sandbox/cluster/api/route.ts';

describe('parseRoute and percent-escapes', () => {
  test('a good escape decodes', () => {
    const r = parseRoute('/api/v1/namespaces/default/configmaps/a%2Eb');
    assert.equal(r.type === 'resource' && r.name, 'a.b');
  });
  const bad: Array<[string, string]> = [
    ['/api/v1/namespaces/default/configmaps/%zz', '%zz'],
    ['/api/v1/namespaces/%/pods', '%'],
    ['/apis/apps/v1/namespaces/default/deployments/x%4', '%4'],
    ['/api/v1/namespaces/default/pods/%E0%A4%A', '%A'],
  ];
  for (const [path, escape] of bad)
    test(`${path} -> 400 BadRequest naming ${escape}`, () => {
      assert.throws(() => parseRoute(path), (e: unknown) => {
        assert.ok(isStatusError(e));
        assert.equal(e.httpCode, 400);
        assert.equal(e.reason, 'BadRequest');
        assert.equal(e.status.message, `invalid URL escape ${JSON.stringify(escape)}`);
        return true;
      });
    });
});
