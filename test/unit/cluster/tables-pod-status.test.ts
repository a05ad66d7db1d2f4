// Pod READY / STATUS / RESTARTS as the real printer derives them from container states.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTable } from '../../../sandbox/cluster/tables/index.ts';
import type { KubeObject } from '../../../sandbox/cluster/contracts.ts';

const now = new Date('2026-01-01T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString();

const running = { running: { startedAt: ago(60) } };
const c = (name: string, extra: Record<string, unknown> = {}) => ({ name, ready: false, restartCount: 0, ...extra });

function pod(spec: Record<string, unknown>, status: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', creationTimestamp: ago(600), ...metadata },
    spec: { containers: [{ name: 'app' }], ...spec },
    status,
  };
}

interface Case { name: string; pod: KubeObject; ready: string; status: string; restarts: string; completed?: 'Succeeded' | 'Failed' }

const cases: Case[] = [
  { name: 'Pending, not scheduled yet', pod: pod({}, { phase: 'Pending' }), ready: '0/1', status: 'Pending', restarts: '0' },
  {
    name: 'ContainerCreating while the image is pulled',
    pod: pod({}, { phase: 'Pending', containerStatuses: [c('app', { state: { waiting: { reason: 'ContainerCreating' } } })] }),
    ready: '0/1', status: 'ContainerCreating', restarts: '0',
  },
  {
    name: 'Running and ready',
    pod: pod({}, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [c('app', { ready: true, state: running })] }),
    ready: '1/1', status: 'Running', restarts: '0',
  },
  {
    name: 'Running but not ready (readiness probe failing)',
    pod: pod({}, { phase: 'Running', containerStatuses: [c('app', { ready: false, state: running })] }),
    ready: '0/1', status: 'Running', restarts: '0',
  },
  {
    name: 'CrashLoopBackOff with restarts and when the last one was',
    pod: pod({}, {
      phase: 'Running',
      containerStatuses: [c('app', { restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(150) } } })],
    }),
    ready: '0/1', status: 'CrashLoopBackOff', restarts: '5 (2m30s ago)',
  },
  {
    name: 'Completed (exit 0) is Succeeded and carries the Completed row condition',
    pod: pod({}, { phase: 'Succeeded', containerStatuses: [c('app', { state: { terminated: { exitCode: 0, reason: 'Completed' } } })] }),
    ready: '0/1', status: 'Completed', restarts: '0', completed: 'Succeeded',
  },
  {
    name: 'Error (exit 1) is Failed',
    pod: pod({}, { phase: 'Failed', containerStatuses: [c('app', { state: { terminated: { exitCode: 1, reason: 'Error' } } })] }),
    ready: '0/1', status: 'Error', restarts: '0', completed: 'Failed',
  },
  {
    name: 'terminated without a reason shows the signal',
    pod: pod({}, { phase: 'Failed', containerStatuses: [c('app', { state: { terminated: { exitCode: 137, signal: 9 } } })] }),
    ready: '0/1', status: 'Signal:9', restarts: '0', completed: 'Failed',
  },
  {
    name: 'terminated without a reason or signal shows the exit code',
    pod: pod({}, { phase: 'Failed', containerStatuses: [c('app', { state: { terminated: { exitCode: 2 } } })] }),
    ready: '0/1', status: 'ExitCode:2', restarts: '0', completed: 'Failed',
  },
  {
    name: 'one container Completed while another still runs: Running when the pod is Ready',
    pod: pod({ containers: [{ name: 'a' }, { name: 'b' }] }, {
      phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [c('a', { ready: true, state: running }), c('b', { state: { terminated: { exitCode: 0, reason: 'Completed' } } })],
    }),
    ready: '1/2', status: 'Running', restarts: '0',
  },
  {
    name: 'one container Completed while another runs, pod not Ready: NotReady',
    pod: pod({ containers: [{ name: 'a' }, { name: 'b' }] }, {
      phase: 'Running',
      containerStatuses: [c('a', { ready: true, state: running }), c('b', { state: { terminated: { exitCode: 0, reason: 'Completed' } } })],
    }),
    ready: '1/2', status: 'NotReady', restarts: '0',
  },
  {
    name: 'Terminating once deletionTimestamp is set',
    pod: pod({}, { phase: 'Running', containerStatuses: [c('app', { ready: true, state: running })] }, { deletionTimestamp: ago(1) }),
    ready: '1/1', status: 'Terminating', restarts: '0',
  },
  {
    name: 'a finished pod being deleted keeps its terminal status',
    pod: pod({}, { phase: 'Succeeded', containerStatuses: [c('app', { state: { terminated: { exitCode: 0, reason: 'Completed' } } })] }, { deletionTimestamp: ago(1) }),
    ready: '0/1', status: 'Completed', restarts: '0', completed: 'Succeeded',
  },
  {
    name: 'Unknown for a pod deleted on a lost node',
    pod: pod({}, { phase: 'Running', reason: 'NodeLost' }, { deletionTimestamp: ago(1) }),
    ready: '0/1', status: 'Unknown', restarts: '0',
  },
  {
    name: 'Init:0/2 while the first init container runs',
    pod: pod({ initContainers: [{ name: 'i1' }, { name: 'i2' }] }, {
      phase: 'Pending',
      initContainerStatuses: [c('i1', { state: running }), c('i2', { state: { waiting: { reason: 'PodInitializing' } } })],
      containerStatuses: [c('app', { state: { waiting: { reason: 'PodInitializing' } } })],
    }),
    ready: '0/1', status: 'Init:0/2', restarts: '0',
  },
  {
    name: 'Init:1/2 after the first init container succeeded',
    pod: pod({ initContainers: [{ name: 'i1' }, { name: 'i2' }] }, {
      phase: 'Pending',
      initContainerStatuses: [c('i1', { state: { terminated: { exitCode: 0, reason: 'Completed' } } }), c('i2', { state: running })],
    }),
    ready: '0/1', status: 'Init:1/2', restarts: '0',
  },
  {
    name: 'Init:Error, init restarts counted while initializing',
    pod: pod({ initContainers: [{ name: 'i1' }] }, {
      phase: 'Pending',
      initContainerStatuses: [c('i1', { restartCount: 2, state: { terminated: { exitCode: 1, reason: 'Error' } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(30) } } })],
    }),
    ready: '0/1', status: 'Init:Error', restarts: '2 (30s ago)',
  },
  {
    name: 'Init:CrashLoopBackOff',
    pod: pod({ initContainers: [{ name: 'i1' }] }, {
      phase: 'Pending', initContainerStatuses: [c('i1', { state: { waiting: { reason: 'CrashLoopBackOff' } } })],
    }),
    ready: '0/1', status: 'Init:CrashLoopBackOff', restarts: '0',
  },
  {
    name: 'Init:ExitCode when the failing init container gives no reason',
    pod: pod({ initContainers: [{ name: 'i1' }] }, { phase: 'Pending', initContainerStatuses: [c('i1', { state: { terminated: { exitCode: 3 } } })] }),
    ready: '0/1', status: 'Init:ExitCode:3', restarts: '0',
  },
  {
    name: 'a started sidecar (restartPolicy Always) counts in READY and its restarts count after init',
    pod: pod({ initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] }, {
      phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
      initContainerStatuses: [c('proxy', { started: true, ready: true, restartCount: 1, state: running, lastState: { terminated: { exitCode: 1, finishedAt: ago(3600) } } })],
      containerStatuses: [c('app', { ready: true, state: running })],
    }),
    ready: '2/2', status: 'Running', restarts: '1 (60m ago)',
  },
  {
    name: 'SchedulingGated',
    pod: pod({}, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }),
    ready: '0/1', status: 'SchedulingGated', restarts: '0',
  },
  {
    name: 'status.reason overrides the phase (Evicted)',
    pod: pod({}, { phase: 'Failed', reason: 'Evicted' }),
    ready: '0/1', status: 'Evicted', restarts: '0', completed: 'Failed',
  },
  {
    name: 'restarts without a recorded finish time print only the count',
    pod: pod({}, { phase: 'Running', containerStatuses: [c('app', { ready: true, restartCount: 3, state: running })] }),
    ready: '1/1', status: 'Running', restarts: '3',
  },
  {
    name: 'the first container decides STATUS when several are waiting',
    pod: pod({ containers: [{ name: 'a' }, { name: 'b' }] }, {
      phase: 'Pending',
      containerStatuses: [c('a', { state: { waiting: { reason: 'ImagePullBackOff' } } }), c('b', { state: { waiting: { reason: 'ContainerCreating' } } })],
    }),
    ready: '0/2', status: 'ImagePullBackOff', restarts: '0',
  },
];

