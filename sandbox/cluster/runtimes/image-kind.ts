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

/** the reference fully qualified as containerd resolves it: docker.io/library/x:latest */
function qualifiedReference(image: string): string {
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  let ref = slash < 0 ? `docker.io/library/${image}` : !/[.:]/.test(first) && first !== 'localhost' ? `docker.io/${image}` : image;
  if (!ref.includes('@') && ref.lastIndexOf(':') < ref.lastIndexOf('/')) ref += ':latest';
  return ref;
}

/**
 * The pull error a node reports for an image the registry does not have, as a gRPC status from its
 * CRI: Docker's daemon through cri-dockerd (the chapter's kops nodes, minikube) says "pull access
 * denied for <repo>"; containerd (kind) fails to resolve the qualified reference, Docker Hub
 * answering its anonymous token request with insufficient_scope, as published kind transcripts show
 */
export function pullError(image: string, runtime: 'containerd' | 'docker' = 'docker'): string | undefined {
  if (catalogueEntry(image)) return undefined;
  if (runtime === 'containerd') {
    const ref = qualifiedReference(image);
    return `rpc error: code = Unknown desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ` +
      'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed';
  }
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

/**
 * What pulling an image costs on a node: its size as containerd reports it (the compressed
 * manifest, config and layers, which is what the kubelet's `Image size: N bytes.` and
 * node.status.images carry), one figure per repository for the tag the lab's pages use. A figure
 * marked "node status" was read from a published `kubectl get nodes -o yaml` of a containerd
 * node; the others are estimates from the image's contents (a Docker node would report the
 * larger, uncompressed size).
 */
const IMAGE_BYTES: Record<string, number> = {
  // node status (containerd 1.7.27): registry.k8s.io/pause:3.10
  pause: 320_368,
  // estimate: coredns v1.12.0 was 20939036 and v1.10.1 16190758 (node status); v1.11.3's figure
  // is remembered from a kind node, not re-checked
  'coredns/coredns': 18_562_039,
  [LAB_DNS_IMAGE]: 18_562_039,
  // node status: the v1.33.2 control-plane images (kube-proxy 31891765, apiserver 30075899,
  // controller-manager 27646507, scheduler 21782634); v1.32.4 taken as the same size
  'kube-proxy': 31_891_765,
  'kube-apiserver': 30_075_899,
  'kube-controller-manager': 27_646_507,
  'kube-scheduler': 21_782_634,
  // estimate: etcd 3.5.21 was 58938593 (node status); the slim etcd-manager image is smaller
  'etcd-manager/etcd-manager-slim': 41_200_000,
  // estimates: busybox's one static binary in a single layer
  busybox: 727_869,
  // estimates: Debian bookworm-slim plus nginx
  nginx: 72_099_410,
  // estimates: 2017's kube-dns 1.14 images (Go binaries on busybox or Alpine)
  'k8s-dns-kube-dns': 13_472_051,
  'k8s-dns-kube-dns-amd64': 13_472_051,
  'k8s-dns-dnsmasq-nanny': 11_270_942,
  'k8s-dns-dnsmasq-nanny-amd64': 11_270_942,
  'k8s-dns-sidecar': 11_835_210,
  'k8s-dns-sidecar-amd64': 11_835_210,
  'cluster-proportional-autoscaler': 15_127_393,
  'cluster-proportional-autoscaler-amd64': 15_127_393,
  'kope/dns-controller': 24_693_418,
  // estimates: Debian jessie with bind 9.9; Alpine with bind-tools
  'e2e-test-images/jessie-dnsutils': 112_398_721,
  'e2e-test-images/dnsutils': 6_024_811,
  'kubernetes-e2e-test-images/dnsutils': 6_024_811,
  // estimates: Alpine with curl and its libraries; Alpine's base layer
  'curlimages/curl': 10_146_390,
  alpine: 3_644_220,
  // estimates: agnhost's one big Go binary on Alpine; goproxy's small Go binary
  'e2e-test-images/agnhost': 51_172_318,
  goproxy: 2_566_021,
};

/** containerd's size of a catalogue image (an estimate of 10 MB for a repository without a figure) */
export function imageSizeBytes(image: string): number {
  const entry = catalogueEntry(image);
  return (entry && IMAGE_BYTES[entry.repository]) ?? 10_000_000;
}

/**
 * How long a pull takes, as the kubelet's event reports it: a registry round trip or two for the
 * manifest (what an `Always` pull of an image the node has costs), plus the layers at a cloud
 * node's download speed, with some jitter. Returned, not waited for: the lab starts the container
 * at once rather than make every first pod on a node slower.
 */
export function pullTiming(image: string, cached: boolean, random = Math.random): { pullMs: number; waitMs: number } {
  const manifest = 180 + Math.floor(random() * 260);
  const layers = cached ? 0 : Math.floor((imageSizeBytes(image) / 55_000_000) * 1000 * (0.85 + random() * 0.3));
  const pullMs = manifest + layers;
  // "including waiting": the serial image puller's queue, usually nearly empty
  return { pullMs, waitMs: pullMs + Math.floor(random() * 40) };
}
