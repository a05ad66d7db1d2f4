// Which granted rules an owner's rules do not cover (rbac validation's Covers), and how the
// refusal prints them (CompactString).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compactString, uncovered } from '../../../sandbox/cluster/auth/escalation.ts';
import type { PolicyRule } from '../../../sandbox/cluster/auth/rules.ts';

const rows: Array<{ name: string; owner: PolicyRule[]; wanted: PolicyRule[]; missing: PolicyRule[] }> = [
  { name: 'the same rule', owner: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }], wanted: [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }], missing: [] },
  { name: 'a verb more', owner: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], wanted: [{ verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods'] }], missing: [{ verbs: ['delete'], apiGroups: [''], resources: ['pods'] }] },
  { name: '* covers everything', owner: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], wanted: [{ verbs: ['escalate'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles/status'] }], missing: [] },
  { name: 'a literal * is covered only by *', owner: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }], wanted: [{ verbs: ['*'], apiGroups: [''], resources: ['pods'] }], missing: [{ verbs: ['*'], apiGroups: [''], resources: ['pods'] }] },
  { name: '*/scale covers deployments/scale', owner: [{ verbs: ['update'], apiGroups: ['apps'], resources: ['*/scale'] }], wanted: [{ verbs: ['update'], apiGroups: ['apps'], resources: ['deployments/scale'] }], missing: [] },
  { name: 'a named owner rule does not cover all names', owner: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }], wanted: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }], missing: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }] },
  { name: 'an unnamed owner rule covers a name', owner: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }], wanted: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a', 'b'] }], missing: [] },
  { name: 'URL prefixes', owner: [{ verbs: ['get'], nonResourceURLs: ['/apis/*'] }], wanted: [{ verbs: ['get'], nonResourceURLs: ['/apis/apps', '/metrics'] }], missing: [{ verbs: ['get'], nonResourceURLs: ['/metrics'] }] },
];

describe('escalation coverage', () => {
  for (const r of rows)
    test(r.name, () =>
      assert.deepEqual(
        uncovered(r.owner, r.wanted).map((x) => JSON.stringify(x, Object.keys(x).sort())),
        r.missing.map((x) => JSON.stringify(x, Object.keys(x).sort())),
      ),
    );
});

describe('CompactString', () => {
  test('fields in Go order, lists %q-quoted and space-separated', () => {
    assert.equal(compactString({ verbs: ['get', 'list'], apiGroups: [''], resources: ['secrets'], resourceNames: ['x'] }), '{APIGroups:[""], Resources:["secrets"], ResourceNames:["x"], Verbs:["get" "list"]}');
    assert.equal(compactString({ verbs: ['get'], nonResourceURLs: ['/metrics'] }), '{NonResourceURLs:["/metrics"], Verbs:["get"]}');
  });
});
