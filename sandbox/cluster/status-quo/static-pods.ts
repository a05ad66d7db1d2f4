// The static pods kops's nodeup writes to /etc/kubernetes/manifests on each machine, as the API
// shows them: the kubelet runs each from its file and posts a mirror pod named
// "<pod>-<node>" (pkg/kubelet/pod/mirror_client.go), annotated kubernetes.io/config.mirror with
// the static pod's hash and owned by its Node (a controller ownerReference since 1.20, so
// deleting the Node garbage-collects it). Masters run kube-apiserver, kube-controller-manager,
// kube-scheduler and etcd-manager for the main and events etcd clusters; every machine runs
// kube-proxy (kops nodeup pkg/model: kube_apiserver.go, kube_controller_manager.go,
// kube_scheduler.go, etcd_manager.go, kube_proxy.go). Images are at the kubelets' v1.32.4.
import { createHash } from 'node:crypto';
import type { Container, Pod, PodSpec, Volume } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../contracts.ts';
import { MIRROR_POD_ANNOTATION } from '../resources/service-account-admission.ts';
import { CLUSTER_DOMAIN, POD_CIDR, SERVICE_CIDR } from './network.ts';
import { KUBELET_VERSION, NODES, nodeName, type NodeRow } from './nodes.ts';

const REGISTRY = 'registry.k8s.io';
/** the etcd-manager image kops pinned for Kubernetes 1.31/1.32 */
const ETCD_MANAGER_IMAGE = `${REGISTRY}/etcd-manager/etcd-manager-slim:v3.0.20241009`;
/** scheduling.k8s.io's two system PriorityClasses (pkg/apis/scheduling: SystemCriticalPriority and +1000) */
const PRIORITY = { 'system-cluster-critical': 2000000000, 'system-node-critical': 2000001000 } as const;

const hostPath = (name: string, path: string, type?: string): Volume => ({ name, hostPath: { path, ...(type ? { type } : {}) } });
const logFile = (name: string) => hostPath('logfile', `/var/log/${name}.log`, 'FileOrCreate');

/** go-runner in front of the binary: kops's way of teeing a component's output into /var/log */
function component(name: string, args: string[], cpu: string, extra: Partial<Container> = {}): Container {
  return {
    name,
    image: `${REGISTRY}/${name}:${KUBELET_VERSION}`,
    command: ['/go-runner', `--log-file=/var/log/${name}.log`, '--also-stdout', `/usr/local/bin/${name}`, ...args],
    resources: { requests: { cpu } },
    volumeMounts: [{ name: 'logfile', mountPath: `/var/log/${name}.log` }, { name: 'etcssl', mountPath: '/etc/ssl', readOnly: true }],
    ...extra,
  };
}

interface StaticPod {
  name: string;
  labels: Record<string, string>;
  priorityClassName: keyof typeof PRIORITY;
  spec: PodSpec;
}

