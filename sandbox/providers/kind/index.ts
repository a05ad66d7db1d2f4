// The kind provider: the lab's cluster "coredns-lab" (context kind-coredns-lab) from a generated
// kind config on kind's default subnets (pods 10.244.0.0/16, services 10.96.0.0/16, DNS at
// 10.96.0.10), the lab's image loaded with `kind load docker-image`. Commands as kind's quick
// start gives them (https://kind.sigs.k8s.io/docs/user/quick-start/).
import { join } from 'node:path';
import { writePrivateFile } from '../../private-state.ts';
import { LAB_CLUSTER, makeToolProvider } from '../kubeadm/tool-provider.ts';

export const KIND_CONTEXT = `kind-${LAB_CLUSTER}`;
export const KIND_CONFIG = 'kind-config.yaml';

/** one control-plane node; no networking section, so kind keeps its default subnets (lessons/templates/*-kind.yaml fit them) */
export function kindConfig(): string {
  return ['kind: Cluster', 'apiVersion: kind.x-k8s.io/v1alpha4', `name: ${LAB_CLUSTER}`, 'nodes:', '- role: control-plane', ''].join('\n');
}

export const kindProvider = makeToolProvider({
  provider: 'kind',
  tool: 'kind',
  context: KIND_CONTEXT,
  startsIn: 'about 30 s',
  async exists(run) {
    // "No kind clusters found." goes to stderr with exit 0
    return (await run('kind', ['get', 'clusters'], { onLine: () => {} })).split('\n').some((l) => l.trim() === LAB_CLUSTER);
  },
  async create(run, stateDir, kubeconfig) {
    const config = join(stateDir, KIND_CONFIG);
    writePrivateFile(config, kindConfig());
    await run('kind', ['create', 'cluster', '--name', LAB_CLUSTER, '--config', config, '--kubeconfig', kubeconfig, '--wait', '120s'], { timeoutMs: 600_000 });
  },
  async exportKubeconfig(run, kubeconfig) {
    await run('kind', ['export', 'kubeconfig', '--name', LAB_CLUSTER, '--kubeconfig', kubeconfig]);
  },
  async loadImage(run, image) {
    await run('kind', ['load', 'docker-image', image, '--name', LAB_CLUSTER], { timeoutMs: 300_000 });
  },
  async delete(run, kubeconfig) {
    await run('kind', ['delete', 'cluster', '--name', LAB_CLUSTER, '--kubeconfig', kubeconfig], { timeoutMs: 300_000 });
  },
});
