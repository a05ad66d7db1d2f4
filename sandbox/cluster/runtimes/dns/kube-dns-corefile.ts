// What a kube-dns 1.14 pod served, written as a Corefile: the cluster zone with its reverse
// zones (dnsmasq sent cluster.local, in-addr.arpa and ip6.arpa to kubedns, which answered PTR for
// Service IPs, hence the reverse names in the chapter's first nslookup), pod A records in
// kube-dns's "insecure" style, kube-dns's 30 s TTL, everything else to the node's resolver, and
// no query log (dnsmasq ran without --log-queries).
export function kubeDnsCorefile(opts: { clusterDomain: string; port: number; upstream: string }): string {
  return [
    `.:${opts.port} {`,
    '    errors',
    '    health :8080',
    '    ready :8081',
    `    kubernetes ${opts.clusterDomain} in-addr.arpa ip6.arpa {`,
    '        pods insecure',
    '        fallthrough in-addr.arpa ip6.arpa',
    '        ttl 30',
    '    }',
    '    prometheus :10055',
    `    forward . ${opts.upstream}`,
    '    cache 30',
    '}',
    '',
  ].join('\n');
}

/** the DNS port of a kube-dns family container: dnsmasq serves 53, kubedns its --dns-port */
export function kubeDnsPort(args: string[]): number {
  for (const a of args) {
    const m = /^--?dns-port=(\d+)$/.exec(a);
    if (m) return Number(m[1]);
  }
  return 53;
}
