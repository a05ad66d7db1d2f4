// `sandbox up --profile kind|minikube`: the embedded cluster plays a fresh kubeadm cluster as kind
// and minikube make it, read back with the real kubectl: one node with the tool's name and pod
// CIDR, kubeadm's CoreDNS Deployment labelled k8s-app=kube-dns answering at 10.96.0.10, kube-proxy.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { Kubectl, lab, Sandbox, tempDir } from '../sandbox/sandbox-process.ts';
import { waitFor } from '../../support/wait.ts';

const PROFILES = [
  { profile: 'kind', node: 'coredns-lab-control-plane', serviceSubnet: '10.96.0.0/16', clusterName: 'coredns-lab' },
  { profile: 'minikube', node: 'coredns-lab', serviceSubnet: '10.96.0.0/12', clusterName: 'mk' },
];

for (const p of PROFILES) {
  describe(`sandbox up --profile ${p.profile}`, () => {
    const stateDir = tempDir(`profile-${p.profile}`);
    let sb: (Sandbox & { kubeconfig: string }) | undefined;
    let k: Kubectl | undefined;
    after(async () => {
      await sb?.stop();
      k?.cleanup();
      rmSync(stateDir, { recursive: true, force: true });
    });

    test('a fresh single-node kubeadm cluster: its CoreDNS Deployment ready behind kube-dns at 10.96.0.10, kube-proxy on the node', async () => {
      sb = await Sandbox.up(stateDir, ['--profile', p.profile]);
      k = new Kubectl(sb.kubeconfig);
      const nodes = JSON.parse(await k.ok(['get', 'nodes', '-o', 'json'])) as { items: Array<{ metadata: { name: string; labels: Record<string, string> }; spec: { podCIDR: string } }> };
      assert.deepEqual(nodes.items.map((n) => n.metadata.name), [p.node]);
      assert.equal(nodes.items[0]!.spec.podCIDR, '10.244.0.0/24');
      assert.ok('node-role.kubernetes.io/control-plane' in nodes.items[0]!.metadata.labels);
      assert.equal(await k.ok(['get', 'svc', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}']), '10.96.0.1');
      assert.equal(await k.ok(['get', 'svc', 'kube-dns', '-n', 'kube-system', '-o', 'jsonpath={.spec.clusterIP}']), '10.96.0.10');
      const config = await k.ok(['get', 'cm', 'kubeadm-config', '-n', 'kube-system', '-o', 'jsonpath={.data.ClusterConfiguration}']);
      assert.match(config, new RegExp(`serviceSubnet: ${p.serviceSubnet.replaceAll('.', '\\.')}`));
      assert.match(config, /podSubnet: 10\.244\.0\.0\/16/);
      assert.match(config, new RegExp(`clusterName: ${p.clusterName}$`, 'm'));
      assert.equal(await k.ok(['get', 'deploy', 'coredns', '-n', 'kube-system', '-o', 'jsonpath={.metadata.labels.k8s-app}']), 'kube-dns');
      // no kubectl apply made them: the chapter's starting state is the providers' job
      assert.equal(await k.ok(['get', 'svc', 'kube-dns', '-n', 'kube-system', '-o', 'jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}']), '');
      await waitFor(async () => /^2$/.test(await k!.ok(['get', 'deploy', 'coredns', '-n', 'kube-system', '-o', 'jsonpath={.status.availableReplicas}'])), { what: 'coredns 2/2 available', timeout: 60_000 });
      await waitFor(async () => /^1$/.test(await k!.ok(['get', 'ds', 'kube-proxy', '-n', 'kube-system', '-o', 'jsonpath={.status.numberReady}'])), { what: 'kube-proxy ready on the node', timeout: 60_000 });
      const slices = await k.ok(['get', 'endpointslices', '-n', 'kube-system', '-l', 'kubernetes.io/service-name=kube-dns', '-o', 'jsonpath={.items[*].endpoints[*].addresses[0]}']);
      for (const ip of slices.trim().split(/\s+/)) assert.match(ip, /^10\.244\.0\.\d+$/);
      // today's pod-template-hash (coredns-668d6bf9bc-xxxxx), not the 2017 cluster's decimal one
      const pods = (await k.ok(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns', '-o', 'name'])).trim().split('\n');
      assert.equal(pods.length, 2);
      for (const pod of pods) assert.match(pod, /^pod\/coredns-[bcdf4-9]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    });

    test('the state dir remembers the profile: status names it; up --profile kops on it is refused with the fix', async () => {
      const st = await lab(['sandbox', 'status', '--json', '--state-dir', stateDir]);
      assert.equal(st.code, 0, st.stderr);
      assert.equal(JSON.parse(st.stdout).context, 'coredns-lab');
      await sb!.stop();
      sb = undefined;
      const r = await lab(['sandbox', 'up', '--profile', 'kops', '--state-dir', stateDir], { timeoutMs: 60_000 });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, new RegExp(`holds a ${p.profile} cluster, not a kops one; .*sandbox reset --profile kops`));
    });
  });
}
