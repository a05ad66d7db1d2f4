// `coredns-lab check` and `solve`, and the same over the lab server's HTTP API, against one
// embedded sandbox: a step fails before its solve with the cluster's own values in the message,
// passes after, and bad input gets an error that names what exists.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lab, Sandbox, tempDir } from '../sandbox/sandbox-process.ts';
import { startLabServer, type LabServer } from '../../../sandbox/server/lab-server.ts';

interface StepResult { step: string; status: string; expected: string; actual: string; hint?: string; needs?: string; checks: unknown[] }

describe('check and solve on the embedded sandbox', () => {
  const stateDir = tempDir('check-solve');
  let sb: Sandbox & { kubeconfig: string };
  let server: LabServer;
  let serverDir: string;
  let running = true;

  /** what the lab server's JSON answers hold, as far as these tests read them */
  type Reply = {
    lessons: Array<{ id: string }>; status: string; hint: string; log: string[]; result: { status: string };
    error: { code: string; message: string };
  };
  const api = async <T = Reply>(method: 'GET' | 'POST', path: string): Promise<{ status: number; body: T }> => {
    const res = await fetch(`http://127.0.0.1:${server.port}${path}`, {
      method,
      headers: { Authorization: `Bearer ${server.token}`, Origin: `http://127.0.0.1:${server.port}` },
    });
    return { status: res.status, body: (await res.json()) as T };
  };

  before(async () => {
    sb = await Sandbox.up(stateDir);
    serverDir = mkdtempSync(join(tmpdir(), 'lessons-http-'));
    server = await startLabServer({
      host: '127.0.0.1', port: 0, stateDir: serverDir, idleTimeoutMs: 60_000, siteDist: null,
      cluster: async () => ({ provider: 'embedded', state: running ? 'running' : 'stopped', kubeconfig: sb.kubeconfig }),
    });
  });
  after(async () => {
    await server?.close();
    await sb?.stop('SIGKILL');
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(serverDir, { recursive: true, force: true });
  });

  test('check, at the Status Quo: only the steps that describe the starting state pass; every other step fails before its solve', async () => {
    const r = await lab(['check', '--json', '--state-dir', stateDir]);
    assert.equal(r.code, 1, r.stderr);
    const results = JSON.parse(r.stdout) as StepResult[];
    assert.equal(results.length, 12);
    const passing = results.filter((x) => x.status === 'pass').map((x) => x.step);
    assert.deepEqual(passing, ['prerequisites/cluster', 'status-quo/kube-dns-service']);
    for (const x of results.filter((y) => y.status !== 'pass')) {
      assert.equal(x.status, 'fail', JSON.stringify(x));
      assert.ok(x.expected && x.actual && x.hint, `${x.step} says what it expected, what it found and what to do: ${JSON.stringify(x)}`);
    }
    // a step that waits on an earlier lesson names that step, for the page to link to
    const needs = Object.fromEntries(results.filter((x) => x.needs).map((x) => [x.step, x.needs]));
    assert.equal(needs['status-quo/nslookup'], 'status-quo/busybox');
    assert.equal(needs['switch-to-coredns/endpoints'], 'deploy-coredns/create');
    const endpoints = results.find((x) => x.step === 'switch-to-coredns/endpoints')!;
    assert.match(endpoints.hint!, /Start the pods first \(step deploy-coredns\/create does this: `kubectl create -f templates\/coredns-/);
  });

  test('check: busybox is not there yet -> FAIL with expected, actual and a hint, exit 1', async () => {
    const r = await lab(['check', 'status-quo/busybox', '--state-dir', stateDir]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^FAIL\s+status-quo\/busybox\s+expected /m);
    assert.match(r.stdout, /actual: /);
    assert.match(r.stdout, /hint: .*templates\/busybox\.yaml/);
    assert.match(r.stdout, /0 of 1 step pass/);
    // a step that needs another step's pod points at that step, not at its own command
    const ns = await lab(['check', 'status-quo/nslookup', '--state-dir', stateDir]);
    assert.equal(ns.code, 1);
    assert.match(ns.stdout, /hint: +Create the pod default\/busybox first \(step status-quo\/busybox does this: `kubectl create -f templates\/busybox\.yaml`\)/);
    assert.doesNotMatch(ns.stdout, /The step's command/);
  });

  test('check --json: the step result as data', async () => {
    const r = await lab(['check', 'status-quo/kube-dns-service', '--json', '--state-dir', stateDir]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const [res] = JSON.parse(r.stdout) as StepResult[];
    assert.equal(res!.step, 'status-quo/kube-dns-service');
    assert.equal(res!.status, 'pass');
    assert.ok(res!.checks.length >= 1);
  });

  test('solve status-quo/busybox creates the pod and the step passes', async () => {
    const r = await lab(['solve', 'status-quo/busybox', '--state-dir', stateDir], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /solve: .*busybox\.yaml/);
    assert.match(r.stdout, /^solved: the sandbox is in the state after status-quo\/busybox/m);
    const again = await lab(['check', 'status-quo/busybox', '--state-dir', stateDir]);
    assert.equal(again.code, 0, again.stdout);
    assert.match(again.stdout, /^PASS\s+status-quo\/busybox/m);
    // solving again is a no-op that still ends in the same state
    const twice = await lab(['solve', 'status-quo/busybox', '--state-dir', stateDir], { timeoutMs: 120_000 });
    assert.equal(twice.code, 0, twice.stdout + twice.stderr);
  });

  test('bad input: an unknown lesson or step names the ones that exist (exit 2); no sandbox says how to start one', async () => {
    const lesson = await lab(['check', 'no-such-lesson', '--state-dir', stateDir]);
    assert.equal(lesson.code, 2);
    assert.match(lesson.stderr, /no lesson "no-such-lesson"; lessons are prerequisites, status-quo, deploy-coredns, switch-to-coredns, delete-kube-dns/);
    const step = await lab(['solve', 'status-quo/nope', '--state-dir', stateDir]);
    assert.equal(step.code, 2);
    assert.match(step.stderr, /no step "nope" in lesson status-quo; its steps are kube-dns-service, busybox, nslookup, resolv-conf/);
    const none = await lab(['check', '--state-dir', join(stateDir, 'missing')]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no sandbox in .*missing.*sandbox up/);
    const usage = await lab(['solve', '--state-dir', stateDir]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /say which lesson or step/);
  });

  test('HTTP: the chapter, a failing check with real values, a solve, then a pass', async () => {
    const chapter = await api('GET', '/api/lessons');
    assert.equal(chapter.status, 200);
    assert.deepEqual(chapter.body.lessons.map((l: { id: string }) => l.id), ['prerequisites', 'status-quo', 'deploy-coredns', 'switch-to-coredns', 'delete-kube-dns']);

    const before = await api('POST', '/api/checks/deploy-coredns/create');
    assert.equal(before.status, 200);
    assert.equal(before.body.status, 'fail');
    assert.match(before.body.hint, /coredns-kops\.yaml/);

    const solved = await api('POST', '/api/solve/deploy-coredns/create');
    assert.equal(solved.status, 200, JSON.stringify(solved.body));
    assert.ok(solved.body.log.some((l: string) => /coredns-kops\.yaml/.test(l)), solved.body.log.join('\n'));
    assert.equal(solved.body.result.status, 'pass');

    const lesson = await api<StepResult[]>('POST', '/api/checks/status-quo');
    assert.equal(lesson.status, 200);
    assert.deepEqual(lesson.body.map((r) => r.step), ['status-quo/kube-dns-service', 'status-quo/busybox', 'status-quo/nslookup', 'status-quo/resolv-conf']);
  });

  test('HTTP: two solves at once: the second is refused with 409 LAB_ERR_BUSY, the first completes', async () => {
    const [a, b] = await Promise.all([api('POST', '/api/solve/deploy-coredns/running'), api('POST', '/api/solve/deploy-coredns/running')]);
    const statuses = [a.status, b.status].sort();
    assert.deepEqual(statuses, [200, 409], JSON.stringify([a.body, b.body]));
    const busy = a.status === 409 ? a : b;
    assert.equal(busy.body.error.code, 'LAB_ERR_BUSY');
  });

  test('HTTP errors: unknown step 404, cluster not running 503, both with codes', async () => {
    const missing = await api('POST', '/api/checks/status-quo/nope');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'LAB_ERR_NOT_FOUND');
    assert.match(missing.body.error.message, /its steps are kube-dns-service/);
    running = false;
    try {
      const down = await api('POST', '/api/checks/status-quo/busybox');
      assert.equal(down.status, 503);
      assert.equal(down.body.error.code, 'LAB_ERR_CLUSTER_NOT_READY');
      assert.match(down.body.error.message, /embedded cluster is stopped/);
    } finally {
      running = true;
    }
  });

  test('solve to the end of the chapter, then every step passes (exit 0)', async () => {
    const r = await lab(['solve', 'delete-kube-dns', '--state-dir', stateDir], { timeoutMs: 180_000 });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^solved: the sandbox is in the state after delete-kube-dns\/delete/m);
    const all = await lab(['check', '--state-dir', stateDir]);
    assert.equal(all.code, 0, all.stdout);
    assert.match(all.stdout, /^12 of 12 steps pass$/m);
  });
});
