// The kubeadm preparation (sandbox/providers/kubeadm/prepare.ts) with the real kubectl against
// the embedded cluster playing a fresh kind cluster: the chapter's starting state with the
// cluster's own DNS IP, DNS answering throughout, a reset from mid-chapter, and the originals
// put back from the backup.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../../support/wait.ts';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Kubectl, ROOT, Sandbox, tempDir } from '../sandbox/sandbox-process.ts';
import { kubectlFor } from '../../../sandbox/providers/tools.ts';
import { prepareChapterStart, restoreOriginals } from '../../../sandbox/providers/kubeadm/prepare.ts';
import { readBackup } from '../../../sandbox/providers/kubeadm/backup.ts';
import { query } from '../../../dns-server/test-support/client.ts';

/**
 * Resolves kubernetes.default through the published kube-dns until stopped; counts the failures.
 * Starts once DNS has answered (a sandbox just up may still be starting its DNS pods): what it
 * watches is the preparation, not the cluster's start.
 *
 * It asks over TCP because that tells a gap from a slow answer: the published port picks a
 * backend when a connection opens and closes it at once when the Service has no ready endpoint
 * (what this looks for), while a loaded 2-core machine (the whole suite, a browser) may only
 * hold an answer back for seconds. Over UDP both look like a timeout, and c-ares shortens its
 * timeouts after fast answers, so a stall of 3 s failed the probe.
 */
