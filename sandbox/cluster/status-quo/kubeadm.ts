// A fresh single-node kubeadm cluster as kind or minikube leave it (Kubernetes 1.32): the node,
// the `kubernetes` Service in front of the API server's 6443, kube-system/kubeadm-config with the
// cluster's subnets, kube-proxy (DaemonSet and ConfigMap), and kubeadm's CoreDNS: Deployment
// `coredns` labelled k8s-app=kube-dns, ConfigMap `coredns` with kubeadm's Corefile, its RBAC, and
// the `kube-dns` Service at the tenth address of the service CIDR. Created as kubeadm creates
// them (plain creates, no last-applied annotation).
import type { KubeObject } from '../contracts.ts';
import { defaultServiceAccounts, kubernetesServiceObjects, serviceAccount, type Seeded } from './apiserver.ts';
import { KUBELET_VERSION } from './nodes.ts';
import { KUBEADM_NODES, NETWORKS, type ClusterProfile, type KubeadmNode } from './profiles.ts';

export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.11.3';
const KUBE_PROXY_IMAGE = `registry.k8s.io/kube-proxy:${KUBELET_VERSION}`;
const APISERVER_PORT = 6443;

/** kubeadm's Corefile (cmd/kubeadm/app/phases/addons/dns/manifests.go), for cluster.local */
export const KUBEADM_COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
`;

function nodeObject(n: KubeadmNode, now: string): KubeObject {
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
    reason,
    message,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': n.name,
        'kubernetes.io/os': 'linux',
        'node-role.kubernetes.io/control-plane': '',
        ...n.labels,
      },
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': n.containerRuntimeVersion.startsWith('docker') ? 'unix:///var/run/cri-dockerd.sock' : 'unix:///run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: { podCIDR: n.podCIDR, podCIDRs: [n.podCIDR], ...(n.providerID ? { providerID: n.providerID } : {}) },
    status: {
      capacity: { cpu: '2', 'ephemeral-storage': '61202244Ki', 'hugepages-2Mi': '0', memory: '8129880Ki', pods: '110' },
      allocatable: { cpu: '2', 'ephemeral-storage': '61202244Ki', 'hugepages-2Mi': '0', memory: '8129880Ki', pods: '110' },
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [{ type: 'InternalIP', address: n.ip }, { type: 'Hostname', address: n.name }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        containerRuntimeVersion: n.containerRuntimeVersion,
        kernelVersion: '6.1.0-13-cloud-amd64',
        kubeProxyVersion: KUBELET_VERSION,
        kubeletVersion: KUBELET_VERSION,
        operatingSystem: 'linux',
        osImage: n.osImage,
        bootID: '', machineID: '', systemUUID: '',
      },
    },
  } as unknown as KubeObject;
}

function clusterConfiguration(profile: Exclude<ClusterProfile, 'kops'>): string {
  const net = NETWORKS[profile];
  const n = KUBEADM_NODES[profile];
  return [
    'apiServer:',
    '  certSANs:',
    '  - localhost',
    '  - 127.0.0.1',
    'apiVersion: kubeadm.k8s.io/v1beta4',
    'caCertificateValidityPeriod: 87600h0m0s',
    'certificateValidityPeriod: 8760h0m0s',
    'certificatesDir: /etc/kubernetes/pki',
    `clusterName: ${n.clusterName}`,
    `controlPlaneEndpoint: ${profile === 'kind' ? n.name : 'control-plane.minikube.internal'}:${APISERVER_PORT}`,
    'dns: {}',
    'etcd:',
    '  local:',
    `    dataDir: ${profile === 'kind' ? '/var/lib/etcd' : '/var/lib/minikube/etcd'}`,
    'imageRepository: registry.k8s.io',
    'kind: ClusterConfiguration',
    `kubernetesVersion: ${KUBELET_VERSION}`,
    'networking:',
    '  dnsDomain: cluster.local',
    `  podSubnet: ${net.podCIDR}`,
    `  serviceSubnet: ${net.serviceCIDR}`,
    'proxy: {}',
    'scheduler: {}',
    '',
  ].join('\n');
}

/** kubeadm's CoreDNS objects; the kube-dns Service's IP is the cluster's dnsIP */
function corednsObjects(dnsIP: string): Seeded[] {
  const m = 'kubeadm';
  return [
    serviceAccount('coredns', 'kube-system', m),
    {
      resource: 'clusterroles.rbac.authorization.k8s.io',
      fieldManager: m,
      obj: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'system:coredns' },
        rules: [
          { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
          { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
        ],
      } as KubeObject,
    },
    {
      resource: 'clusterrolebindings.rbac.authorization.k8s.io',
      fieldManager: m,
      obj: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'system:coredns' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:coredns' },
        subjects: [{ kind: 'ServiceAccount', name: 'coredns', namespace: 'kube-system' }],
      } as KubeObject,
    },
    { resource: 'configmaps', fieldManager: m, obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: KUBEADM_COREFILE } } },
    {
      resource: 'deployments.apps',
      fieldManager: m,
      obj: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          replicas: 2,
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
          selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          template: {
            metadata: { labels: { 'k8s-app': 'kube-dns' } },
            spec: {
              priorityClassName: 'system-cluster-critical',
              serviceAccountName: 'coredns',
              tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
              nodeSelector: { 'kubernetes.io/os': 'linux' },
              containers: [
                {
                  name: 'coredns',
                  image: COREDNS_IMAGE,
                  imagePullPolicy: 'IfNotPresent',
                  resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
                  args: ['-conf', '/etc/coredns/Corefile'],
                  volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
                  ports: [
                    { containerPort: 53, name: 'dns', protocol: 'UDP' },
                    { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
                    { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
                  ],
                  securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: true },
                  livenessProbe: { httpGet: { path: '/health', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 60, timeoutSeconds: 5, successThreshold: 1, failureThreshold: 5 },
                  readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' } },
                },
              ],
              dnsPolicy: 'Default',
              volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
            },
          },
        },
      } as KubeObject,
    },
    {
      resource: 'services',
      fieldManager: m,
      obj: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'kube-dns',
          namespace: 'kube-system',
          labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
          annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
        },
        spec: {
          selector: { 'k8s-app': 'kube-dns' },
          clusterIP: dnsIP,
          ports: [
            { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
            { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
            { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
          ],
        },
      },
    },
  ];
}

function kubeProxyObjects(podCIDR: string): Seeded[] {
  const m = 'kubeadm';
  const config = ['apiVersion: kubeproxy.config.k8s.io/v1alpha1', 'kind: KubeProxyConfiguration', `clusterCIDR: ${podCIDR}`, 'mode: iptables', ''].join('\n');
  return [
    serviceAccount('kube-proxy', 'kube-system', m),
    { resource: 'configmaps', fieldManager: m, obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { app: 'kube-proxy' } }, data: { 'config.conf': config } } },
    {
      resource: 'daemonsets.apps',
      fieldManager: m,
      obj: {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' } },
        spec: {
          selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
          updateStrategy: { type: 'RollingUpdate' },
          template: {
            metadata: { labels: { 'k8s-app': 'kube-proxy' } },
            spec: {
              priorityClassName: 'system-node-critical',
              hostNetwork: true,
              serviceAccountName: 'kube-proxy',
              nodeSelector: { 'kubernetes.io/os': 'linux' },
              tolerations: [{ operator: 'Exists' }],
              containers: [
                {
                  name: 'kube-proxy',
                  image: KUBE_PROXY_IMAGE,
                  imagePullPolicy: 'IfNotPresent',
                  command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
                  env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
                  securityContext: { privileged: true },
                  volumeMounts: [{ name: 'kube-proxy', mountPath: '/var/lib/kube-proxy' }],
                },
              ],
              volumes: [{ name: 'kube-proxy', configMap: { name: 'kube-proxy' } }],
            },
          },
        },
      } as KubeObject,
    },
  ];
}

/** every object of the fresh cluster, in the order kubeadm and the tool create them */
export function kubeadmObjects(profile: Exclude<ClusterProfile, 'kops'>, now: string): Seeded[] {
  const net = NETWORKS[profile];
  const n = KUBEADM_NODES[profile];
  const out: Seeded[] = [
    { resource: 'nodes', fieldManager: 'kubelet', obj: nodeObject(n, now) },
    ...kubernetesServiceObjects(net.kubernetesIP, [n.ip], APISERVER_PORT),
    { resource: 'configmaps', fieldManager: 'kubeadm', obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubeadm-config', namespace: 'kube-system' }, data: { ClusterConfiguration: clusterConfiguration(profile) } } },
  ];
  out.push(...defaultServiceAccounts(), ...kubeProxyObjects(net.podCIDR), ...corednsObjects(net.dnsIP));
  return out;
}

/** which kubeadm tool a seeded store plays, from its kubeadm-config (minikube names its cluster "mk") */
export function kubeadmProfileOf(clusterConfiguration: string | undefined): Exclude<ClusterProfile, 'kops'> | undefined {
  if (clusterConfiguration === undefined) return undefined;
  return /^clusterName: mk$/m.test(clusterConfiguration) ? 'minikube' : 'kind';
}