describe('pod READY, STATUS, RESTARTS', () => {
  for (const k of cases) {
    test(k.name, () => {
      const row = buildTable('pods', [k.pod], { now, includeObject: 'None' }).rows[0]!;
      assert.deepEqual(row.cells.slice(1, 4), [k.ready, k.status, k.restarts]);
      if (k.completed) assert.equal(row.conditions?.[0]?.reason, k.completed);
      else assert.equal(row.conditions, undefined);
    });
  }
});

describe('pod wide cells', () => {
  test('readiness gates count the true conditions', () => {
    const p = pod({ readinessGates: [{ conditionType: 'lb/ready' }, { conditionType: 'x/ok' }] }, {
      phase: 'Running', conditions: [{ type: 'lb/ready', status: 'True' }, { type: 'x/ok', status: 'False' }], nominatedNodeName: 'n2',
    });
    const cells = buildTable('pods', [p], { now, includeObject: 'None' }).rows[0]!.cells;
    assert.deepEqual(cells.slice(5), ['<none>', '<none>', 'n2', '1/2']);
  });

  test('podIP is read when podIPs has not been filled in', () => {
    const p = pod({ nodeName: 'n1' }, { phase: 'Running', podIP: '100.96.0.9' });
    assert.deepEqual(buildTable('pods', [p], { now, includeObject: 'None' }).rows[0]!.cells.slice(5, 7), ['100.96.0.9', 'n1']);
  });
});
