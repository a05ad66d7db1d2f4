// Which runtime a container gets, decided by its image reference the way an operator reads it,
// and which images the emulated registry holds at all (the catalogue). CoreDNS images and the
// project's own dns-server image run the real dns-server; the kube-dns family runs it with a
// Corefile equivalent to what kube-dns served; busybox gets the busybox shell; the other images
// of the catalogue idle as Running containers with their image's first log lines. An image
// outside the catalogue fails to pull, as it would on a node that cannot find it.

export type RuntimeKind = 'coredns' | 'kube-dns' | 'kube-dns-sidecar' | 'busybox' | 'nginx' | 'idle'
  | 'jessie-dnsutils' | 'dnsutils' | 'curl' | 'alpine' | 'agnhost' | 'goproxy';

/** the project's own image: a drop-in for coredns/coredns (dns-server/README.md) */
export const LAB_DNS_IMAGE = 'coredns-lab/dns-server';

/** "registry/path/name:tag@digest" -> "path/name" without registry, tag or digest */
export function imageRepository(image: string): string {
  let ref = image.split('@')[0];
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > lastSlash) ref = ref.slice(0, colon);
  const parts = ref.split('/');
  // a first component with a dot or port, or "localhost", is a registry host
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost')) parts.shift();
  if (parts[0] === 'library') parts.shift();
  return parts.join('/');
}

export interface CatalogueEntry {
  /** the repository as `imageRepository` returns it; any tag of it is in the registry */
  repository: string;
  kind: RuntimeKind;
  /** what learners can do with it here (sandbox/README.md lists the same) */
  supports: string;
}

const withArch = (name: string) => [name, `${name}-amd64`];

/** every image the emulated registry serves; anything else is "pull access denied" */
export const IMAGE_CATALOGUE: readonly CatalogueEntry[] = [
  { repository: 'coredns/coredns', kind: 'coredns', supports: 'the real dns-server with CoreDNS flags, health/ready/metrics listeners' },
  { repository: LAB_DNS_IMAGE, kind: 'coredns', supports: 'the same as coredns/coredns' },
  ...withArch('k8s-dns-kube-dns').map((repository) => ({ repository, kind: 'kube-dns' as const, supports: 'kube-dns 1.14 (with dnsmasq)' })),
  ...withArch('k8s-dns-dnsmasq-nanny').map((repository) => ({ repository, kind: 'kube-dns' as const, supports: 'kube-dns 1.14: serves port 53' })),
  ...withArch('k8s-dns-sidecar').map((repository) => ({ repository, kind: 'kube-dns-sidecar' as const, supports: 'kube-dns 1.14: its log lines' })),
  ...withArch('cluster-proportional-autoscaler').map((repository) => ({ repository, kind: 'idle' as const, supports: 'its start-up log lines' })),
  { repository: 'kope/dns-controller', kind: 'idle', supports: 'its start-up log lines' },
  // the static pods' images (status-quo/static-pods.ts): the lab's own API server, scheduler and proxy do their work
  ...['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd-manager/etcd-manager-slim']
    .map((repository) => ({ repository, kind: 'idle' as const, supports: 'runs as the static pod of kops\'s machines' })),
  { repository: 'busybox', kind: 'busybox', supports: "busybox 1.28's ash and applets (head, tail, wc, grep, tar for kubectl cp, nc, ps, nslookup...)" },
  { repository: 'pause', kind: 'idle', supports: 'sleeps, as the pause container does' },
  { repository: 'kube-proxy', kind: 'idle', supports: 'Running (the emulated service proxy does its work): kops\'s static pods, the kind and minikube profiles\' DaemonSet' },
  { repository: 'nginx', kind: 'nginx', supports: 'the default server on port 80 with the welcome page; access log in kubectl logs' },
  { repository: 'e2e-test-images/jessie-dnsutils', kind: 'jessie-dnsutils', supports: "bind 9.9's dig, host, nslookup; dash/bash; glibc's resolver" },
  { repository: 'e2e-test-images/dnsutils', kind: 'dnsutils', supports: "bind 9.10's dig, host, nslookup; busybox's ash and applets; musl" },
  { repository: 'kubernetes-e2e-test-images/dnsutils', kind: 'dnsutils', supports: 'the same as e2e-test-images/dnsutils' },
  { repository: 'curlimages/curl', kind: 'curl', supports: 'curl 8 (http, https, -s -S -v -I -i -o -f -k --resolve -m); busybox; musl' },
  { repository: 'alpine', kind: 'alpine', supports: "busybox's ash and applets, busybox 1.37's nslookup, apk (offline); musl" },
  // the "Configure Liveness, Readiness and Startup Probes" page's images
  { repository: 'e2e-test-images/agnhost', kind: 'agnhost', supports: 'agnhost 2.x: liveness (/healthz 200 for 10 s, then 500), netexec, pause (the CMD); Alpine with busybox, bash, curl, bind-tools' },
  { repository: 'goproxy', kind: 'goproxy', supports: 'an HTTP proxy listening on 8080 (tcpSocket probes); no shell' },
];

/** the catalogue entry of an image, or undefined when the registry has no such repository */
export function catalogueEntry(image: string | undefined): CatalogueEntry | undefined {
  const repo = imageRepository(image ?? '');
  // gcr.io/google_containers/x, k8s.gcr.io/x and registry.k8s.io/x are the same images; so are
  // k8s.gcr.io/coredns and coredns/coredns, and registry.k8s.io/cpa/cluster-proportional-autoscaler
  const bare = repo.replace(/^(google_containers|google-containers|cpa|dns)\//, '');
  const candidates = [repo, bare, bare === 'coredns' ? 'coredns/coredns' : bare];
  return IMAGE_CATALOGUE.find((e) => candidates.includes(e.repository));
}

/**
 * The pull error a node reports for an image the registry does not have (cri-dockerd in front of
 * Docker 24, the chapter's nodes' runtime): the daemon's "pull access denied", as a gRPC status
 */
export function pullError(image: string): string | undefined {
  if (catalogueEntry(image)) return undefined;
  const repo = image.split('@')[0].replace(/:[^/:]+$/, '');
  return `rpc error: code = Unknown desc = Error response from daemon: pull access denied for ${repo}, ` +
    "repository does not exist or may require 'docker login': denied: requested access to the resource is denied";
}

export function runtimeKind(image: string | undefined): RuntimeKind {
  const repo = imageRepository(image ?? '');
  const last = repo.split('/').pop() ?? '';
  if (repo === 'coredns/coredns' || repo === 'coredns' || repo === LAB_DNS_IMAGE || last === 'dns-server' || last === 'coredns') return 'coredns';
  if (/^k8s-dns-(kube-dns|dnsmasq-nanny|dnsmasq)(-[a-z0-9]+)?$/.test(last) || /^kubedns(-[a-z0-9]+)?$/.test(last) || /^kube-dnsmasq(-[a-z0-9]+)?$/.test(last)) return 'kube-dns';
  if (/^k8s-dns-sidecar(-[a-z0-9]+)?$/.test(last) || /^exechealthz(-[a-z0-9]+)?$/.test(last)) return 'kube-dns-sidecar';
  if (last === 'busybox') return 'busybox';
  if (repo === 'nginx') return 'nginx';
  const entry = catalogueEntry(image);
  return entry && ['jessie-dnsutils', 'dnsutils', 'curl', 'alpine', 'agnhost', 'goproxy'].includes(entry.kind) ? entry.kind : 'idle';
}
