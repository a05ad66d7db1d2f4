// The whole chapter through the kind or minikube provider, driven by the fake tools over an
// embedded cluster playing a fresh kind or minikube cluster: `sandbox up --provider X` runs its
// real commands and preparation, the learner's commands use the provider's templates
// (lessons/README.md), and `coredns-lab check` passes every step. Shared by kind.test.ts and
// minikube.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { FakeTools, CLI_PATH } from './fake-cluster-tools.ts';
import { Kubectl, ROOT, run, Sandbox, tempDir } from '../sandbox/sandbox-process.ts';
import { waitFor } from '../../support/wait.ts';

export interface ProviderCase {
  provider: 'kind' | 'minikube';
  context: string;
  /** the fake calls `up` makes on a machine without the lab's cluster, the state dir as <state> */
  upCommands: string[];
  downCommands: string[];
}

export function chapterThroughProvider(c: ProviderCase): void {
  describe(`the chapter through the ${c.provider} provider (fake ${c.provider}, emulated cluster)`, () => {
    const clusterDir = tempDir(`${c.provider}-cluster`);
    const labDir = tempDir(`${c.provider}-lab`);
    const fakes = new FakeTools();
    let cluster: Sandbox & { kubeconfig: string };
    let lab: Sandbox & { kubeconfig: string };
    let k: Kubectl;
    const saved = { ...process.env };
    const norm = (cmds: string[]) => cmds.map((l) => l.replaceAll(labDir, '<state>').replaceAll(ROOT.replace(/\/$/, ''), '<root>'));
    let lastCheck = '';
    const check = async (address: string) => {
      const r = await run(process.execPath, [CLI_PATH, 'check', address, '--state-dir', labDir], { timeoutMs: 60_000 });
      lastCheck = r.stdout + r.stderr;
      return r.code === 0 ? r.stdout : false;
    };
    const passes = (address: string) => {
      return waitFor(() => check(address), { what: `coredns-lab check ${address} passes`, timeout: 45_000, interval: 500, show: () => lastCheck });
    };

    before(async () => {
      cluster = await Sandbox.up(clusterDir, ['--profile', c.provider, '--dns-port', '0'], 90_000);
      // the lab's `sandbox up` and everything it runs meet the fakes first on PATH
      Object.assign(process.env, fakes.env(cluster.kubeconfig, { FAKE_SLOW: '1' }));
      lab = await Sandbox.up(labDir, ['--provider', c.provider], 300_000);
      k = new Kubectl(lab.kubeconfig, join(ROOT, 'lessons'));
    });
    after(async () => {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      await lab?.stop('SIGKILL');
      await cluster?.stop('SIGKILL');
      k?.cleanup();
      fakes.cleanup();
      rmSync(clusterDir, { recursive: true, force: true });
      rmSync(labDir, { recursive: true, force: true });
    });

    test(`sandbox up --provider ${c.provider}: the commands ${c.provider}'s docs give, progress shown, context ${c.context}`, async () => {
      assert.deepEqual(norm(fakes.commands()), c.upCommands);
      assert.match(lab.stderr, new RegExp(`sandbox: creating the ${c.provider} cluster "coredns-lab" \\(about \\d+ s\\)`));
      assert.match(lab.stderr, /sandbox: writing the chapter's kube-dns Service at 10\.96\.0\.10/);
      assert.match(lab.stderr, new RegExp(`\\(${c.provider}, context ${c.context}\\)`));
      assert.equal(lab.kubeconfig, join(labDir, 'kubeconfig'));
      assert.equal((await k.ok(['config', 'current-context'])).trim(), c.context);
      const status = await run(process.execPath, [CLI_PATH, 'sandbox', 'status', '--state-dir', labDir]);
      assert.match(status.stdout, new RegExp(`provider:\\s+${c.provider}`));
    });

    // one `check <lesson>` checks each of its steps; run once the lesson's commands are done
    test('every step of the chapter, with the provider\'s templates, passes coredns-lab check', async () => {
      await passes('prerequisites');
      await k.ok(['create', '-f', 'templates/busybox.yaml']);
      await passes('status-quo');
      assert.match(await k.ok(['create', '-f', `templates/coredns-${c.provider}.yaml`]), /deployment\.apps\/coredns created/);
      await passes('deploy-coredns');
      assert.equal((await k.ok(['apply', '-f', `templates/coredns-service-${c.provider}.yaml`])).trim(), 'service/kube-dns configured');
      await passes('switch-to-coredns/endpoints');
      // the lesson's last step reads CoreDNS's log of the learner's lookup
      await waitFor(async () => (await k.run(['exec', 'busybox', '--', 'nslookup', 'kubernetes.default'], 60_000)).code === 0 && check('switch-to-coredns'), {
        what: 'coredns-lab check switch-to-coredns passes after an nslookup from busybox',
        timeout: 60_000,
        interval: 500,
        show: () => lastCheck,
      });
      await k.ok(['delete', 'deployment', 'kube-dns', '-n', 'kube-system']);
      await passes('delete-kube-dns');
    });

    test(`sandbox down: the owner stops and the ${c.provider} cluster is deleted`, async () => {
      const before = fakes.commands().length;
      const r = await run(process.execPath, [CLI_PATH, 'sandbox', 'down', '--state-dir', labDir], { timeoutMs: 120_000 });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`sandbox down: the ${c.provider} cluster "coredns-lab" is deleted`));
      assert.deepEqual(norm(fakes.commands().slice(before)), c.downCommands);
    });
  });
}
