// One golden row per kind: the headers kubectl shows (priority 0), the ones it adds with
// -o wide (priority 1), and every cell the API server sends.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTable, printerFor } from '../../../sandbox/cluster/tables/index.ts';
import type { KubeObject } from '../../../sandbox/cluster/contracts.ts';

const now = new Date('2026-01-01T12:00:00Z');
const created = '2026-01-01T11:55:00Z'; // 5m before now

function meta(name: string, extra: Record<string, unknown> = {}): KubeObject['metadata'] {
  return { name, namespace: 'kube-system', uid: 'u-1', resourceVersion: '7', creationTimestamp: created, ...extra };
}

interface Golden {
  name: string;
  resource: string;
  object: KubeObject;
  headers: string[];
  wide: string[];
  cells: unknown[];
}

const goldens: Golden[] = [
  {
    name: 'Pod, running, scheduled',
    resource: 'pods',
    object: {
      apiVersion: 'v1', kind: 'Pod', metadata: meta('kube-dns-5d8f7c9b6d-abcde'),
      spec: { nodeName: 'ip-172-20-33-10.ec2.internal', containers: [{ name: 'kubedns' }, { name: 'dnsmasq' }, { name: 'sidecar' }] },
      status: {
        phase: 'Running', podIP: '100.96.1.4', podIPs: [{ ip: '100.96.1.4' }],
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: ['kubedns', 'dnsmasq', 'sidecar'].map((name) => ({ name, ready: true, restartCount: 0, state: { running: { startedAt: created } } })),
      },
    },
    headers: ['Name', 'Ready', 'Status', 'Restarts', 'Age'],
    wide: ['IP', 'Node', 'Nominated Node', 'Readiness Gates'],
    cells: ['kube-dns-5d8f7c9b6d-abcde', '3/3', 'Running', '0', '5m', '100.96.1.4', 'ip-172-20-33-10.ec2.internal', '<none>', '<none>'],
  },
  {
    name: 'Service, ClusterIP with a selector',
    resource: 'services',
    object: {
      apiVersion: 'v1', kind: 'Service', metadata: meta('kube-dns'),
      spec: {
        type: 'ClusterIP', clusterIP: '100.64.0.10', clusterIPs: ['100.64.0.10'], selector: { 'k8s-app': 'kube-dns' },
        ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }],
      },
    },
    headers: ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age'],
    wide: ['Selector'],
    cells: ['kube-dns', 'ClusterIP', '100.64.0.10', '<none>', '53/UDP,53/TCP', '5m', 'k8s-app=kube-dns'],
  },
  {
    name: 'Service, NodePort with externalIPs and no selector',
    resource: 'services',
    object: {
      apiVersion: 'v1', kind: 'Service', metadata: meta('web'),
      spec: { type: 'NodePort', clusterIPs: ['100.64.3.3'], externalIPs: ['1.2.3.4', '5.6.7.8'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] },
    },
    headers: ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age'],
    wide: ['Selector'],
    cells: ['web', 'NodePort', '100.64.3.3', '1.2.3.4,5.6.7.8', '80:30080/TCP', '5m', '<none>'],
  },
  {
    name: 'Service, LoadBalancer still pending, headless port list empty',
    resource: 'services',
    object: { apiVersion: 'v1', kind: 'Service', metadata: meta('lb'), spec: { type: 'LoadBalancer', clusterIPs: ['None'] } },
    headers: ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age'],
    wide: ['Selector'],
    cells: ['lb', 'LoadBalancer', 'None', '<pending>', '<none>', '5m', '<none>'],
  },
  {
    name: 'Endpoints, more than three addresses',
    resource: 'endpoints',
    object: {
      apiVersion: 'v1', kind: 'Endpoints', metadata: meta('kube-dns'),
      subsets: [{
        addresses: [{ ip: '100.96.1.4' }, { ip: '100.96.2.5' }],
        ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 10055, protocol: 'TCP' }],
      }],
    },
    headers: ['Name', 'Endpoints', 'Age'],
    wide: [],
    cells: ['kube-dns', '100.96.1.4:53,100.96.2.5:53,100.96.1.4:53 + 3 more...', '5m'],
  },
  {
    name: 'Endpoints, none ready',
    resource: 'endpoints',
    object: { apiVersion: 'v1', kind: 'Endpoints', metadata: meta('empty') },
    headers: ['Name', 'Endpoints', 'Age'],
    wide: [],
    cells: ['empty', '<none>', '5m'],
  },
  {
    name: 'EndpointSlice',
    resource: 'endpointslices.discovery.k8s.io',
    object: {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta('kube-dns-x7k2p'), addressType: 'IPv4',
      ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }],
      endpoints: [{ addresses: ['100.96.1.4'] }, { addresses: ['100.96.2.5'] }, { addresses: ['100.96.3.6'] }, { addresses: ['100.96.4.7'] }],
    },
    headers: ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'],
    wide: [],
    cells: ['kube-dns-x7k2p', 'IPv4', '53,53', '100.96.1.4,100.96.2.5,100.96.3.6 + 1 more...', '5m'],
  },
  {
    name: 'EndpointSlice, empty',
    resource: 'endpointslices.discovery.k8s.io',
    object: { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta('empty-abc'), addressType: 'IPv4', ports: null, endpoints: [] },
    headers: ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'],
    wide: [],
    cells: ['empty-abc', 'IPv4', '<unset>', '<unset>', '5m'],
  },
  {
    name: 'Deployment',
    resource: 'deployments.apps',
    object: {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('kube-dns'),
      spec: {
        replicas: 2, selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        template: { spec: { containers: [{ name: 'kubedns', image: 'k8s.gcr.io/k8s-dns-kube-dns-amd64:1.14.5' }, { name: 'dnsmasq', image: 'k8s.gcr.io/k8s-dns-dnsmasq-nanny-amd64:1.14.5' }] } },
      },
      status: { replicas: 2, readyReplicas: 1, updatedReplicas: 2, availableReplicas: 1 },
    },
    headers: ['Name', 'Ready', 'Up-to-date', 'Available', 'Age'],
    wide: ['Containers', 'Images', 'Selector'],
    cells: ['kube-dns', '1/2', 2, 1, '5m', 'kubedns,dnsmasq', 'k8s.gcr.io/k8s-dns-kube-dns-amd64:1.14.5,k8s.gcr.io/k8s-dns-dnsmasq-nanny-amd64:1.14.5', 'k8s-app=kube-dns'],
  },
  {
    name: 'ReplicaSet, selector with expressions',
    resource: 'replicasets.apps',
    object: {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta('kube-dns-5d8f7c9b6d'),
      spec: {
        replicas: 2,
        selector: { matchLabels: { 'pod-template-hash': '5d8f7c9b6d', 'k8s-app': 'kube-dns' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }, { key: 'canary', operator: 'DoesNotExist' }] },
        template: { spec: { containers: [{ name: 'kubedns', image: 'kube-dns:1.14.5' }] } },
      },
      status: { replicas: 2, readyReplicas: 2 },
    },
    headers: ['Name', 'Desired', 'Current', 'Ready', 'Age'],
    wide: ['Containers', 'Images', 'Selector'],
    cells: ['kube-dns-5d8f7c9b6d', 2, 2, 2, '5m', 'kubedns', 'kube-dns:1.14.5', '!canary,k8s-app=kube-dns,pod-template-hash=5d8f7c9b6d,tier in (a,b)'],
  },
  {
    name: 'DaemonSet',
    resource: 'daemonsets.apps',
    object: {
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('node-local-dns'),
      spec: {
        selector: { matchLabels: { 'k8s-app': 'node-local-dns' } },
        template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'node-cache', image: 'k8s-dns-node-cache:1.22' }] } },
      },
      status: { desiredNumberScheduled: 5, currentNumberScheduled: 5, numberReady: 4, updatedNumberScheduled: 5, numberAvailable: 4 },
    },
    headers: ['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age'],
    wide: ['Containers', 'Images', 'Selector'],
    cells: ['node-local-dns', 5, 5, 4, 5, 4, 'kubernetes.io/os=linux', '5m', 'node-cache', 'k8s-dns-node-cache:1.22', 'k8s-app=node-local-dns'],
  },
  {
    name: 'Job, complete after 12 s',
    resource: 'jobs.batch',
    object: {
      apiVersion: 'batch/v1', kind: 'Job', metadata: meta('hello'),
      spec: {
        completions: 1, parallelism: 1, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } },
        template: { spec: { containers: [{ name: 'hello', image: 'busybox:1.28' }] } },
      },
      status: {
        succeeded: 1, startTime: '2026-01-01T11:55:00Z', completionTime: '2026-01-01T11:55:12Z',
        conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }],
      },
    },
    headers: ['Name', 'Status', 'Completions', 'Duration', 'Age'],
    wide: ['Containers', 'Images', 'Selector'],
    cells: ['hello', 'Complete', '1/1', '12s', '5m', 'hello', 'busybox:1.28', 'batch.kubernetes.io/controller-uid=u1'],
  },
  {
    name: 'CronJob, never scheduled',
    resource: 'cronjobs.batch',
    object: {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta('nightly'),
      spec: { schedule: '0 3 * * *', suspend: false, jobTemplate: { spec: { template: { spec: { containers: [{ name: 'n', image: 'busybox:1.28' }] } } } } },
      status: {},
    },
    headers: ['Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age'],
    wide: ['Containers', 'Images', 'Selector'],
    cells: ['nightly', '0 3 * * *', '<none>', 'False', 0, '<none>', '5m', 'n', 'busybox:1.28', '<none>'],
  },
  {
    name: 'Node, a kops 1.7 master',
    resource: 'nodes',
    object: {
      apiVersion: 'v1', kind: 'Node', metadata: meta('ip-172-20-33-10.ec2.internal', { namespace: undefined, labels: { 'kubernetes.io/role': 'master', 'node-role.kubernetes.io/master': '' } }),
      spec: { unschedulable: true },
      status: {
        conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '172.20.33.10' }, { type: 'Hostname', address: 'ip-172-20-33-10' }],
        nodeInfo: { kubeletVersion: 'v1.7.10', osImage: 'Debian GNU/Linux 8 (jessie)', kernelVersion: '4.4.102-k8s', containerRuntimeVersion: 'docker://1.12.6' },
      },
    },
    headers: ['Name', 'Status', 'Roles', 'Age', 'Version'],
    wide: ['Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime'],
    cells: ['ip-172-20-33-10.ec2.internal', 'Ready,SchedulingDisabled', 'master', '5m', 'v1.7.10', '172.20.33.10', '<none>', 'Debian GNU/Linux 8 (jessie)', '4.4.102-k8s', 'docker://1.12.6'],
  },
  {
    name: 'Node, no conditions yet, no role',
    resource: 'nodes',
    object: { apiVersion: 'v1', kind: 'Node', metadata: meta('fresh', { namespace: undefined }), status: { nodeInfo: {} } },
    headers: ['Name', 'Status', 'Roles', 'Age', 'Version'],
    wide: ['Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime'],
    cells: ['fresh', 'Unknown', '<none>', '5m', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'],
  },
  {
    name: 'Namespace',
    resource: 'namespaces',
    object: { apiVersion: 'v1', kind: 'Namespace', metadata: meta('kube-system', { namespace: undefined }), status: { phase: 'Active' } },
    headers: ['Name', 'Status', 'Age'],
    wide: [],
    cells: ['kube-system', 'Active', '5m'],
  },
  {
    name: 'ConfigMap, data and binaryData both count',
    resource: 'configmaps',
    object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('coredns'), data: { Corefile: '.:53 {}' }, binaryData: { blob: 'AA==' } },
    headers: ['Name', 'Data', 'Age'],
    wide: [],
    cells: ['coredns', 2, '5m'],
  },
  {
    name: 'Secret',
    resource: 'secrets',
    object: { apiVersion: 'v1', kind: 'Secret', metadata: meta('coredns-token-x'), type: 'kubernetes.io/service-account-token', data: { token: 'eA==', 'ca.crt': 'eA==', namespace: 'eA==' } },
    headers: ['Name', 'Type', 'Data', 'Age'],
    wide: [],
    cells: ['coredns-token-x', 'kubernetes.io/service-account-token', 3, '5m'],
  },
  {
    name: 'ServiceAccount',
    resource: 'serviceaccounts',
    object: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('coredns') },
    headers: ['Name', 'Secrets', 'Age'],
    wide: [],
    cells: ['coredns', 0, '5m'],
  },
  {
    name: 'Event, core/v1 with counts',
    resource: 'events',
    object: {
      apiVersion: 'v1', kind: 'Event', metadata: meta('coredns-abc.17a'), type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container\n',
      count: 4, firstTimestamp: '2026-01-01T11:00:00Z', lastTimestamp: '2026-01-01T11:58:00Z',
      involvedObject: { kind: 'Pod', name: 'coredns-abc', fieldPath: 'spec.containers{coredns}' }, source: { component: 'kubelet', host: 'ip-172-20-33-10' },
    },
    headers: ['Last Seen', 'Type', 'Reason', 'Object', 'Message'],
    wide: ['Subobject', 'Source', 'First Seen', 'Count', 'Name'],
    cells: ['2m', 'Warning', 'BackOff', 'pod/coredns-abc', 'spec.containers{coredns}', 'kubelet, ip-172-20-33-10', 'Back-off restarting failed container', '60m', 4, 'coredns-abc.17a'],
  },
  {
    name: 'Event, events.k8s.io style (eventTime, no count)',
    resource: 'events',
    object: {
      apiVersion: 'v1', kind: 'Event', metadata: meta('lease.1'), type: 'Normal', reason: 'LeaderElection', message: 'became leader',
      eventTime: '2026-01-01T11:59:30.000000Z', reportingComponent: 'kube-controller-manager', involvedObject: { kind: 'Lease', name: 'kube-controller-manager' },
    },
    headers: ['Last Seen', 'Type', 'Reason', 'Object', 'Message'],
    wide: ['Subobject', 'Source', 'First Seen', 'Count', 'Name'],
    cells: ['30s', 'Normal', 'LeaderElection', 'lease/kube-controller-manager', '', 'kube-controller-manager', 'became leader', '30s', 1, 'lease.1'],
  },
  {
    name: 'Event, served as events.k8s.io/v1 (regarding, note, series)',
    resource: 'events.events.k8s.io',
    object: {
      apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: meta('probe.2'), type: 'Warning', reason: 'Unhealthy', note: 'Readiness probe failed',
      eventTime: '2026-01-01T11:50:00.000000Z', series: { count: 7, lastObservedTime: '2026-01-01T11:59:00.000000Z' },
      regarding: { kind: 'Pod', name: 'coredns-abc', fieldPath: 'spec.containers{coredns}' }, reportingController: 'kubelet', reportingInstance: 'node-1',
    },
    headers: ['Last Seen', 'Type', 'Reason', 'Object', 'Message'],
    wide: ['Subobject', 'Source', 'First Seen', 'Count', 'Name'],
    cells: ['60s', 'Warning', 'Unhealthy', 'pod/coredns-abc', 'spec.containers{coredns}', 'kubelet, node-1', 'Readiness probe failed', '10m', 7, 'probe.2'],
  },
  {
    name: 'ClusterRole (generic convertor: CREATED AT)',
    resource: 'clusterroles.rbac.authorization.k8s.io',
    object: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta('system:coredns', { namespace: undefined, creationTimestamp: '2026-01-01T11:55:00.123Z' }) },
    headers: ['Name', 'Created At'],
    wide: [],
    cells: ['system:coredns', '2026-01-01T11:55:00Z'],
  },
  {
    name: 'Role',
    resource: 'roles.rbac.authorization.k8s.io',
    object: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('reader') },
    headers: ['Name', 'Created At'],
    wide: [],
    cells: ['reader', '2026-01-01T11:55:00Z'],
  },
  {
    name: 'ClusterRoleBinding',
    resource: 'clusterrolebindings.rbac.authorization.k8s.io',
    object: {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: meta('system:coredns', { namespace: undefined }),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:coredns' },
      subjects: [{ kind: 'ServiceAccount', name: 'coredns', namespace: 'kube-system' }, { kind: 'User', name: 'alice' }, { kind: 'User', name: 'bob' }, { kind: 'Group', name: 'ops' }],
    },
    headers: ['Name', 'Role', 'Age'],
    wide: ['Users', 'Groups', 'ServiceAccounts'],
    cells: ['system:coredns', 'ClusterRole/system:coredns', '5m', 'alice, bob', 'ops', 'kube-system:coredns'],
  },
  {
    name: 'RoleBinding without subjects',
    resource: 'rolebindings.rbac.authorization.k8s.io',
    object: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('read'), roleRef: { kind: 'Role', name: 'reader' } },
    headers: ['Name', 'Role', 'Age'],
    wide: ['Users', 'Groups', 'ServiceAccounts'],
    cells: ['read', 'Role/reader', '5m', '', '', ''],
  },
  {
    name: 'Lease',
    resource: 'leases.coordination.k8s.io',
    object: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: meta('kube-scheduler'), spec: { holderIdentity: 'master-1_abc' } },
    headers: ['Name', 'Holder', 'Age'],
    wide: [],
    cells: ['kube-scheduler', 'master-1_abc', '5m'],
  },
  {
    name: 'an unknown kind falls back to NAME AGE',
    resource: 'widgets.example.com',
    object: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: meta('w') },
    headers: ['Name', 'Age'],
    wide: [],
    cells: ['w', '5m'],
  },
  {
    name: 'PersistentVolume, provisioned and bound',
    resource: 'persistentvolumes',
    object: {
      apiVersion: 'v1', kind: 'PersistentVolume', metadata: meta('pvc-0c1d'),
      spec: {
        capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'standard',
        claimRef: { namespace: 'default', name: 'data' }, volumeMode: 'Filesystem', hostPath: { path: '/x' },
      },
      status: { phase: 'Bound' },
    },
    headers: ['Name', 'Capacity', 'Access Modes', 'Reclaim Policy', 'Status', 'Claim', 'StorageClass', 'VolumeAttributesClass', 'Reason', 'Age'],
    wide: ['VolumeMode'],
    cells: ['pvc-0c1d', '1Gi', 'RWO', 'Delete', 'Bound', 'default/data', 'standard', '<unset>', '', '5m', 'Filesystem'],
  },
  {
    name: 'PersistentVolumeClaim, pending (no capacity or modes shown until bound)',
    resource: 'persistentvolumeclaims',
    object: {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('data'),
      spec: { accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard', volumeMode: 'Filesystem' },
      status: { phase: 'Pending' },
    },
    headers: ['Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age'],
    wide: ['VolumeMode'],
    cells: ['data', 'Pending', '', '', '', 'standard', '<unset>', '5m', 'Filesystem'],
  },
  {
    name: 'PersistentVolumeClaim, bound',
    resource: 'persistentvolumeclaims',
    object: {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('data'),
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard', volumeName: 'pvc-0c1d', volumeMode: 'Filesystem' },
      status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } },
    },
    headers: ['Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age'],
    wide: ['VolumeMode'],
    cells: ['data', 'Bound', 'pvc-0c1d', '1Gi', 'RWO', 'standard', '<unset>', '5m', 'Filesystem'],
  },
  {
    name: 'StorageClass, the default one (kind\'s)',
    resource: 'storageclasses.storage.k8s.io',
    object: {
      apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: meta('standard', { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }),
      provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer',
    },
    headers: ['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age'],
    wide: [],
    cells: ['standard (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', 'false', '5m'],
  },
  {
    name: 'PriorityClass, a system one',
    resource: 'priorityclasses.scheduling.k8s.io',
    object: { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: meta('system-node-critical'), value: 2000001000, globalDefault: false, preemptionPolicy: 'PreemptLowerPriority' },
    headers: ['Name', 'Value', 'Global-Default', 'Age', 'PreemptionPolicy'],
    wide: [],
    cells: ['system-node-critical', 2000001000, false, '5m', 'PreemptLowerPriority'],
  },
  {
    name: 'HorizontalPodAutoscaler, no metrics-server',
    resource: 'horizontalpodautoscalers.autoscaling',
    object: {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta('web'),
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
      status: { currentReplicas: 1, desiredReplicas: 0, currentMetrics: [{ type: '' }] },
    },
    headers: ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age'],
    wide: [],
    cells: ['web', 'Deployment/web', 'cpu: <unknown>/50%', '1', 10, 1, '5m'],
  },
  {
    name: 'PodDisruptionBudget, minAvailable',
    resource: 'poddisruptionbudgets.policy',
    object: {
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta('web'),
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
      status: { currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1, expectedPods: 2 },
    },
    headers: ['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age'],
    wide: [],
    cells: ['web', '1', 'N/A', 1, '5m'],
  },
  {
    name: 'Ingress, one host with TLS',
    resource: 'ingresses.networking.k8s.io',
    object: {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta('web'),
      spec: { ingressClassName: 'nginx', tls: [{ hosts: ['web.example.com'] }], rules: [{ host: 'web.example.com', http: { paths: [] } }] },
      status: { loadBalancer: { ingress: [{ ip: '172.18.0.2' }] } },
    },
    headers: ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age'],
    wide: [],
    cells: ['web', 'nginx', 'web.example.com', '172.18.0.2', '80, 443', '5m'],
  },
  {
    name: 'NetworkPolicy, every pod',
    resource: 'networkpolicies.networking.k8s.io',
    object: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('deny-all'), spec: { podSelector: {}, policyTypes: ['Ingress'] } },
    headers: ['Name', 'Pod-Selector', 'Age'],
    wide: [],
    cells: ['deny-all', '<none>', '5m'],
  },
  {
    name: 'ReplicationController',
    resource: 'replicationcontrollers',
    object: {
      apiVersion: 'v1', kind: 'ReplicationController', metadata: meta('nginx'),
      spec: { replicas: 3, selector: { app: 'nginx' }, template: { spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
      status: { replicas: 3, readyReplicas: 2 },
    },
    headers: ['Name', 'Desired', 'Current', 'Ready', 'Age'],
    wide: ['Containers', 'Images', 'Selector'],
    cells: ['nginx', 3, 3, 2, '5m', 'nginx', 'nginx', 'app=nginx'],
  },
  {
    name: 'ComponentStatus',
    resource: 'componentstatuses',
    object: { apiVersion: 'v1', kind: 'ComponentStatus', metadata: meta('etcd-0'), conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }] },
    headers: ['Name', 'Status', 'Message', 'Error'],
    wide: [],
    cells: ['etcd-0', 'Healthy', 'ok', ''],
  },
  {
    name: 'CertificateSigningRequest, approved and issued',
    resource: 'certificatesigningrequests.certificates.k8s.io',
    object: {
      apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: meta('ann'),
      spec: { signerName: 'kubernetes.io/kube-apiserver-client', username: 'admin', expirationSeconds: 86400, request: 'LS0t' },
      status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'LS0t' },
    },
    headers: ['Name', 'Age', 'SignerName', 'Requestor', 'RequestedDuration', 'Condition'],
    wide: [],
    cells: ['ann', '5m', 'kubernetes.io/kube-apiserver-client', 'admin', '24h', 'Approved,Issued'],
  },
  {
    name: 'IngressClass',
    resource: 'ingressclasses.networking.k8s.io',
    object: { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: meta('nginx'), spec: { controller: 'k8s.io/ingress-nginx' } },
    headers: ['Name', 'Controller', 'Parameters', 'Age'],
    wide: [],
    cells: ['nginx', 'k8s.io/ingress-nginx', '<none>', '5m'],
  },
  {
    name: 'ResourceQuota, requests and limits',
    resource: 'resourcequotas',
    object: {
      apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta('q'),
      spec: { hard: { pods: '10', 'requests.cpu': '1', 'limits.memory': '1Gi' } },
      status: { hard: { pods: '10', 'requests.cpu': '1', 'limits.memory': '1Gi' }, used: { pods: '2', 'requests.cpu': '800m', 'limits.memory': '512Mi' } },
    },
    headers: ['Name', 'Age', 'Request', 'Limit'],
    wide: [],
    cells: ['q', '5m', 'pods: 2/10, requests.cpu: 800m/1', 'limits.memory: 512Mi/1Gi'],
  },
  {
    name: 'ValidatingWebhookConfiguration',
    resource: 'validatingwebhookconfigurations.admissionregistration.k8s.io',
    object: { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: meta('policy'), webhooks: [{ name: 'a.example.com' }] },
    headers: ['Name', 'Webhooks', 'Age'],
    wide: [],
    cells: ['policy', 1, '5m'],
  },
];