function masterPods(row: NodeRow): StaticPod[] {
  const volumes = (name: string) => [logFile(name), hostPath('etcssl', '/etc/ssl')];
  const etcd = (cluster: 'main' | 'events', port: number): StaticPod => ({
    name: `etcd-manager-${cluster}`,
    labels: { 'k8s-app': `etcd-manager-${cluster}` },
    priorityClassName: 'system-cluster-critical',
    spec: {
      containers: [{
        name: 'etcd-manager',
        image: ETCD_MANAGER_IMAGE,
        command: ['/bin/sh', '-c', `mkfifo /tmp/pipe; (tee -a /var/log/etcd.log < /tmp/pipe & ) ; exec /etcd-manager --cluster-name=etcd${cluster === 'main' ? '' : '-events'} ` +
          `--client-urls=https://__name__:${port} --containerized=true --grpc-port=${cluster === 'main' ? 3996 : 3997} --v=6 > /tmp/pipe 2>&1`],
        resources: { requests: { cpu: cluster === 'main' ? '200m' : '100m', memory: '100Mi' } },
        securityContext: { privileged: true },
        volumeMounts: [{ name: 'rootfs', mountPath: '/rootfs' }, { name: 'pki', mountPath: '/etc/kubernetes/pki/etcd-manager' }, { name: 'varlogetcd', mountPath: '/var/log/etcd.log' }],
      }],
      hostIPC: true,
      hostPID: true,
      volumes: [hostPath('rootfs', '/', 'Directory'), hostPath('pki', `/etc/kubernetes/pki/etcd-manager-${cluster}`, 'DirectoryOrCreate'),
        hostPath('varlogetcd', `/var/log/etcd${cluster === 'main' ? '' : '-events'}.log`, 'FileOrCreate')],
    },
  });
  return [
    {
      name: 'kube-apiserver',
      labels: { 'k8s-app': 'kube-apiserver' },
      priorityClassName: 'system-cluster-critical',
      spec: {
        containers: [component('kube-apiserver', [
          '--allow-privileged=true', '--anonymous-auth=false', '--authorization-mode=Node,RBAC', `--advertise-address=${row.ip}`,
          '--etcd-servers=https://127.0.0.1:4001', '--etcd-servers-overrides=/events#https://127.0.0.1:4002', '--secure-port=443',
          `--service-cluster-ip-range=${SERVICE_CIDR}`, '--storage-backend=etcd3', '--client-ca-file=/srv/kubernetes/ca.crt',
        ], '150m', { ports: [{ name: 'https', containerPort: 443, hostPort: 443, protocol: 'TCP' }] })],
        volumes: [...volumes('kube-apiserver'), hostPath('srvkube', '/srv/kubernetes')],
      },
    },
    {
      name: 'kube-controller-manager',
      labels: { 'k8s-app': 'kube-controller-manager' },
      priorityClassName: 'system-cluster-critical',
      spec: {
        containers: [component('kube-controller-manager', [
          '--allocate-node-cidrs=true', `--cluster-cidr=${POD_CIDR}`, `--cluster-name=kubernetes.${CLUSTER_DOMAIN}`, '--configure-cloud-routes=true',
          '--leader-elect=true', '--root-ca-file=/srv/kubernetes/ca.crt', '--use-service-account-credentials=true', '--v=2',
        ], '100m')],
        volumes: volumes('kube-controller-manager'),
      },
    },
    {
      name: 'kube-scheduler',
      labels: { 'k8s-app': 'kube-scheduler' },
      priorityClassName: 'system-cluster-critical',
      spec: {
        containers: [component('kube-scheduler', ['--config=/var/lib/kube-scheduler/config.yaml', '--leader-elect=true', '--v=2'], '100m')],
        volumes: volumes('kube-scheduler'),
      },
    },
    etcd('main', 4001),
    etcd('events', 4002),
  ];
}

function proxyPod(row: NodeRow): StaticPod {
  return {
    name: 'kube-proxy',
    labels: { 'k8s-app': 'kube-proxy', tier: 'node' },
    priorityClassName: 'system-node-critical',
    spec: {
      containers: [component('kube-proxy', [
        `--cluster-cidr=${POD_CIDR}`, '--conntrack-max-per-core=131072', `--hostname-override=${nodeName(row)}`,
        '--kubeconfig=/var/lib/kube-proxy/kubeconfig', '--oom-score-adj=-998', '--v=2',
      ], '100m', { securityContext: { privileged: true } })],
      volumes: [logFile('kube-proxy'), hostPath('etcssl', '/etc/ssl'), hostPath('kubeconfig', '/var/lib/kube-proxy/kubeconfig')],
    },
  };
}

/** the mirror pods of every machine's static pods; `nodeUid` gives each Node's uid */
export function mirrorPods(nodeUid: (node: string) => string | undefined, now: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const row of NODES) {
    const node = nodeName(row);
    const uid = nodeUid(node);
    for (const sp of [...(row.role === 'master' ? masterPods(row) : []), proxyPod(row)]) {
      const manifest: Pod = {
        apiVersion: 'v1', kind: 'Pod',
        metadata: { name: sp.name, namespace: 'kube-system', labels: sp.labels },
        spec: {
          ...sp.spec,
          hostNetwork: true,
          priorityClassName: sp.priorityClassName,
          tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
        },
      };
      // the kubelet's hash of the static pod as read from its file (the config.hash annotation)
      const hash = createHash('md5').update(`${node}\n${JSON.stringify(manifest)}`).digest('hex');
      out.push({
        ...manifest,
        metadata: {
          ...manifest.metadata,
          name: `${sp.name}-${node}`,
          annotations: {
            'kubernetes.io/config.hash': hash,
            [MIRROR_POD_ANNOTATION]: hash,
            'kubernetes.io/config.seen': now.replace(/Z$/, '.000000000Z'),
            'kubernetes.io/config.source': 'file',
          },
          ...(uid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node, uid, controller: true }] } : {}),
        },
        spec: { ...manifest.spec, nodeName: node, priority: PRIORITY[sp.priorityClassName] },
      } as KubeObject);
    }
  }
  return out;
}
