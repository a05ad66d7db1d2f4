// cluster-proportional-autoscaler's linear mode (linear_controller.go):
// replicas = max(ceil(cores / coresPerReplica), ceil(nodes / nodesPerReplica)), each within
// [min, max]; preventSinglePointFailure gives 2 on more than one schedulable node.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { linearReplicas, type LinearParams } from '../../../sandbox/cluster/controllers/dns-autoscaler.ts';

describe('linearReplicas', () => {
  const rows: Array<[string, LinearParams, number, number, number]> = [
    ['the chapter: 8 nodes, 16 cores', { coresPerReplica: 256, nodesPerReplica: 16, preventSinglePointFailure: true }, 8, 16, 2],
    ['the same without preventSinglePointFailure', { coresPerReplica: 256, nodesPerReplica: 16 }, 8, 16, 1],
    ['one node never gets the second replica', { coresPerReplica: 256, nodesPerReplica: 16, preventSinglePointFailure: true }, 1, 2, 1],
    ['cores decide: 1 node of 4 cores, coresPerReplica 2', { coresPerReplica: 2, nodesPerReplica: 1, min: 1, max: 100 }, 1, 4, 2],
    ['cores decide, within max: 100 nodes, 400 cores', { coresPerReplica: 2, nodesPerReplica: 1, min: 1, max: 100 }, 100, 400, 100],
    ['min wins', { coresPerReplica: 256, nodesPerReplica: 16, min: 3 }, 8, 16, 3],
    ['max caps', { nodesPerReplica: 2, max: 3 }, 8, 16, 3],
    ['no per-replica parameter at all', {}, 8, 16, 1],
  ];
  for (const [name, p, nodes, cores, want] of rows) test(`${name} -> ${want}`, () => assert.equal(linearReplicas(p, nodes, cores), want));
});
