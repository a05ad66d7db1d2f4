// The kind or minikube provider's life through the command line, with the fake tools over an
// embedded cluster playing that tool's fresh cluster. reuseRestoreDown: a cluster named for the
// lab that is there already is reused (no create) and prepared once (a second `up` keeps the
// learner's progress), `down --restore` puts kubeadm's CoreDNS objects and Service back exactly,
// and `down` deletes the cluster. resetFromMidChapter: `sandbox reset` returns to the chapter's
// start. Two files per tool (<tool>-reuse, <tool>-reset), each within the runner's 3 minutes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_PATH, FakeTools } from './fake-cluster-tools.ts';
import { dnsObjects, type Obj } from './dns-objects.ts';
import { Kubectl, ROOT, run, Sandbox, tempDir } from '../sandbox/sandbox-process.ts';

export interface LifecycleCase {
  provider: 'kind' | 'minikube';
  /** the fake calls of an `up` that finds the lab's cluster there, the state dir as <state> */
  reuseCommands: string[];
  downCommands: string[];
}

/** the emulated cluster, the fakes on PATH, kubectl on the cluster, and the lab's `sandbox` command */
function lifecycleSetup(c: Pick<LifecycleCase, 'provider'>, clusterExists: boolean) {
  const clusterDir = tempDir(`${c.provider}-life-cluster`);
  const labDir = tempDir(`${c.provider}-life-lab`);
  const fakes = new FakeTools();
  const saved = { ...process.env };
  const ctx = {
    labDir,
    fakes,
    cluster: undefined as unknown as Sandbox & { kubeconfig: string },
    k: undefined as unknown as Kubectl,
    original: [] as Obj[],
    norm: (cmds: string[]) => cmds.map((l) => l.replaceAll(labDir, '<state>').replaceAll(ROOT.replace(/\/$/, ''), '<root>')),
    cli: (args: string[]) => run(process.execPath, [CLI_PATH, ...args, '--state-dir', labDir], { timeoutMs: 150_000 }),
    deployments: async () => (await ctx.k.ok(['get', 'deploy', '-n', 'kube-system', '-o', 'name'])).trim().split('\n').sort(),
  };
  before(async () => {
    ctx.cluster = await Sandbox.up(clusterDir, ['--profile', c.provider], 90_000);
    ctx.k = new Kubectl(ctx.cluster.kubeconfig, join(ROOT, 'lessons'));
    ctx.original = await dnsObjects(ctx.k);
    // `sandbox up` and what it runs meet the fakes first on PATH
    Object.assign(process.env, fakes.env(ctx.cluster.kubeconfig));
    if (clusterExists) writeFileSync(join(fakes.state, `${c.provider}-coredns-lab`), '');
  });
  after(async () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    await ctx.cluster?.stop();
    ctx.k?.cleanup();
    fakes.cleanup();
    rmSync(clusterDir, { recursive: true, force: true });
    rmSync(labDir, { recursive: true, force: true });
  });
  return ctx;
}

const CHAPTER_START = ['deployment.apps/dns-controller', 'deployment.apps/kube-dns', 'deployment.apps/kube-dns-autoscaler'];