describe('buildTable: one golden row per kind', () => {
  for (const g of goldens) {
    test(g.name, () => {
      const table = buildTable(g.resource, [g.object], { now, includeObject: 'Metadata', listMeta: { resourceVersion: '42' } });
      assert.equal(table.kind, 'Table');
      assert.equal(table.apiVersion, 'meta.k8s.io/v1');
      assert.deepEqual(table.metadata, { resourceVersion: '42' });
      assert.deepEqual(table.columnDefinitions.filter((c) => c.priority === 0).map((c) => c.name), g.headers);
      assert.deepEqual(table.columnDefinitions.filter((c) => c.priority === 1).map((c) => c.name), g.wide);
      assert.equal(table.rows.length, 1);
      assert.deepEqual(table.rows[0]!.cells, g.cells);
      assert.equal(table.columnDefinitions.length, g.cells.length, 'one cell per column, wide ones included');
    });
  }
});

describe('buildTable: columns and row objects', () => {
  test('every column carries name, type, format, description, priority', () => {
    for (const g of goldens) {
      for (const c of printerFor(g.resource).columns) {
        assert.match(c.type, /^(string|integer|date|boolean)$/, `${g.resource} ${c.name}`);
        // printers.go reads RuntimeClass's Handler doc from ObjectMeta, which has none: upstream's column is blank too
        if (c.name !== 'Handler') assert.ok(c.description.length > 10, `${g.resource} ${c.name} has a description`);
        assert.ok(c.priority === 0 || c.priority === 1);
      }
    }
  });

  test('NAME is the format:name column; for events it is wide-only', () => {
    assert.equal(printerFor('pods').columns[0]!.format, 'name');
    const evName = printerFor('events').columns.find((c) => c.format === 'name');
    assert.equal(evName?.priority, 1);
  });

  test('a bare plural finds the grouped printer', () => {
    assert.equal(printerFor('deployments'), printerFor('deployments.apps'));
    assert.equal(printerFor('endpointslices'), printerFor('endpointslices.discovery.k8s.io'));
  });

  test('row.object follows includeObject: Metadata, Object, None', () => {
    const pod = goldens[0]!.object;
    const meta = buildTable('pods', [pod], { now, includeObject: 'Metadata' }).rows[0]!;
    assert.deepEqual(meta.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata });
    assert.equal(buildTable('pods', [pod], { now, includeObject: 'Object' }).rows[0]!.object, pod);
    assert.equal('object' in buildTable('pods', [pod], { now, includeObject: 'None' }).rows[0]!, false);
  });

  test('an empty list still carries the columns', () => {
    const t = buildTable('services', [], { now, includeObject: 'Metadata' });
    assert.equal(t.rows.length, 0);
    assert.equal(t.columnDefinitions.length, 7);
    assert.deepEqual(t.metadata, {});
  });

  test('column definitions are copies: a caller editing one does not change the next table', () => {
    const t = buildTable('pods', [], { now, includeObject: 'None' });
    t.columnDefinitions[0]!.name = 'changed';
    assert.equal(buildTable('pods', [], { now, includeObject: 'None' }).columnDefinitions[0]!.name, 'Name');
  });
});
