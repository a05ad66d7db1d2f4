// batch/v1 through the real kubectl against the whole embedded cluster: Jobs that complete, fail
// and run in parallel, CronJobs that fire (the CronJob controller's clock is moved to just before
// a minute boundary, so `* * * * *` fires within a second or two instead of up to a minute),
// `create job --from=cronjob`, cascading deletion, explain, and the apiserver's validation wording.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startClusterLab, tableRows, type Lab } from './harness.ts';
import { waitFor } from '../../support/wait.ts';

const FAILING = `apiVersion: batch/v1
kind: Job
metadata:
  name: broken
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: broken
        image: busybox:1.28
        command: ["sh", "-c", "exit 1"]
`;

const PARALLEL = `apiVersion: batch/v1
kind: Job
metadata:
  name: trio
spec:
  completions: 3
  parallelism: 3
  template:
    spec:
      restartPolicy: OnFailure
      containers:
      - name: trio
        image: busybox:1.28
        command: ["echo", "done"]
`;

const NO_RESTART_POLICY = `apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      containers:
      - name: pi
        image: busybox:1.28
`;

describe('Jobs and CronJobs through the real kubectl', () => {
  let lab: Lab;
  /** how far the CronJob controller's clock runs ahead of the real one */
  let skew = 0;

  before(async () => { lab = await startClusterLab({ cronJobClock: () => new Date(Date.now() + skew) }); });
  after(async () => { await lab?.close(); });

  test('create job, wait for complete, logs, get jobs and its pod', async () => {
    assert.equal((await lab.ok(['create', 'job', 'hello', '--image=busybox:1.28', '--', 'echo', 'hello'])).trim(), 'job.batch/hello created');
    assert.match(await lab.ok(['wait', '--for=condition=complete', 'job/hello', '--timeout=30s'], { timeoutMs: 40_000 }), /job.batch\/hello condition met/);
    assert.equal(await lab.ok(['logs', 'job/hello']), 'hello\n');
    const rows = tableRows(await lab.ok(['get', 'jobs']));
    assert.deepEqual(rows[0], ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    assert.deepEqual(rows[1]!.slice(0, 3), ['hello', 'Complete', '1/1']);
    assert.match(rows[1]![3]!, /^\d+s$/);
    const wide = tableRows(await lab.ok(['get', 'jobs', '-o', 'wide']));
    assert.deepEqual(wide[0], ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    const uid = await lab.ok(['get', 'job', 'hello', '-o', 'jsonpath={.metadata.uid}']);
    assert.deepEqual(wide[1]!.slice(5), ['hello', 'busybox:1.28', `batch.kubernetes.io/controller-uid=${uid}`]);
    const pods = tableRows(await lab.ok(['get', 'pods', '-l', 'job-name=hello']));
    assert.equal(pods.length, 2);
    assert.match(pods[1]![0]!, /^hello-[a-z0-9]{5}$/);
    assert.deepEqual(pods[1]!.slice(1, 3), ['0/1', 'Completed']);
    const job = JSON.parse(await lab.ok(['get', 'job', 'hello', '-o', 'json'])) as {
      metadata: { labels: Record<string, string> };
      spec: Record<string, unknown>;
      status: {
        conditions: Array<{ type: string; reason: string }>; succeeded: number; completionTime?: string; uncountedTerminatedPods: unknown;
      };
    };
    assert.deepEqual(job.status.conditions.map((c) => [c.type, c.reason]), [['SuccessCriteriaMet', 'CompletionsReached'], ['Complete', 'CompletionsReached']]);
    assert.equal(job.status.succeeded, 1);
    assert.ok(job.status.completionTime);
    assert.deepEqual(job.status.uncountedTerminatedPods, {});
    const js = job.spec;
    assert.deepEqual([js.backoffLimit, js.completions, js.parallelism, js.completionMode, js.suspend, js.podReplacementPolicy],
      [6, 1, 1, 'NonIndexed', false, 'TerminatingOrFailed']);
    assert.deepEqual(job.metadata.labels, {
      'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'hello', 'controller-uid': uid, 'job-name': 'hello',
    });
    type Meta = { finalizers?: string[]; ownerReferences: Array<{ kind: string; controller: boolean }> };
    const podMeta = await lab.ok(['get', 'pods', '-l', 'job-name=hello', '-o', 'jsonpath={.items[0].metadata}']);
    const pod = JSON.parse(podMeta) as Meta;
    assert.equal(pod.finalizers, undefined, 'the job-tracking finalizer is removed once the pod is counted');
    assert.deepEqual(pod.ownerReferences.map((r) => [r.kind, r.controller]), [['Job', true]]);
    const d = await lab.ok(['describe', 'job', 'hello']);
    assert.match(d, /Pods Statuses:\s+0 Active \(0 Ready\) \/ 1 Succeeded \/ 0 Failed/);
    assert.match(d, /Normal\s+SuccessfulCreate\s+\S+\s+job-controller\s+Created pod: hello-[a-z0-9]{5}/);
    assert.match(d, /Normal\s+Completed\s+\S+\s+job-controller\s+Job completed/);
  });

  test('a failing job with backoffLimit 1 retries once, then fails with BackoffLimitExceeded', async () => {
    await lab.ok(['create', '-f', lab.file('broken.yaml', FAILING)]);
    await lab.ok(['wait', '--for=condition=failed', 'job/broken', '--timeout=40s'], { timeoutMs: 50_000 });
    const rows = tableRows(await lab.ok(['get', 'job', 'broken']));
    assert.deepEqual(rows[1]!.slice(0, 3), ['broken', 'Failed', '0/1']);
    const conds = await lab.ok(['get', 'job', 'broken', '-o', 'jsonpath={range .status.conditions[*]}{.type}={.reason}{"\\n"}{end}']);
    assert.equal(conds, 'FailureTarget=BackoffLimitExceeded\nFailed=BackoffLimitExceeded\n');
    assert.equal(await lab.ok(['get', 'job', 'broken', '-o', 'jsonpath={.status.failed}']), '2');
    const pods = tableRows(await lab.ok(['get', 'pods', '-l', 'job-name=broken'])).slice(1);
    assert.deepEqual(pods.map((p) => p[2]), ['Error', 'Error']);
    assert.match(await lab.ok(['describe', 'job', 'broken']), /Warning\s+BackoffLimitExceeded\s+\S+\s+job-controller\s+Job has reached the specified backoff limit/);
  });

  test('completions 3 with parallelism 3 runs three pods', async () => {
    await lab.ok(['create', '-f', lab.file('trio.yaml', PARALLEL)]);
    await lab.ok(['wait', '--for=condition=complete', 'job/trio', '--timeout=40s'], { timeoutMs: 50_000 });
    assert.deepEqual(tableRows(await lab.ok(['get', 'job', 'trio']))[1]!.slice(0, 3), ['trio', 'Complete', '3/3']);
    assert.equal(tableRows(await lab.ok(['get', 'pods', '-l', 'job-name=trio'])).length, 4);
  });

  test('create cronjob, get cronjobs, and create job --from=cronjob', async () => {
    assert.equal((await lab.ok(['create', 'cronjob', 'nightly', '--image=busybox:1.28', '--schedule=0 3 * * *', '--', 'echo', 'night'])).trim(),
      'cronjob.batch/nightly created');
    const rows = tableRows(await lab.ok(['get', 'cj']));
    assert.deepEqual(rows[0], ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
    assert.deepEqual(rows[1]!.slice(0, 6), ['nightly', '0 3 * * *', '<none>', 'False', '0', '<none>']);
    const spec = JSON.parse(await lab.ok(['get', 'cronjob', 'nightly', '-o', 'jsonpath={.spec}'])) as Record<string, unknown>;
    assert.deepEqual([spec.concurrencyPolicy, spec.suspend, spec.successfulJobsHistoryLimit, spec.failedJobsHistoryLimit], ['Allow', false, 3, 1]);
    assert.equal((await lab.ok(['create', 'job', 'by-hand', '--from=cronjob/nightly'])).trim(), 'job.batch/by-hand created');
    assert.equal(await lab.ok(['get', 'job', 'by-hand', '-o', "jsonpath={.metadata.annotations['cronjob\\.kubernetes\\.io/instantiate']}"]), 'manual');
    await lab.ok(['wait', '--for=condition=complete', 'job/by-hand', '--timeout=30s'], { timeoutMs: 40_000 });
    assert.equal(await lab.ok(['logs', 'job/by-hand']), 'night\n');
    assert.match(await lab.ok(['describe', 'cronjob', 'nightly']), /Schedule:\s+0 3 \* \* \*\n[\s\S]*Concurrency Policy:\s+Allow/);
  });

  test('a * * * * * CronJob fires at the next minute and records its Job', async () => {
    // put the controller's clock 1.5 s before the next minute boundary
    const now = Date.now();
    skew = 60_000 - (now % 60_000) - 1500;
    if (skew < 0) skew += 60_000;
    await lab.ok(['create', 'cronjob', 'tick', '--image=busybox:1.28', '--schedule=* * * * *', '--', 'echo', 'tick']);
    const jobName = await waitFor(async () => {
      const names = (await lab.ok(['get', 'jobs', '-o', 'name'])).split('\n').filter((n) => n.startsWith('job.batch/tick-'));
      return names[0]?.slice('job.batch/'.length);
    }, { what: 'the CronJob to create a Job', timeout: 20_000 });
    const minutes = Number(jobName.slice('tick-'.length));
    assert.equal(minutes * 60_000 % 60_000, 0);
    const job = JSON.parse(await lab.ok(['get', 'job', jobName, '-o', 'json'])) as { metadata: { annotations: Record<string, string>; ownerReferences: Array<{ kind: string; name: string; controller: boolean }> } };
    assert.equal(job.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp'], new Date(minutes * 60_000).toISOString().replace('.000Z', 'Z'));
    assert.deepEqual(job.metadata.ownerReferences.map((r) => [r.kind, r.name, r.controller]), [['CronJob', 'tick', true]]);
    await lab.ok(['wait', '--for=condition=complete', `job/${jobName}`, '--timeout=30s'], { timeoutMs: 40_000 });
    // what the controller last wrote and what the Job says, for a timeout's message (it failed once, unexplained)
    let seen = '';
    await waitFor(async () => {
      const raw = await lab.ok(['get', 'cronjob', 'tick', '-o', 'jsonpath={.status}']);
      seen = `CronJob status ${raw}; Job status ${JSON.stringify(lab.store.get('jobs.batch', 'default', jobName)?.status)}`;
      const s = JSON.parse(raw) as { active?: unknown[]; lastScheduleTime?: string; lastSuccessfulTime?: string };
      return !s.active && s.lastScheduleTime === new Date(minutes * 60_000).toISOString().replace('.000Z', 'Z') && s.lastSuccessfulTime;
    }, { what: 'the CronJob status to show the finished run', show: () => seen });
    assert.match(await lab.ok(['describe', 'cronjob', 'tick']), /Normal\s+SuccessfulCreate\s+\S+\s+cronjob-controller\s+Created job tick-\d+/);
    await lab.ok(['patch', 'cronjob', 'tick', '-p', '{"spec":{"suspend":true}}']);
  });

  test('deleting a job deletes its pods', async () => {
    assert.equal(tableRows(await lab.ok(['get', 'pods', '-l', 'job-name=trio'])).length, 4);
    assert.equal((await lab.ok(['delete', 'job', 'trio'])).trim(), 'job.batch "trio" deleted');
    await waitFor(async () => (await lab.ok(['get', 'pods', '-l', 'job-name=trio', '-o', 'name'])).trim() === '', { what: 'the pods of trio gone', timeout: 30_000 });
  });

  test('kubectl explain reads the upstream batch/v1 document', async () => {
    const out = await lab.ok(['explain', 'job.spec.backoffLimit']);
    assert.match(out, /GROUP:\s+batch\nKIND:\s+Job\nVERSION:\s+v1/);
    assert.match(out, /Specifies the number of retries before marking this job failed\. Defaults to\s+6/);
  });

  test('validation errors are worded as the apiserver words them', async () => {
    const r = await lab.kubectl(['create', '-f', lab.file('pi.yaml', NO_RESTART_POLICY)]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'The Job "pi" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"');
    const bad = await lab.kubectl(['create', 'cronjob', 'bad', '--image=busybox:1.28', '--schedule=61 * * * *']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr.trim(), 'error: failed to create cronjob: CronJob.batch "bad" is invalid: spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61');
  });
});
