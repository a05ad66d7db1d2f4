import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nextNewReplicas, resolveIntOrPercent, shrinkOld, surgeAndUnavailable } from '../../../sandbox/cluster/controllers/rollout-math.ts';

describe('rolling update arithmetic', () => {
  const percents: Array<[string, number | string | undefined, number, boolean, number]> = [
    ['25% of 4 rounds up for surge', '25%', 4, true, 1],
    ['10% of 2 rounds up for surge (kube-dns)', '10%', 2, true, 1],
    ['25% of 3 rounds down for unavailable', '25%', 3, false, 0],
    ['a plain number stays', 2, 10, false, 2],
    ['the default is 25%', undefined, 8, false, 2],
  ];
  for (const [name, value, total, up, want] of percents)
    test(name, () => assert.equal(resolveIntOrPercent(value, total, up, '25%'), want));

  test('surge and unavailable both zero becomes one unavailable', () => {
    assert.deepEqual(surgeAndUnavailable(2, 0, 0), { surge: 0, unavailable: 1 });
    assert.deepEqual(surgeAndUnavailable(2, '10%', 0), { surge: 1, unavailable: 0 });
  });

  test('the new ReplicaSet grows only within desired + surge', () => {
    const newRs = { name: 'new', replicas: 0, available: 0 };
    assert.equal(nextNewReplicas(2, 1, newRs, [newRs, { name: 'old', replicas: 2, available: 2 }]), 1);
    assert.equal(nextNewReplicas(2, 1, { ...newRs, replicas: 1 }, [{ ...newRs, replicas: 1 }, { name: 'old', replicas: 2, available: 2 }]), 1);
    assert.equal(nextNewReplicas(3, 3, newRs, [newRs]), 3);
  });

  test('old ReplicaSets shrink only as far as availability allows', () => {
    // maxUnavailable 0: the new pod is not available yet, nothing old may go
    assert.deepEqual([...shrinkOld(2, 0, { name: 'new', replicas: 1, available: 0 }, [{ name: 'old', replicas: 2, available: 2 }])], []);
    // the new pod became available: one old pod may go
    assert.deepEqual([...shrinkOld(2, 0, { name: 'new', replicas: 1, available: 1 }, [{ name: 'old', replicas: 2, available: 2 }])], [['old', 1]]);
    // an unavailable old pod goes first, at no cost to availability
    assert.deepEqual([...shrinkOld(2, 0, { name: 'new', replicas: 1, available: 1 }, [{ name: 'old', replicas: 2, available: 1 }])], [['old', 1]]);
    // ...but not while the new ReplicaSet's own pods are still unavailable
    assert.deepEqual([...shrinkOld(2, 0, { name: 'new', replicas: 1, available: 0 }, [{ name: 'old', replicas: 2, available: 1 }])], []);
  });
});
