// The fresh clusters the embedded cluster can play (`sandbox up --profile kops|kind|minikube`):
// the chapter's kops cluster, or a single-node kubeadm cluster as kind and minikube make it, so
// that the kind, minikube and existing providers' preparation runs against an API that starts
// as those clusters do. Data only: addresses and ranges as each tool hands them out.

export type ClusterProfile = 'kops' | 'kind' | 'minikube';
export const CLUSTER_PROFILES: readonly ClusterProfile[] = ['kops', 'kind', 'minikube'];

/** the cluster name kind and minikube are given by the lab's providers (kind `--name`, minikube `-p`) */
export const LAB_CLUSTER_NAME = 'coredns-lab';

export interface ClusterNetwork {
  serviceCIDR: string;
  podCIDR: string;
  /** the `kubernetes` Service's ClusterIP: the first address of the service CIDR */
  kubernetesIP: string;
  /** kubeadm's and kops's choice for the cluster DNS Service: the tenth address */
  dnsIP: string;
}

export const NETWORKS: Record<ClusterProfile, ClusterNetwork> = {
  kops: { serviceCIDR: '100.64.0.0/13', podCIDR: '100.96.0.0/11', kubernetesIP: '100.64.0.1', dnsIP: '100.64.0.10' },
  // kind's defaults (its v1alpha4 config): podSubnet 10.244.0.0/16, serviceSubnet 10.96.0.0/16
  kind: { serviceCIDR: '10.96.0.0/16', podCIDR: '10.244.0.0/16', kubernetesIP: '10.96.0.1', dnsIP: '10.96.0.10' },
  // minikube's: ServiceCIDR 10.96.0.0/12 (kubeadm's default), pod network 10.244.0.0/16
  minikube: { serviceCIDR: '10.96.0.0/12', podCIDR: '10.244.0.0/16', kubernetesIP: '10.96.0.1', dnsIP: '10.96.0.10' },
};

export interface KubeadmNode {
  name: string;
  ip: string;
  podCIDR: string;
  /** kubeadm's clusterName in kube-system/kubeadm-config: kind writes its cluster's name, minikube "mk" */
  clusterName: string;
  containerRuntimeVersion: string;
  osImage: string;
  providerID?: string;
  labels: Record<string, string>;
  /**
   * The node's /etc/resolv.conf, which a `dnsPolicy: Default` pod gets. Docker gives a container
   * on a user-defined network its embedded DNS (nameserver 127.0.0.11, options ndots:0); kind's
   * node entrypoint, and minikube's kicbase after it, swap 127.0.0.11 for the Docker host's address
   * on that network, its gateway, since the embedded DNS cannot be reached from the pods.
   */
  resolvConf: { nameservers: string[]; searches: string[]; options: string[] };
}

export const KUBEADM_NODES: Record<Exclude<ClusterProfile, 'kops'>, KubeadmNode> = {
  // kind names its one node <cluster>-control-plane, on the docker network "kind" (172.18.0.0/16)
  kind: {
    name: `${LAB_CLUSTER_NAME}-control-plane`,
    ip: '172.18.0.2',
    podCIDR: '10.244.0.0/24',
    clusterName: LAB_CLUSTER_NAME,
    containerRuntimeVersion: 'containerd://1.7.24',
    osImage: 'Debian GNU/Linux 12 (bookworm)',
    providerID: `kind://docker/${LAB_CLUSTER_NAME}/${LAB_CLUSTER_NAME}-control-plane`,
    labels: { 'node.kubernetes.io/exclude-from-external-load-balancers': '' },
    resolvConf: { nameservers: ['172.18.0.1'], searches: [], options: ['ndots:0'] },
  },
  // minikube names its node after the profile, on its docker network (192.168.49.0/24)
  minikube: {
    name: LAB_CLUSTER_NAME,
    ip: '192.168.49.2',
    podCIDR: '10.244.0.0/24',
    clusterName: 'mk',
    containerRuntimeVersion: 'docker://27.4.1',
    osImage: 'Ubuntu 22.04.5 LTS',
    labels: {
      'minikube.k8s.io/name': LAB_CLUSTER_NAME,
      'minikube.k8s.io/primary': 'true',
      'minikube.k8s.io/version': 'v1.35.0',
    },
    resolvConf: { nameservers: ['192.168.49.1'], searches: [], options: ['ndots:0'] },
  },
};

export function isClusterProfile(s: string): s is ClusterProfile {
  return (CLUSTER_PROFILES as readonly string[]).includes(s);
}
