// The check runner and the solver against one embedded sandbox, with the real kubectl: each
// check kind passes on a right state and fails (with the cluster's own values) on a wrong one,
// an unreachable API is status error with a hint, and the chapter walks from the Status Quo to
// the end: every step with a kubectl solve fails before it and every step passes after.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkAddress, checkStep, loadChapter, LESSONS_DIR, solveTo, SolveError, type Chapter, type CheckSpec, type Lesson, type SolveAction, type Step, type StepResult } from '../../../sandbox/checks/index.ts';
import { Kubectl, Sandbox, tempDir } from '../sandbox/sandbox-process.ts';
import { Cluster } from '../../../sandbox/checks/cluster.ts';
import { writePlan } from './plan.ts';

function stepOf(id: string, checks: CheckSpec[], solve: SolveAction[] = [], commands: string[] = []): { lesson: Lesson; step: Step } {
  const step: Step = { id, title: id, body: '', commands, checks, solve };
  return { lesson: { id: 'kinds', title: 'kinds', summary: '', intro: '', steps: [step] }, step };
}

const show = (r: StepResult) => JSON.stringify(r, null, 2);

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe('checks and solve on one embedded sandbox', () => {
  const stateDir = tempDir('checks');
  const scratch = tempDir('checks-scratch');
  let sb: Sandbox & { kubeconfig: string };
  let k: Kubectl;
  let ctx: { kubeconfig: string; lessonsDir: string };
  let lessonsDir: string;
  let chapter: Chapter;

  const jsonpath = async (args: string[]) => (await k.ok([...args, '-o', 'jsonpath={.items[*].status.podIP}'])).trim().split(/\s+/).filter(Boolean);
  const clusterIP = async (ns: string, name: string) => (await k.ok(['get', 'svc', name, '-n', ns, '-o', 'jsonpath={.spec.clusterIP}'])).trim();

  before(async () => {
    sb = await Sandbox.up(stateDir, ['--dns-port', '0']);
    k = new Kubectl(sb.kubeconfig);
    // the lesson content when it is there; otherwise this test's copy of its step plan
    if (existsSync(join(LESSONS_DIR, 'index.yaml'))) {
      lessonsDir = LESSONS_DIR;
    } else {
      lessonsDir = join(scratch, 'lessons');
      mkdirSync(lessonsDir);
      writePlan(lessonsDir, join(LESSONS_DIR, 'templates'));
    }
    chapter = loadChapter(lessonsDir);
    ctx = { kubeconfig: sb.kubeconfig, lessonsDir };
  });
  after(async () => {
    await sb?.stop('SIGKILL');
    k?.cleanup();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  test("the test's own step plan loads as a chapter with the lesson content's ids (the walk's fallback when lessons/ is absent)", () => {
    const dir = join(scratch, 'plan');
    mkdirSync(dir);
    writePlan(dir, join(LESSONS_DIR, 'templates'));
    const plan = loadChapter(dir);
    const ids = (c: Chapter) => c.lessons.flatMap((l) => l.steps.map((s) => `${l.id}/${s.id}`));
    assert.equal(ids(plan).length, 12);
    assert.ok(existsSync(join(dir, 'templates', 'busybox.yaml')));
    if (lessonsDir === LESSONS_DIR) assert.deepEqual(ids(plan), ids(chapter));
  });

  test('an API that does not answer is status error with a hint to start the sandbox, for every kind of check', async () => {
    const kubeconfig = join(scratch, 'dead-kubeconfig');
    writeFileSync(kubeconfig, readFileSync(sb.kubeconfig, 'utf8').replace(/server: https:\/\/127\.0\.0\.1:\d+/, `server: https://127.0.0.1:${await closedPort()}`));
    const { lesson, step } = stepOf('dead', [
      { kind: 'nodes-ready' },
      { kind: 'exists', objects: [{ kind: 'deployment', namespace: 'kube-system', name: 'kube-dns' }] },
      { kind: 'nslookup', pod: { name: 'busybox' }, query: 'kubernetes.default', server: { namespace: 'kube-system', name: 'kube-dns' }, answer: { name: 'kubernetes' } },
      { kind: 'logs-contain', namespace: 'kube-system', podSelector: 'k8s-app=kube-dns', pattern: 'x', describe: 'x' },
    ], [], ['kubectl get nodes']);
    const r = await checkStep({ kubeconfig }, lesson, step);
    assert.equal(r.status, 'error', show(r));
    assert.equal(r.checks.length, 4);
    for (const c of r.checks) {
      assert.equal(c.status, 'error', JSON.stringify(c));
      assert.match(c.hint ?? '', /Is the sandbox running\? Start it with `npm run lab -- sandbox up`/);
      assert.match(c.actual, /127\.0\.0\.1:\d+/);
    }
    const missing = await checkStep({ kubeconfig: join(scratch, 'no-such-kubeconfig') }, lesson, step);
    assert.equal(missing.status, 'error');
    assert.match(missing.actual, /no kubeconfig at .*no-such-kubeconfig/);
  });

  test('exists and absent resolve a kind as the real kubectl does: kubectl get <kind> <name> and the API lookup agree', async () => {
    const cluster = Cluster.for(sb.kubeconfig);
    const rows: Array<[kind: string, namespace: string, name: string]> = [
      ['deployment', 'kube-system', 'kube-dns'],
      ['deploy', 'kube-system', 'kube-dns'],
      ['Deployment', 'kube-system', 'kube-dns'],
      ['deployments.apps', 'kube-system', 'kube-dns'],
      ['deployment', 'default', 'kube-dns'],
      ['svc', 'default', 'kubernetes'],
      ['services', 'kube-system', 'kubernetes'],
      ['cm', 'kube-system', 'kube-dns'],
      ['serviceaccount', 'kube-system', 'kube-dns'],
      ['sa', 'kube-system', 'coredns'],
      ['clusterrole', 'default', 'system:kube-dns'],
      ['clusterroles.rbac.authorization.k8s.io', 'kube-system', 'system:kube-dns'],
      ['clusterrolebinding', 'default', 'system:coredns'],
      ['node', 'default', 'no-such-node'],
      ['no-such-kind', 'default', 'x'],
    ];
    for (const [kind, namespace, name] of rows) {
      const r = await k.run(['get', kind, name, '-n', namespace, '-o', 'name']);
      const viaKubectl = r.code === 0 ? 'found' : /\(NotFound\)/.test(r.stderr) ? 'missing' : r.stderr.trim();
      const got = await cluster.objectExists(kind, namespace, name);
      const viaApi = 'error' in got ? got.error : got.found ? 'found' : 'missing';
      assert.equal(viaApi, viaKubectl, `${kind} ${namespace}/${name}`);
    }
  });

  test('Status Quo: service, endpoints-match-pods, pods-ready, deployment-available, exists, absent, nodes-ready, logs-contain pass and fail with live values', async () => {
    const dnsIP = await clusterIP('kube-system', 'kube-dns');
    const kubeDnsPods = await jsonpath(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns']);
    assert.equal(kubeDnsPods.length, 2);
    const nodes = (await k.ok(['get', 'nodes', '-o', 'name'])).trim().split('\n').length;
    const one = async (spec: CheckSpec, commands: string[] = []) => {
      const { lesson, step } = stepOf('one', [spec], [], commands);
      return checkStep(ctx, lesson, step);
    };
    const passes = async (spec: CheckSpec, actual?: RegExp) => {
      const r = await one(spec);
      assert.equal(r.status, 'pass', show(r));
      if (actual) assert.match(r.actual, actual);
    };
    const fails = async (spec: CheckSpec, m: { expected?: RegExp; actual?: RegExp; hint?: RegExp; otherStep?: boolean }) => {
      const r = await one(spec, ['kubectl do-the-step']);
      assert.equal(r.status, 'fail', show(r));
      assert.ok(r.expected && r.actual && r.hint, show(r));
      if (m.expected) assert.match(r.expected, m.expected);
      if (m.actual) assert.match(r.actual, m.actual);
      if (m.hint) assert.match(r.hint!, m.hint);
      // the runner names the step's own command, unless what is missing is another step's to make
      if (m.otherStep) assert.doesNotMatch(r.hint!, /The step's command/);
      else assert.match(r.hint!, /The step's command: `kubectl do-the-step`/);
    };
    const ips = kubeDnsPods.map((ip) => ip.replaceAll('.', '\\.'));

    await passes({ kind: 'nodes-ready', min: nodes }, new RegExp(`^${nodes} nodes Ready of ${nodes}`));
    await fails({ kind: 'nodes-ready', min: nodes + 1 }, { actual: new RegExp(`${nodes} nodes Ready of ${nodes}`) });

    await passes({ kind: 'service', namespace: 'kube-system', name: 'kube-dns', selector: 'k8s-app=kube-dns', endpoints: true }, new RegExp(`ClusterIP ${dnsIP}.*endpoints .*${ips[0]}`));
    await fails({ kind: 'service', namespace: 'kube-system', name: 'kube-dns', selector: 'k8s-app=coredns' }, { expected: /selects k8s-app=coredns/, actual: new RegExp(`ClusterIP ${dnsIP}\\) selects k8s-app=kube-dns`) });
    await fails({ kind: 'service', namespace: 'kube-system', name: 'no-such-svc' }, { actual: /there is no Service kube-system\/no-such-svc/ });

    await passes({ kind: 'endpoints-match-pods', namespace: 'kube-system', service: 'kube-dns', podSelector: 'k8s-app=kube-dns' });
    // a selector that picks other pods: expected names their live IPs, actual the kube-dns pods'
    const autoscaler = await jsonpath(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns-autoscaler']);
    await fails(
      { kind: 'endpoints-match-pods', namespace: 'kube-system', service: 'kube-dns', podSelector: 'k8s-app=kube-dns-autoscaler' },
      { expected: new RegExp(`kube-dns endpoints ${autoscaler[0]!.replaceAll('.', '\\.')} \\(the k8s-app=kube-dns-autoscaler pod kube-dns-autoscaler-`), actual: new RegExp(`kube-dns endpoints (${ips[0]}|${ips[1]}), (${ips[0]}|${ips[1]}) \\(pods kube-dns-`), hint: /selects k8s-app=kube-dns: point its selector at k8s-app=kube-dns-autoscaler/ },
    );

    await passes({ kind: 'pods-ready', namespace: 'kube-system', selector: 'k8s-app=kube-dns', min: 2 }, /2 of 2 pods ready/);
    await fails({ kind: 'pods-ready', namespace: 'kube-system', selector: 'k8s-app=kube-dns', min: 3 }, { actual: /2 of 2 pods ready: kube-dns-\S+ \(Running, 3\/3 ready\)/ });
    await fails({ kind: 'pods-ready', namespace: 'default', name: 'busybox' }, { actual: /there is no pod default\/busybox/, hint: /Create the pod/ });

    await passes({ kind: 'deployment-available', namespace: 'kube-system', name: 'kube-dns' }, /2 available, 2 updated of 2 desired/);
    await fails({ kind: 'deployment-available', namespace: 'kube-system', name: 'coredns' }, { actual: /there is no Deployment kube-system\/coredns/, hint: /Create the Deployment first \(an earlier step of the chapter does this\)/, otherStep: true });

    await passes({ kind: 'exists', objects: [{ kind: 'deployment', namespace: 'kube-system', name: 'kube-dns' }, { kind: 'svc', namespace: 'default', name: 'kubernetes' }] }, /all 2 exist/);
    await fails(
      { kind: 'exists', objects: [{ kind: 'deployment', namespace: 'kube-system', name: 'kube-dns' }, { kind: 'clusterrole', name: 'system:coredns' }] },
      { actual: /^missing: clusterrole system:coredns \(present: deployment kube-system\/kube-dns\)$/ },
    );
    await passes({ kind: 'absent', object: { kind: 'deployment', namespace: 'kube-system', name: 'coredns' } }, /is gone/);
    await fails({ kind: 'absent', object: { kind: 'deployment', namespace: 'kube-system', name: 'kube-dns' } }, { actual: /still exists/, hint: /kubectl delete deployment kube-dns -n kube-system/ });
    // a kind the API does not have is an error (the check cannot run), not a fail
    const bad = await one({ kind: 'exists', objects: [{ kind: 'no-such-kind', name: 'x' }] });
    assert.equal(bad.status, 'error', show(bad));
    assert.match(bad.actual, /no-such-kind/);

    await passes({ kind: 'logs-contain', namespace: 'kube-system', podSelector: 'k8s-app=kube-dns', pattern: 'version: \\S+', describe: 'the version line' }, /^kube-dns-\S+: ".*version: /);
    await fails(
      { kind: 'logs-contain', namespace: 'kube-system', podSelector: 'k8s-app=kube-dns', pattern: 'no such line ever', describe: 'a line that never comes' },
      { expected: /show a line that never comes/, actual: /^no matching line; the last lines are kube-dns-\S+: "/, hint: /kubectl logs -n kube-system -l k8s-app=kube-dns/ },
    );
    await fails({ kind: 'logs-contain', namespace: 'kube-system', podSelector: 'k8s-app=coredns', pattern: 'x', describe: 'x' }, { actual: /no pod in kube-system has k8s-app=coredns/ });

    // the pod for exec checks is not there yet: fail (the learner's state), not error
    const ns = await one({ kind: 'nslookup', pod: { namespace: 'default', name: 'busybox' }, query: 'kubernetes.default', server: { namespace: 'kube-system', name: 'kube-dns' }, answer: { namespace: 'default', name: 'kubernetes' } }, ['kubectl exec -ti busybox -- nslookup kubernetes.default']);
    assert.equal(ns.status, 'fail', show(ns));
    assert.match(ns.expected, new RegExp(`Server ${dnsIP.replaceAll('.', '\\.')}`));
    assert.match(ns.actual, /there is no pod default\/busybox/);
    assert.match(ns.hint!, /Create the pod default\/busybox/);
  });

  test('solveTo: kubectl errors and wait timeouts are SolveError with the step, the action and kubectl\'s own text', async () => {
    const ch = (solve: SolveAction[]): Chapter => ({ title: 't', lessons: [{ id: 'l', title: 'l', summary: '', intro: '', steps: [{ id: 's', title: 's', body: '', commands: [], checks: [{ kind: 'nodes-ready' }], solve }] }] });
    await assert.rejects(solveTo(ctx, ch([{ kubectl: 'create -f templates/no-such.yaml' }]), 'l/s'), (err: unknown) => {
      assert.ok(err instanceof SolveError);
      assert.equal(err.code, 'LAB_ERR_SOLVE');
      assert.equal(err.step, 'l/s');
      assert.equal(err.action, 'kubectl create -f templates/no-such.yaml');
      assert.match(err.message, /^l\/s: kubectl create -f templates\/no-such\.yaml failed: error: the path "templates\/no-such\.yaml" does not exist/);
      return true;
    });
    // NotFound is only done when the action says so
    await assert.rejects(solveTo(ctx, ch([{ kubectl: 'delete deployment no-such -n kube-system' }]), 'l'), /Error from server \(NotFound\): deployments\.apps "no-such" not found/);
    const lines: string[] = [];
    await solveTo(ctx, ch([{ kubectl: 'delete deployment no-such -n kube-system', ignore: ['NotFound'] }]), 'l', (l) => lines.push(l));
    assert.deepEqual(lines, ['l/s: kubectl delete deployment no-such -n kube-system ... done (NotFound, counted as done)']);
    await assert.rejects(solveTo(ctx, ch([{ waitFor: { kind: 'pods-ready', namespace: 'default', name: 'no-such-pod' }, timeoutSeconds: 1 }]), 'l/s'), (err: unknown) => {
      assert.ok(err instanceof SolveError);
      assert.match(err.message, /^l\/s: wait for pods default\/no-such-pod ready failed: still fail after 1 s: expected pod default\/no-such-pod Running and Ready; actual there is no pod default\/no-such-pod\. Create the pod/);
      return true;
    });
  });

  test('solveTo and checkStep stop when the signal aborts: the wait ends early, the check says it was cancelled', async () => {
    const ch: Chapter = { title: 't', lessons: [{ id: 'l', title: 'l', summary: '', intro: '', steps: [{ id: 's', title: 's', body: '', commands: [], checks: [{ kind: 'nodes-ready' }], solve: [{ waitFor: { kind: 'pods-ready', namespace: 'default', name: 'never' } }] }] }] };
    const ac = new AbortController();
    // the abort comes while the wait polls (or, on a slow machine, before it starts); a wait that
    // ignored it would end in its own timeout with a SolveError, not an AbortError
    setTimeout(() => ac.abort(), 700);
    await assert.rejects(solveTo({ ...ctx, signal: ac.signal }, ch, 'l/s'), { name: 'AbortError' });
    const r = await checkStep({ ...ctx, signal: ac.signal }, ch.lessons[0]!, ch.lessons[0]!.steps[0]!);
    assert.equal(r.status, 'error');
    assert.match(r.actual, /cancelled/);
  });

  test('chapter walk: each step with a kubectl solve fails before solveTo, every step passes after, the whole chapter passes at the end', async () => {
    const progress: string[] = [];
    for (const lesson of chapter.lessons) {
      for (const step of lesson.steps) {
        const address = `${lesson.id}/${step.id}`;
        const pre = await checkStep(ctx, lesson, step);
        assert.equal(pre.step, address);
        assert.equal(pre.checks.length, step.checks.length);
        assert.notEqual(pre.status, 'error', `${address} before its solve:\n${show(pre)}`);
        if (step.solve.some((a) => 'kubectl' in a)) {
          assert.equal(pre.status, 'fail', `${address} must fail before its solve:\n${show(pre)}`);
          assert.ok(pre.expected && pre.actual && pre.hint, show(pre));
        }
        if (address === 'switch-to-coredns/apply-service') {
          // the brief's example: expected names the CoreDNS pod's live IP, actual the kube-dns pods'
          const coredns = await jsonpath(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=coredns']);
          const kubeDns = await jsonpath(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns']);
          const m = pre.checks.find((c) => /endpoints/.test(c.expected) && c.status === 'fail');
          assert.ok(m, show(pre));
          assert.match(m.expected, new RegExp(`kube-dns endpoints ${coredns[0]!.replaceAll('.', '\\.')} \\(the k8s-app=coredns pod coredns-`));
          for (const ip of kubeDns) assert.ok(m.actual.includes(ip), `${m.actual} names ${ip}`);
        }
        await solveTo(ctx, chapter, address, (line) => progress.push(line));
        const post = await checkStep(ctx, lesson, step);
        assert.equal(post.status, 'pass', `${address} after its solve:\n${show(post)}\nsolve said:\n${progress.join('\n')}`);
        assert.ok(post.checks.every((c) => c.status === 'pass'));
      }
    }
    assert.ok(progress.some((l) => /^status-quo\/busybox: kubectl create -f templates\/busybox\.yaml \.\.\. done$/.test(l)), progress.join('\n'));
    // later solves rerun the earlier steps' actions: idempotent, and the second create is counted as done
    assert.ok(progress.some((l) => l === 'status-quo/busybox: kubectl create -f templates/busybox.yaml ... done (AlreadyExists, counted as done)'), progress.join('\n'));
    const all = await checkAddress(ctx, chapter);
    assert.deepEqual(all.map((r) => r.step), chapter.lessons.flatMap((l) => l.steps.map((s) => `${l.id}/${s.id}`)));
    for (const r of all) assert.equal(r.status, 'pass', show(r));
    const one = await checkAddress(ctx, chapter, chapter.lessons[1]!.id);
    assert.equal(one.length, chapter.lessons[1]!.steps.length);
  });

  test('after the walk: nslookup and resolv-conf pass with the live ClusterIPs and fail on a wrong state', async () => {
    const dnsIP = await clusterIP('kube-system', 'kube-dns');
    const apiIP = await clusterIP('default', 'kubernetes');
    const dnsIPre = dnsIP.replaceAll('.', '\\.');
    const run = async (spec: CheckSpec) => {
      const { lesson, step } = stepOf('one', [spec]);
      return checkStep(ctx, lesson, step);
    };
    const base = { kind: 'nslookup', pod: { namespace: 'default', name: 'busybox' }, query: 'kubernetes.default', server: { namespace: 'kube-system', name: 'kube-dns' }, answer: { namespace: 'default', name: 'kubernetes' } } as const;
    const ok = await run(base);
    assert.equal(ok.status, 'pass', show(ok));
    assert.equal(ok.actual, `Server ${dnsIP} (kube-dns.kube-system.svc.cluster.local), answer ${apiIP} (kubernetes.default.svc.cluster.local)`);
    // asked to find the kube-dns Service's IP under kubernetes.default: the answer is the live API IP
    const wrongAnswer = await run({ ...base, answer: { namespace: 'kube-system', name: 'kube-dns' } });
    assert.equal(wrongAnswer.status, 'fail', show(wrongAnswer));
    assert.match(wrongAnswer.expected, new RegExp(`with ${dnsIPre} \\(kube-system/kube-dns\\)`));
    assert.match(wrongAnswer.actual, new RegExp(`answer ${apiIP.replaceAll('.', '\\.')}`));
    assert.match(wrongAnswer.hint!, /endpoints 100\.|endpoints \d/);
    const noName = await run({ ...base, query: 'no-such-service.default' });
    assert.equal(noName.status, 'fail', show(noName));
    assert.match(noName.actual, /no answer: nslookup: can't resolve 'no-such-service.default'/);

    const rc: Extract<CheckSpec, { kind: 'resolv-conf' }> = { kind: 'resolv-conf', pod: { namespace: 'default', name: 'busybox' }, server: { namespace: 'kube-system', name: 'kube-dns' }, search: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'] };
    const rcOk = await run(rc);
    assert.equal(rcOk.status, 'pass', show(rcOk));
    assert.match(rcOk.actual, new RegExp(`^nameserver ${dnsIPre}; search default\\.svc\\.cluster\\.local svc\\.cluster\\.local cluster\\.local`));
    const rcWrong = await run({ ...rc, search: ['kube-system.svc.cluster.local'] });
    assert.equal(rcWrong.status, 'fail', show(rcWrong));
    assert.match(rcWrong.expected, /searches kube-system\.svc\.cluster\.local first/);
    assert.match(rcWrong.actual, /search default\.svc\.cluster\.local/);
    const rcServer = await run({ ...rc, server: { namespace: 'default', name: 'kubernetes' } });
    assert.equal(rcServer.status, 'fail', show(rcServer));
    assert.match(rcServer.expected, new RegExp(`names nameserver ${apiIP.replaceAll('.', '\\.')}`));
    assert.match(rcServer.actual, new RegExp(`^nameserver ${dnsIPre};`));

    // exec that fails for a reason other than DNS (no such command in the pod's runtime) is an error
    const exec = await run({ ...base, pod: { namespace: 'kube-system', name: (await k.ok(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns-autoscaler', '-o', 'jsonpath={.items[0].metadata.name}'])).trim() } });
    assert.equal(exec.status, 'error', show(exec));
    assert.match(exec.actual, /kubectl exec could not run nslookup/);
  });

  test('the checks\' exec through the API reports what kubectl exec reports: output, exit code and the runtime\'s error', async () => {
    const cluster = Cluster.for(sb.kubeconfig);
    const pod = (await cluster.readPod('default', 'busybox'))!;
    assert.ok(pod, 'the walk left the busybox pod');
    const cases = [['cat', '/etc/resolv.conf'], ['sh', '-c', 'echo out; exit 3'], ['no-such-command']];
    for (const command of cases) {
      const mine = await cluster.exec(pod, command, 30_000);
      const theirs = await k.run(['exec', 'busybox', '--', ...command]);
      assert.equal(mine.code, theirs.code, command.join(' '));
      assert.equal(mine.stdout, theirs.stdout, command.join(' '));
      // kubectl's error lines carry the exec's random id; everything else matches
      const noId = (t: string) => t.replace(/exec "[0-9a-f]{64}"/g, 'exec "<id>"');
      assert.equal(noId(mine.stderr), noId(theirs.stderr), command.join(' '));
    }
    const slow = await cluster.exec(pod, ['sleep', '5'], 500);
    assert.equal(slow.code, 1);
    assert.match(slow.stderr, /the command did not finish in 0.5 s/);
    // a cancelled check stops its exec at once
    const t0 = Date.now();
    await assert.rejects(cluster.exec(pod, ['sleep', '5'], 30_000, AbortSignal.timeout(300)), { name: 'AbortError' });
    assert.ok(Date.now() - t0 < 3000, `cancelled after ${Date.now() - t0} ms`);
  });
});
