// The chapter's starting state on a kubeadm cluster (kind, minikube, an existing one), as
// objects: kube-dns in 2017's clothing played by the lab's dns-server image (so no 2017 image is
// pulled), stand-ins for dns-controller and kube-dns-autoscaler (the pause image every kubeadm
// node has), and the chapter's kube-dns Service at the cluster's own DNS IP. Data only.

/** the lab's dns-server image, built from dns-server/Dockerfile and loaded into the cluster */
export const LAB_IMAGE = 'coredns-lab/dns-server:1.11.3';
/** on every kubeadm node already (the sandbox image of its container runtime) */
const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';
/** marks what the lab made, so `down --restore` knows what to take away */
export const STAND_IN_LABEL = 'coredns-lab.io/stand-in';
/** the lab's role for its kube-dns stand-in: it reads what CoreDNS reads (sandbox/cluster/auth/bootstrap-policy.ts) */
const STAND_IN_ROLE = 'coredns-lab:kube-dns-stand-in';

export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
} & Record<string, unknown>;

/**
 * what kube-dns 1.14 served, as a Corefile: the cluster zone and its reverse zones, pod records,
 * everything else upstream. The lameduck is kubeadm's own CoreDNS setting: a stand-in that is
 * deleted (`down --restore`, a reset) keeps answering for 5 s after SIGTERM, while kube-proxy
 * stops sending it queries; without it, a query routed to it in that window went unanswered.
 */
export const KUBE_DNS_COREFILE = `.:53 {
    errors
    health :8080 {
        lameduck 5s
    }
    ready :8081
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 30
    }
    prometheus :10055
    forward . /etc/resolv.conf
    cache 30
}
`;

const ns = 'kube-system';
const standIn = (what: string) => ({ [STAND_IN_LABEL]: what });

function deployment(
  name: string,
  app: string,
  replicas: number,
  pod: Record<string, unknown>,
  labels: Record<string, string> = {},
): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels: { 'k8s-app': app, ...labels, ...standIn(name) } },
    spec: {
      replicas,
      selector: { matchLabels: { 'k8s-app': app } },
      template: {
        metadata: { labels: { 'k8s-app': app } },
        spec: { priorityClassName: 'system-cluster-critical', tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }], ...pod },
      },
    },
  };
}

/** kube-dns, dns-controller, kube-dns-autoscaler and what they need, applied with `kubectl apply` */
export function standIns(): Manifest[] {
  const kubeDnsPod = {
    serviceAccountName: 'kube-dns',
    dnsPolicy: 'Default',
    containers: [
      {
        name: 'kubedns',
        image: LAB_IMAGE,
        imagePullPolicy: 'IfNotPresent',
        args: ['-conf', '/etc/kube-dns/Corefile'],
        ports: [
          { containerPort: 53, name: 'dns', protocol: 'UDP' },
          { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
          { containerPort: 10055, name: 'metrics', protocol: 'TCP' },
        ],
        resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: true },
        readinessProbe: { httpGet: { path: '/ready', port: 8081, scheme: 'HTTP' }, initialDelaySeconds: 3, timeoutSeconds: 5 },
        livenessProbe: { httpGet: { path: '/health', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 60, timeoutSeconds: 5, failureThreshold: 5 },
        volumeMounts: [{ name: 'kube-dns-config', mountPath: '/etc/kube-dns', readOnly: true }],
      },
    ],
    volumes: [{ name: 'kube-dns-config', configMap: { name: 'kube-dns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
  };
  const idle = (name: string) => ({ containers: [{ name, image: PAUSE_IMAGE, imagePullPolicy: 'IfNotPresent', resources: { requests: { cpu: '10m', memory: '10Mi' } } }] });
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kube-dns', namespace: ns, labels: standIn('kube-dns') } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: STAND_IN_ROLE, labels: standIn('kube-dns') },
      rules: [
        { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: STAND_IN_ROLE, labels: standIn('kube-dns') },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: STAND_IN_ROLE },
      subjects: [{ kind: 'ServiceAccount', name: 'kube-dns', namespace: ns }],
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-dns', namespace: ns, labels: standIn('kube-dns') }, data: { Corefile: KUBE_DNS_COREFILE } },
    deployment('kube-dns', 'kube-dns', 2, kubeDnsPod, { 'kubernetes.io/cluster-service': 'true' }),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kube-dns-autoscaler', namespace: ns, labels: standIn('kube-dns-autoscaler') },
      data: { linear: '{"coresPerReplica":256,"nodesPerReplica":16,"preventSinglePointFailure":true}' },
    },
    deployment('kube-dns-autoscaler', 'kube-dns-autoscaler', 1, idle('autoscaler')),
    deployment('dns-controller', 'dns-controller', 1, idle('dns-controller')),
  ];
}

/** the chapter's kube-dns Service (kops's addon) at this cluster's DNS IP */
export function chapterKubeDnsService(dnsIP: string): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: ns,
      labels: { 'k8s-addon': 'kube-dns.addons.k8s.io', 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'KubeDNS' },
    },
    spec: {
      selector: { 'k8s-app': 'kube-dns' },
      clusterIP: dnsIP,
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      ],
    },
  };
}

/**
 * kubeadm's CoreDNS objects (and what the chapter creates under the same names): removed so that
 * the chapter's `kubectl create -f templates/coredns-*.yaml` creates them, as kind/type/name for kubectl
 */
export const COREDNS_OBJECTS = [
  'deployment.apps/coredns',
  'configmap/coredns',
  'serviceaccount/coredns',
  'clusterrolebinding.rbac.authorization.k8s.io/system:coredns',
  'clusterrole.rbac.authorization.k8s.io/system:coredns',
];

/** what the chapter's steps add besides the CoreDNS objects, removed by `sandbox reset` */
export const CHAPTER_EXTRAS = [{ namespace: 'default', ref: 'pod/busybox' }];
