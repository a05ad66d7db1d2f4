// The existing provider against the embedded cluster playing a fresh kind cluster, through the
// learner's own kubeconfig (two contexts on it: a throwaway-looking "kind-lab" and a
// production-looking "prod-eu"): the guard refuses before anything changes, `up` prepares the
// chapter's starting state, and from the command line `sandbox reset` brings back a lost stand-in,
// `down` leaves the cluster alone and `down --restore` puts kube-system's original DNS objects back
// exactly.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Kubectl, ROOT, run, Sandbox, tempDir } from '../sandbox/sandbox-process.ts';
import { existingProvider } from '../../../sandbox/providers/existing/index.ts';
import { readProviderRecord } from '../../../sandbox/providers/record.ts';
import { DNS_BACKUP } from '../../../sandbox/providers/kubeadm/backup.ts';
import { dnsObjects, type Obj } from './dns-objects.ts';

const CLI = join(ROOT, 'bin', 'coredns-lab.js');

describe('--provider existing on an emulated kind cluster', () => {
  const clusterDir = tempDir('existing-cluster');
  const labDir = tempDir('existing-lab');
  const configHome = tempDir('existing-config');
  const userKubeconfig = join(configHome, 'kubeconfig');
  const saved = { KUBECONFIG: process.env.KUBECONFIG, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
  let sb: Sandbox & { kubeconfig: string };
  let k: Kubectl;
  let original: Obj[];

  before(async () => {
    sb = await Sandbox.up(clusterDir, ['--profile', 'kind']);
    // the learner's kubeconfig: the cluster under a kind-style name (current) and under a production-looking one
    copyFileSync(sb.kubeconfig, userKubeconfig);
    k = new Kubectl(userKubeconfig);
    await k.ok(['config', 'rename-context', 'coredns-lab', 'kind-lab']);
    const cfg = JSON.parse(await k.ok(['config', 'view', '-o', 'json'])) as { contexts: { context: { cluster: string; user: string } }[] };
    const { cluster, user } = cfg.contexts[0]!.context;
    await k.ok(['config', 'set-context', 'prod-eu', `--cluster=${cluster}`, `--user=${user}`]);
    await k.ok(['config', 'use-context', 'kind-lab']);
    // the provider reads the learner's kubeconfig and allow-list the way kubectl and the lab would
    process.env.KUBECONFIG = userKubeconfig;
    process.env.XDG_CONFIG_HOME = configHome;
    original = await dnsObjects(k);
  });
  after(async () => {
    for (const [key, v] of Object.entries(saved)) if (v === undefined) delete process.env[key];
    else process.env[key] = v;
    await sb?.stop();
    k?.cleanup();
    for (const d of [clusterDir, labDir, configHome]) rmSync(d, { recursive: true, force: true });
  });

  test('the guard refuses a production-looking context even with the flag, and a throwaway one without it, before changing anything', async () => {
    assert.deepEqual(original.map((o) => `${o.kind}/${o.metadata.name}`), [
      'ClusterRole/system:coredns', 'ClusterRoleBinding/system:coredns', 'ConfigMap/coredns', 'Deployment/coredns', 'Service/kube-dns', 'ServiceAccount/coredns',
    ]);
    await assert.rejects(existingProvider.up({ stateDir: labDir, context: 'prod-eu', changesKubeSystem: true }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'LAB_ERR_CONTEXT_REFUSED');
      assert.match(e.message, /refusing context "prod-eu"/);
      assert.ok(e.message.includes(join(configHome, 'coredns-lab', 'allowed-contexts')), e.message);
      return true;
    });
    await assert.rejects(existingProvider.up({ stateDir: labDir }), (e: Error & { code?: string }) => e.code === 'LAB_ERR_CONSENT_MISSING' && /"kind-lab"/.test(e.message));
    // the same through the command line: exit 1, the refusal in the lab's own words
    const env = { KUBECONFIG: userKubeconfig, XDG_CONFIG_HOME: configHome };
    const cli = await run(process.execPath, [CLI, 'sandbox', 'up', '--provider', 'existing', '--state-dir', labDir, '--context', 'prod-eu', '--i-understand-this-changes-kube-system'], { env });
    assert.equal(cli.code, 1, cli.stderr);
    assert.match(cli.stderr, /^coredns-lab sandbox up: refusing context "prod-eu": it does not look like a throwaway cluster/m);
    assert.deepEqual(await dnsObjects(k), original);
    assert.equal(existsSync(join(labDir, 'kubeconfig')), false);
  });

  test('up prepares the chapter\'s starting state on the current context; down keeps it; down --restore puts the originals back', async () => {
    const lines: string[] = [];
    const handle = await existingProvider.up({ stateDir: labDir, changesKubeSystem: true, onProgress: (l) => lines.push(l) });
    assert.equal(handle.provider, 'existing');
    assert.equal(handle.context, 'kind-lab');
    assert.equal(handle.kubeconfig, join(labDir, 'kubeconfig'));
    assert.equal(statSync(handle.kubeconfig).mode & 0o777, 0o600);
    assert.deepEqual(readProviderRecord(labDir), { provider: 'existing', context: 'kind-lab', dnsIP: '10.96.0.10' });
    const status = await handle.status();
    assert.equal(status.state, 'running');
    assert.match(status.apiServer ?? '', /^https:\/\/127\.0\.0\.1:\d+$/);
    const lab = new Kubectl(handle.kubeconfig);
    try {
      const deploys = (await lab.ok(['get', 'deploy', '-n', 'kube-system', '-o', 'name'])).trim().split('\n').sort();
      assert.deepEqual(deploys, ['deployment.apps/dns-controller', 'deployment.apps/kube-dns', 'deployment.apps/kube-dns-autoscaler'], lines.join('\n'));
      assert.equal(await lab.ok(['get', 'svc', 'kube-dns', '-n', 'kube-system', '-o', 'jsonpath={.spec.clusterIP}']), '10.96.0.10');
    } finally {
      lab.cleanup();
    }
    await handle.stop();
    // the offline reset (nobody owns the state dir): a lost stand-in comes back
    await k.ok(['delete', 'deploy', 'dns-controller', '-n', 'kube-system']);
    // from here on through the command line, as the learner does it
    const sandbox = (args: string[]) =>
      run(process.execPath, [CLI, 'sandbox', ...args, '--state-dir', labDir], { env: { KUBECONFIG: userKubeconfig, XDG_CONFIG_HOME: configHome }, timeoutMs: 150_000 });
    const reset = await sandbox(['reset']);
    assert.equal(reset.code, 0, reset.stderr);
    assert.equal(reset.stdout.trim(), "sandbox reset: the existing cluster is back at the chapter's starting state");
    assert.equal((await k.run(['get', 'deploy', 'dns-controller', '-n', 'kube-system'])).code, 0);
    // the cluster is the learner's: a plain down changes nothing
    const said = await sandbox(['down']);
    assert.equal(said.code, 0, said.stderr);
    assert.match(said.stdout, /not the lab's to delete.*--restore/);
    assert.equal((await k.run(['get', 'deploy', 'coredns', '-n', 'kube-system'])).code, 1);
    assert.ok(existsSync(join(labDir, DNS_BACKUP)));

    const restored = await sandbox(['down', '--restore']);
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, /^sandbox down: .*context "kind-lab" has its original DNS objects back \(6 objects/m);
    assert.deepEqual(await dnsObjects(k), original);
    const left = (await k.ok(['get', 'deploy', '-n', 'kube-system', '-o', 'name'])).trim().split('\n');
    assert.deepEqual(left, ['deployment.apps/coredns']);
    assert.equal(existsSync(join(labDir, DNS_BACKUP)), false);
    assert.equal(readProviderRecord(labDir), undefined);
  });
});