async function dnsProbe(port: number): Promise<{ stop(): Promise<{ ok: number; failed: string[]; slowestMs: number }> }> {
  const lookup = async () => {
    const a = await query(port, 'kubernetes.default.svc.cluster.local', 'A', { transport: 'tcp', timeoutMs: 20_000 });
    return (a.answers ?? []).filter((r) => r.type === 'A').map((r) => String(r.data));
  };
  await waitFor(async () => (await lookup().catch(() => []))[0] === '10.96.0.1', { what: 'a first DNS answer', timeout: 60_000 });
  let running = true;
  const result = { ok: 0, failed: [] as string[], slowestMs: 0 };
  const loop = (async () => {
    while (running) {
      const sent = Date.now();
      try {
        const a = await lookup();
        if (a[0] === '10.96.0.1') result.ok++;
        else result.failed.push(`answer ${a.join(',')}`);
      } catch (err) {
        result.failed.push(`sent ${new Date(sent).toISOString()}, ${new Date().toISOString()} ${(err as Error).message}`);
      }
      result.slowestMs = Math.max(result.slowestMs, Date.now() - sent);
      // a pause, so the probe does not crowd out the preparation it watches
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return result;
    },
  };
}

describe('preparing a fresh kind cluster for the chapter', () => {
  const clusterDir = tempDir('prepare-cluster');
  const labDir = tempDir('prepare-lab');
  let sb: Sandbox & { kubeconfig: string };
  let k: Kubectl;

  before(async () => {
    sb = await Sandbox.up(clusterDir, ['--profile', 'kind', '--dns-port', '0']);
    k = new Kubectl(sb.kubeconfig, join(ROOT, 'lessons'));
  });
  after(async () => {
    await sb?.stop();
    k?.cleanup();
    rmSync(clusterDir, { recursive: true, force: true });
    rmSync(labDir, { recursive: true, force: true });
  });

  test('the starting state: kube-dns, dns-controller, kube-dns-autoscaler; kubeadm\'s CoreDNS gone; DNS answered throughout', async () => {
    const probe = await dnsProbe(sb.dnsPort!);
    const lines: string[] = [];
    const { dnsIP } = await prepareChapterStart(kubectlFor(sb.kubeconfig), { stateDir: labDir, onProgress: (l) => lines.push(`${new Date().toISOString()} ${l}`) });
    const seen = await probe.stop();
    assert.equal(dnsIP, '10.96.0.10');
    assert.deepEqual(seen.failed, [], `DNS failed during the preparation (slowest answer ${seen.slowestMs} ms): ${seen.failed.slice(0, 5).join('; ')}\n${lines.join('\n')}`);
    assert.ok(seen.ok > 0);
    assert.ok(lines.some((l) => /kube-dns Service at 10\.96\.0\.10/.test(l)), lines.join('\n'));
    const deploys = (await k.ok(['get', 'deploy', '-n', 'kube-system', '-o', 'name'])).trim().split('\n').sort();
    assert.deepEqual(deploys, ['deployment.apps/dns-controller', 'deployment.apps/kube-dns', 'deployment.apps/kube-dns-autoscaler']);
    assert.equal((await k.run(['get', 'cm', 'coredns', '-n', 'kube-system'])).code, 1);
    assert.equal((await k.run(['get', 'clusterrole', 'system:coredns'])).code, 1);
    const svc = JSON.parse(await k.ok(['get', 'svc', 'kube-dns', '-n', 'kube-system', '-o', 'json'])) as { metadata: { labels: Record<string, string>; annotations: Record<string, string> }; spec: { clusterIP: string; ports: unknown[] } };
    assert.equal(svc.spec.clusterIP, '10.96.0.10');
    assert.equal(svc.metadata.labels['kubernetes.io/name'], 'KubeDNS');
    assert.equal(svc.spec.ports.length, 2);
    assert.ok(svc.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    const image = await k.ok(['get', 'deploy', 'kube-dns', '-n', 'kube-system', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].imagePullPolicy}']);
    assert.equal(image, 'coredns-lab/dns-server:1.11.3 IfNotPresent');
    // the backup holds kubeadm's objects, private
    const backup = readBackup(labDir)!;
    assert.deepEqual(backup.objects.map((o) => `${o.kind}/${o.metadata.name}`).sort(), ['ClusterRole/system:coredns', 'ClusterRoleBinding/system:coredns', 'ConfigMap/coredns', 'Deployment/coredns', 'Service/kube-dns', 'ServiceAccount/coredns']);
    assert.equal(statSync(join(labDir, 'dns-backup.json')).mode & 0o777, 0o600);
  });

  test('the chapter\'s commands work on it: create coredns-kind.yaml, then apply the Service says "configured"', async () => {
    const created = await k.ok(['create', '-f', 'templates/coredns-kind.yaml']);
    assert.match(created, /deployment\.apps\/coredns created/);
    const applied = await k.ok(['apply', '-f', 'templates/coredns-service-kind.yaml']);
    assert.equal(applied.trim(), 'service/kube-dns configured');
    await k.ok(['create', '-f', 'templates/busybox.yaml']);
  });

  test('a reset from mid-chapter: the starting state again, the backup untouched', async () => {
    const before = readBackup(labDir)!.savedAt;
    await k.ok(['delete', 'deployment', 'kube-dns', '-n', 'kube-system']);
    await prepareChapterStart(kubectlFor(sb.kubeconfig), { stateDir: labDir, reset: true });
    assert.equal(await k.ok(['get', 'svc', 'kube-dns', '-n', 'kube-system', '-o', 'jsonpath={.spec.selector.k8s-app} {.metadata.labels.kubernetes\\.io/name}']), 'kube-dns KubeDNS');
    assert.equal((await k.run(['get', 'deploy', 'coredns', '-n', 'kube-system'])).code, 1);
    assert.equal(await k.ok(['get', 'deploy', 'kube-dns', '-n', 'kube-system', '-o', 'jsonpath={.status.availableReplicas}']), '2');
    assert.equal(readBackup(labDir)!.savedAt, before);
    const applied = await k.ok(['apply', '-f', 'templates/coredns-service-kind.yaml']);
    assert.equal(applied.trim(), 'service/kube-dns configured');
  });

  test('restore: kubeadm\'s CoreDNS and Service back as they were, the stand-ins gone, DNS answering throughout', async () => {
    const lines: string[] = [];
    const onProgress = (l: string) => lines.push(`${new Date().toISOString()} ${l}`);
    // the test before left the Service on CoreDNS's selector with no CoreDNS running: DNS is down
    // until this reset, so the probe watches the restore from a working start
    await prepareChapterStart(kubectlFor(sb.kubeconfig), { stateDir: labDir, reset: true, onProgress });
    const probe = await dnsProbe(sb.dnsPort!);
    await restoreOriginals(kubectlFor(sb.kubeconfig), { stateDir: labDir, onProgress }, readBackup(labDir)!);
    const seen = await probe.stop();
    assert.deepEqual(seen.failed, [], `DNS failed during the restore (slowest answer ${seen.slowestMs} ms): ${seen.failed.slice(0, 5).join('; ')}\n${lines.join('\n')}`);
    const deploys = (await k.ok(['get', 'deploy', '-n', 'kube-system', '-o', 'name'])).trim().split('\n');
    assert.deepEqual(deploys, ['deployment.apps/coredns']);
    assert.equal(await k.ok(['get', 'deploy', 'coredns', '-n', 'kube-system', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'registry.k8s.io/coredns/coredns:v1.11.3');
    const svc = JSON.parse(await k.ok(['get', 'svc', 'kube-dns', '-n', 'kube-system', '-o', 'json'])) as { metadata: { labels: Record<string, string> }; spec: { clusterIP: string; ports: Array<{ name: string }> } };
    assert.equal(svc.metadata.labels['kubernetes.io/name'], 'CoreDNS');
    assert.deepEqual(svc.spec.ports.map((p) => p.name), ['dns', 'dns-tcp', 'metrics']);
    assert.equal(svc.spec.clusterIP, '10.96.0.10');
    assert.equal((await k.run(['get', 'cm', 'kube-dns', '-n', 'kube-system'])).code, 1);
    // deleted without waiting (as the restore does): gone once the kubelet has stopped it
    await waitFor(async () => (await k.run(['get', 'pod', 'busybox'])).code === 1, { what: 'the busybox pod gone', timeout: 30_000 });
  });
});
