// The shared cell formats: label maps, label selectors, "+ N more...", host:port.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLabels, formatLabelSelector, joinHostPort, listWithMore, selectorString } from '../../../sandbox/cluster/tables/format.ts';

describe('formatLabels', () => {
  const rows: Array<[string, Record<string, string> | undefined, string]> = [
    ['none', undefined, '<none>'],
    ['empty', {}, '<none>'],
    ['sorted by key', { b: '2', a: '1' }, 'a=1,b=2'],
    ['empty value kept', { 'node-role.kubernetes.io/master': '' }, 'node-role.kubernetes.io/master='],
  ];
  for (const [name, labels, want] of rows) test(name, () => assert.equal(formatLabels(labels), want));
});

describe('selectorString / formatLabelSelector', () => {
  const rows: Array<[string, Parameters<typeof selectorString>[0], string, string]> = [
    ['nil selector', undefined, '', '<none>'],
    ['empty selector selects everything', {}, '', '<none>'],
    ['matchLabels sorted', { matchLabels: { tier: 'dns', app: 'kube-dns' } }, 'app=kube-dns,tier=dns', 'app=kube-dns,tier=dns'],
    ['In with values sorted and deduplicated', { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev', 'prod'] }] }, 'env in (dev,prod)', 'env in (dev,prod)'],
    ['NotIn', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['x'] }] }, 'env notin (x)', 'env notin (x)'],
    ['Exists and DoesNotExist', { matchExpressions: [{ key: 'b', operator: 'Exists' }, { key: 'a', operator: 'DoesNotExist' }] }, '!a,b', '!a,b'],
    ['an unknown operator', { matchExpressions: [{ key: 'a', operator: 'Near' }] }, '<invalid>', '<error>'],
  ];
  for (const [name, sel, raw, formatted] of rows) {
    test(name, () => {
      assert.equal(selectorString(sel), raw);
      assert.equal(formatLabelSelector(sel), formatted);
    });
  }
});

describe('listWithMore', () => {
  test('empty', () => assert.equal(listWithMore([]), '<unset>'));
  test('up to three', () => assert.equal(listWithMore(['a', 'b', 'c']), 'a,b,c'));
  test('more than three', () => assert.equal(listWithMore(['a', 'b', 'c', 'd', 'e']), 'a,b,c + 2 more...'));
});

describe('joinHostPort', () => {
  test('IPv4', () => assert.equal(joinHostPort('100.96.1.4', 53), '100.96.1.4:53'));
  test('IPv6 is bracketed', () => assert.equal(joinHostPort('fd00::1', 53), '[fd00::1]:53'));
});
