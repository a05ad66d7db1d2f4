// The chapter's kops cluster: 3 masters and 5 nodes in eu-central-1 (VPC 172.20.0.0/16, one
// /19 subnet per zone), each with a /24 from the pod range 100.96.0.0/11 in the order kube-controller-manager
// handed them out (masters registered first). Data only; nodeObject() turns a row into a Node.
//
// kubeletVersion is v1.32.4, not the chapter's v1.7.4: the embedded API server must report 1.32
// (kubectl's dispatcher picks its own version from it), and a kubelet 25 minor versions older
// than its API server is outside the supported skew, so `kubectl get nodes` would show a cluster
// that cannot exist. The container runtime is Docker through cri-dockerd, as the chapter's
// cluster ran Docker: that is also why pods' resolv.conf lists the nameserver first.

import { createHash } from 'node:crypto';

function uuid(hex: string): string {
  return hex.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
}

export const KUBELET_VERSION = 'v1.32.4';
export const REGION = 'eu-central-1';

export interface NodeRow {
  ip: string;
  zone: 'a' | 'b' | 'c';
  role: 'master' | 'node';
  instanceType: string;
  podCIDR: string;
}

export const NODES: NodeRow[] = [
  { ip: '172.20.44.17', zone: 'a', role: 'master', instanceType: 'c4.large', podCIDR: '100.96.0.0/24' },
  { ip: '172.20.70.201', zone: 'b', role: 'master', instanceType: 'c4.large', podCIDR: '100.96.1.0/24' },
  { ip: '172.20.113.91', zone: 'c', role: 'master', instanceType: 'c4.large', podCIDR: '100.96.2.0/24' },
  { ip: '172.20.58.230', zone: 'a', role: 'node', instanceType: 't2.medium', podCIDR: '100.96.3.0/24' },
  { ip: '172.20.91.14', zone: 'b', role: 'node', instanceType: 't2.medium', podCIDR: '100.96.4.0/24' },
  { ip: '172.20.126.55', zone: 'c', role: 'node', instanceType: 't2.medium', podCIDR: '100.96.5.0/24' },
  { ip: '172.20.35.120', zone: 'a', role: 'node', instanceType: 't2.medium', podCIDR: '100.96.6.0/24' },
  { ip: '172.20.83.89', zone: 'b', role: 'node', instanceType: 't2.medium', podCIDR: '100.96.7.0/24' },
];

const CAPACITY: Record<string, { cpu: string; memory: string }> = {
  'c4.large': { cpu: '2', memory: '3857324Ki' },
  't2.medium': { cpu: '2', memory: '4046212Ki' },
};

export function nodeName(row: NodeRow): string {
  return `ip-${row.ip.replaceAll('.', '-')}.${REGION}.compute.internal`;
}

/** stable per-node hex ids, so `describe node` shows plausible machine and boot ids */
function hexId(name: string, salt: string, length = 32): string {
  return createHash('sha256').update(`${salt}:${name}`).digest('hex').slice(0, length);
}

export function nodeObject(row: NodeRow, now: string) {
  const name = nodeName(row);
  const zone = `${REGION}${row.zone}`;
  const cap = CAPACITY[row.instanceType]!;
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type, status, lastHeartbeatTime: now, lastTransitionTime: now, reason, message,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/instance-type': row.instanceType,
        'beta.kubernetes.io/os': 'linux',
        'failure-domain.beta.kubernetes.io/region': REGION,
        'failure-domain.beta.kubernetes.io/zone': zone,
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/role': row.role,
        [`node-role.kubernetes.io/${row.role}`]: '',
        'node.kubernetes.io/instance-type': row.instanceType,
        'topology.kubernetes.io/region': REGION,
        'topology.kubernetes.io/zone': zone,
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: row.podCIDR,
      podCIDRs: [row.podCIDR],
      providerID: `aws:///${zone}/i-0${Buffer.from(name).toString('hex').slice(0, 16)}`,
      ...(row.role === 'master' ? { taints: [{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }] } : {}),
    },
    status: {
      capacity: { cpu: cap.cpu, 'ephemeral-storage': '20435948Ki', 'hugepages-2Mi': '0', memory: cap.memory, pods: '110' },
      allocatable: { cpu: cap.cpu, 'ephemeral-storage': '18833769646', 'hugepages-2Mi': '0', memory: cap.memory, pods: '110' },
      conditions: [
        condition('NetworkUnavailable', 'False', 'RouteCreated', 'RouteController created a route'),
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: row.ip },
        { type: 'InternalDNS', address: name },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: uuid(hexId(name, 'boot')),
        containerRuntimeVersion: 'docker://24.0.7',
        kernelVersion: '6.1.0-13-cloud-amd64',
        kubeProxyVersion: KUBELET_VERSION,
        kubeletVersion: KUBELET_VERSION,
        machineID: hexId(name, 'machine'),
        operatingSystem: 'linux',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        systemUUID: `ec2${hexId(name, 'system').slice(3)}`.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
      },
    },
  };
}
