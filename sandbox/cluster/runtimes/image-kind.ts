// Which runtime a container gets, decided by its image reference the way an operator reads it:
// CoreDNS images and the project's own dns-server image run the real dns-server; the kube-dns
// family runs it with a Corefile equivalent to what kube-dns served; busybox gets the busybox
// shell; anything else idles as a Running container with a few plausible log lines.

export type RuntimeKind = 'coredns' | 'kube-dns' | 'kube-dns-sidecar' | 'busybox' | 'idle';

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

export function runtimeKind(image: string | undefined): RuntimeKind {
  const repo = imageRepository(image ?? '');
  const last = repo.split('/').pop() ?? '';
  if (repo === 'coredns/coredns' || repo === 'coredns' || repo === LAB_DNS_IMAGE || last === 'dns-server' || last === 'coredns') return 'coredns';
  if (/^k8s-dns-(kube-dns|dnsmasq-nanny|dnsmasq)(-[a-z0-9]+)?$/.test(last) || /^kubedns(-[a-z0-9]+)?$/.test(last) || /^kube-dnsmasq(-[a-z0-9]+)?$/.test(last)) return 'kube-dns';
  if (/^k8s-dns-sidecar(-[a-z0-9]+)?$/.test(last) || /^exechealthz(-[a-z0-9]+)?$/.test(last)) return 'kube-dns-sidecar';
  if (last === 'busybox') return 'busybox';
  return 'idle';
}
