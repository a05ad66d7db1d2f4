// The minikube provider: a profile named for the lab ("coredns-lab", which is also its kubeconfig
// context) on the docker driver, service CIDR 10.96.0.0/12 and DNS at 10.96.0.10, the lab's image
// loaded with `minikube image load`. minikube writes its context into $KUBECONFIG, so every call
// gets the state dir's kubeconfig there. Commands as minikube's docs give them
// (https://minikube.sigs.k8s.io/docs/commands/).
import { LAB_CLUSTER, makeToolProvider } from '../kubeadm/tool-provider.ts';

export const MINIKUBE_CONTEXT = LAB_CLUSTER;

const withKubeconfig = (kubeconfig: string) => ({ env: { KUBECONFIG: kubeconfig } });

export const minikubeProvider = makeToolProvider({
  provider: 'minikube',
  tool: 'minikube',
  context: MINIKUBE_CONTEXT,
  startsIn: 'about 60 s',
  async exists(run) {
    // {"invalid":[],"valid":[{"Name":"coredns-lab",...}]}; with no profile at all it exits non-zero
    const out = await run('minikube', ['profile', 'list', '-o', 'json'], { onLine: () => {} }).catch(() => '{}');
    try {
      const list = JSON.parse(out) as { valid?: Array<{ Name?: string }>; invalid?: Array<{ Name?: string }> };
      return [...(list.valid ?? []), ...(list.invalid ?? [])].some((p) => p.Name === LAB_CLUSTER);
    } catch {
      return false;
    }
  },
  async create(run, _stateDir, kubeconfig) {
    await run('minikube', ['start', '-p', LAB_CLUSTER, '--driver=docker'], { ...withKubeconfig(kubeconfig), timeoutMs: 900_000 });
  },
  // `minikube start` on an existing profile starts it if stopped and writes its context
  async exportKubeconfig(run, kubeconfig) {
    await run('minikube', ['start', '-p', LAB_CLUSTER], { ...withKubeconfig(kubeconfig), timeoutMs: 900_000 });
  },
  async loadImage(run, image) {
    await run('minikube', ['image', 'load', image, '-p', LAB_CLUSTER], { timeoutMs: 300_000 });
  },
  async delete(run, kubeconfig) {
    await run('minikube', ['delete', '-p', LAB_CLUSTER], { ...withKubeconfig(kubeconfig), timeoutMs: 300_000 });
  },
});
