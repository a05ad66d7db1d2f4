// cluster-proportional-autoscaler's linear mode (linear_controller.go):
// replicas = max(ceil(cores / coresPerReplica), ceil(nodes / nodesPerReplica)), each within
// [min, max]; preventSinglePointFailure gives 2 on more than one schedulable node.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { clusterStatus, linearReplicas, type LinearParams } from '../../../sandbox/cluster/controllers/dns-autoscaler.ts';
import {
  AutoscalerParamsError, defaultParamsData, expectedReplicas, ladderReplicas, parseLadder, parseScalingParams,
} from '../../../sandbox/cluster/controllers/autoscaler-params.ts';

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

// ladder mode (ladder_controller.go; README "Ladder Mode"): the step at or below the count, the
// larger of cores' and nodes'; an omitted list gives 0 (1.8.5 and later)
const DOCS_LADDER = `{
  "coresToReplicas": [[ 1, 1 ], [ 64, 3 ], [ 512, 5 ], [ 1024, 7 ], [ 2048, 10 ], [ 4096, 15 ]],
  "nodesToReplicas": [[ 1, 1 ], [ 2, 2 ]]
}`;

describe('ladderReplicas', () => {
  const rows: Array<[string, string, number, number, number]> = [
    ['the README\'s example: 100 nodes, 400 cores (64 < 400 < 512)', DOCS_LADDER, 100, 400, 3],
    ['the chapter\'s 8 nodes, 16 cores: the nodes\' step 2 wins', DOCS_LADDER, 8, 16, 2],
    ['one node, one core', DOCS_LADDER, 1, 1, 1],
    ['exactly on a step', DOCS_LADDER, 1, 512, 5],
    ['past the last step', DOCS_LADDER, 1, 10_000, 15],
    ['below the first step takes the first step', '{"coresToReplicas": [[4, 2]]}', 0, 1, 2],
    ['steps given out of order are sorted', '{"nodesToReplicas": [[6, 1], [0, 0]]}', 7, 16, 1],
    ['the README\'s scale-to-zero ladder below six nodes', '{"nodesToReplicas": [[0, 0], [6, 1]]}', 5, 16, 0],
    ['nothing given: 0', '{}', 8, 16, 0],
  ];
  for (const [name, json, nodes, cores, want] of rows) {
    test(`${name} -> ${want}`, () => assert.equal(ladderReplicas(parseLadder(json), nodes, cores), want));
  }
});

describe('parseScalingParams: the ConfigMap as EnsureController and the parsers read it', () => {
  const status = { totalNodes: 8, schedulableNodes: 7, totalCores: 16, schedulableCores: 14 };
  const ok: Array<[string, Record<string, string>, number]> = [
    ['linear, min defaults to 1', { linear: '{"coresPerReplica":256,"nodesPerReplica":16}' }, 1],
    ['linear counts schedulable nodes', { linear: '{"nodesPerReplica":2}' }, 4],
    ['linear includeUnschedulableNodes counts every node', { linear: '{"nodesPerReplica":2,"includeUnschedulableNodes":true}' }, 4],
    ['ladder counts schedulable cores', { ladder: '{"coresToReplicas":[[14,3],[16,4]]}' }, 3],
    ['ladder includeUnschedulableNodes counts every core', { ladder: '{"coresToReplicas":[[14,3],[16,4]],"includeUnschedulableNodes":true}' }, 4],
  ];
  for (const [name, data, want] of ok) test(`${name} -> ${want}`, () => assert.equal(expectedReplicas(parseScalingParams(data), status), want));

  const errors: Array<[string, Record<string, string> | undefined, RegExp]> = [
    ['two modes', { linear: '{"nodesPerReplica":1}', ladder: '{}' }, /^Error ensuring controller: invalid configMap format, expected only one entry, got: map\[ladder:\{\} linear:/],
    ['no data', undefined, /expected only one entry, got: map\[\]$/],
    ['an unknown mode', { exponential: '{}' }, /^Error ensuring controller: not a supported control mode: exponential$/],
    ['linear without a per-replica parameter', { linear: '{"min":1}' }, /error parsing linear params: should at least provide either CoresPerReplica or NodesPerReplica/],
    ['linear max below min', { linear: '{"nodesPerReplica":1,"min":3,"max":2}' }, /max replicas count 2 should be greater than \/ equal to min replicas count 3$/],
    ['linear that is not JSON', { linear: '{nodesPerReplica: 1}' }, /error parsing linear params: could not parse parameters \(/],
    ['ladder with a negative step', { ladder: '{"nodesToReplicas":[[1,-1]]}' }, /invalid negative values in entry \[1 -1\] in nodes_to_replicas_map$/],
    ['ladder with a fraction', { ladder: '{"coresToReplicas":[[1.5,1]]}' }, /cannot unmarshal number 1\.5 into Go struct field ladderParams\.coresToReplicas of type int/],
  ];
  for (const [name, data, message] of errors) {
    test(`${name}: refused, the replicas stay as they are`, () => {
      assert.throws(() => parseScalingParams(data), (err: unknown) => err instanceof AutoscalerParamsError && err.code === 'LAB_ERR_AUTOSCALER_PARAMS' && message.test(err.message));
    });
  }
});

describe('clusterStatus and --default-params', () => {
  const node = (cpu: string, unschedulable = false) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec: { unschedulable }, status: { allocatable: { cpu }, capacity: { cpu: '64' } } });
  test('allocatable CPUs, summed and rounded up; cordoned nodes are not schedulable', () => {
    assert.deepEqual(clusterStatus([node('2'), node('1500m'), node('4', true)]), { totalNodes: 3, schedulableNodes: 2, totalCores: 8, schedulableCores: 4 });
  });
  test('--default-params becomes ConfigMap data, each mode\'s JSON compact with sorted keys', () => {
    assert.deepEqual(defaultParamsData('{"linear":{"nodesPerReplica":16,"coresPerReplica":256,"preventSinglePointFailure":true}}'),
      { linear: '{"coresPerReplica":256,"nodesPerReplica":16,"preventSinglePointFailure":true}' });
    assert.equal(defaultParamsData('not json'), undefined);
  });
});