export function reuseRestoreDown(c: LifecycleCase): void {
  describe(`--provider ${c.provider}: a lab cluster that exists is reused; down --restore, then down (fake ${c.provider}, emulated cluster)`, () => {
    const x = lifecycleSetup(c, true);

    test(`the ${c.provider} cluster "coredns-lab" that exists is reused, not created, and prepared only once`, async () => {
      const first = await Sandbox.up(x.labDir, ['--provider', c.provider], 150_000);
      assert.equal(await first.stop(), 0, first.stderr);
      assert.deepEqual(x.norm(x.fakes.commands()), c.reuseCommands);
      assert.match(first.stderr, new RegExp(`sandbox: reusing the ${c.provider} cluster "coredns-lab"`));
      assert.match(first.stderr, /writing the chapter's kube-dns Service at 10\.96\.0\.10/);
      assert.deepEqual(await x.deployments(), CHAPTER_START);
      // the learner gets on with the chapter, stops, and comes back
      await x.k.ok(['create', '-f', `templates/coredns-${c.provider}.yaml`]);
      const second = await Sandbox.up(x.labDir, ['--provider', c.provider], 150_000);
      assert.equal(await second.stop(), 0, second.stderr);
      assert.match(second.stderr, /the cluster is prepared for the chapter already: keeping where you got to/);
      assert.doesNotMatch(second.stderr, /writing the chapter's kube-dns Service/);
      assert.deepEqual(x.fakes.commands().filter((l) => / create cluster|start -p coredns-lab --driver/.test(l)), []);
      assert.deepEqual(await x.deployments(), ['deployment.apps/coredns', ...CHAPTER_START]);
    });

    test('sandbox down --restore: kubeadm\'s CoreDNS Deployment, ConfigMap, RBAC and Service back as they were; the cluster kept', async () => {
      const before = x.fakes.commands().length;
      const r = await x.cli(['sandbox', 'down', '--restore']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`sandbox down: the ${c.provider} cluster "coredns-lab" has its original DNS objects back`));
      assert.deepEqual(await dnsObjects(x.k), x.original);
      assert.deepEqual(await x.deployments(), ['deployment.apps/coredns']);
      assert.deepEqual(x.fakes.commands().slice(before), []);
      assert.ok(existsSync(join(x.fakes.state, `${c.provider}-coredns-lab`)));
    });

    test(`sandbox down: the ${c.provider} cluster is deleted with the documented command`, async () => {
      const before = x.fakes.commands().length;
      const r = await x.cli(['sandbox', 'down']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), `sandbox down: the ${c.provider} cluster "coredns-lab" is deleted`);
      assert.deepEqual(x.norm(x.fakes.commands().slice(before)), c.downCommands);
      assert.equal(existsSync(join(x.fakes.state, `${c.provider}-coredns-lab`)), false);
      assert.equal(existsSync(join(x.labDir, 'provider.json')), false);
    });
  });
}

export function resetFromMidChapter(c: Pick<LifecycleCase, 'provider'>): void {
  describe(`--provider ${c.provider}: sandbox reset from mid-chapter (fake ${c.provider}, emulated cluster)`, () => {
    const x = lifecycleSetup(c, false);

    test('sandbox reset: back at the chapter\'s starting state, which check confirms', async () => {
      const lab = await Sandbox.up(x.labDir, ['--provider', c.provider], 150_000);
      assert.equal(await lab.stop(), 0, lab.stderr);
      await x.k.ok(['create', '-f', 'templates/busybox.yaml']);
      await x.k.ok(['create', '-f', `templates/coredns-${c.provider}.yaml`]);
      await x.k.ok(['apply', '-f', `templates/coredns-service-${c.provider}.yaml`]);
      const r = await x.cli(['sandbox', 'reset']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), `sandbox reset: the ${c.provider} cluster is back at the chapter's starting state`);
      assert.deepEqual(await x.deployments(), CHAPTER_START);
      assert.equal((await x.k.run(['get', 'cm', 'coredns', '-n', 'kube-system'])).code, 1);
      const svc = '{.spec.clusterIP} {.spec.selector.k8s-app} {.metadata.labels.kubernetes\\.io/name}';
      assert.equal(await x.k.ok(['get', 'svc', 'kube-dns', '-n', 'kube-system', '-o', `jsonpath=${svc}`]), '10.96.0.10 kube-dns KubeDNS');
      // deleted without waiting, as reset does: going (its grace period runs) or gone
      const busybox = await x.k.run(['get', 'pod', 'busybox', '-o', 'jsonpath={.metadata.deletionTimestamp}']);
      assert.ok(busybox.code === 1 || busybox.stdout.trim() !== '', busybox.stdout + busybox.stderr);
      const check = await x.cli(['check', 'status-quo/kube-dns-service']);
      assert.equal(check.code, 0, check.stdout + check.stderr);
      assert.equal((await x.cli(['check', 'deploy-coredns/create'])).code, 1);
      // the chapter's Service apply says "configured" again
      assert.equal((await x.k.ok(['apply', '-f', `templates/coredns-service-${c.provider}.yaml`])).trim(), 'service/kube-dns configured');
    });
  });
}
