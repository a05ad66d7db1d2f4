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

/** kube-dns's SRV records (its util.NewServiceRecord): priority 10, weight 10 each */
const KUBE_DNS_SRV_PRIORITY = 10;
const KUBE_DNS_SRV_WEIGHT = 10;

/** the offset just past a (possibly compressed) name at `o` */
function skipName(buf: Buffer, o: number): number {
  while (o < buf.length) {
    const len = buf[o]!;
    if (len === 0) return o + 1;
    if ((len & 0xc0) === 0xc0) return o + 2;
    o += 1 + len;
  }
  return buf.length;
}

/**
 * A reply of the stand-in server as kube-dns 1.14 behind dnsmasq sent it: RA set (SkyDNS sets
 * RecursionAvailable on its answers and dnsmasq, a recursive forwarder, on its own), and SRV
 * records with kube-dns's priority 10 and the weight SkyDNS's SRVRecords computes from them:
 * 100 / (the sum of the weights of that priority) * the record's weight, rounded down, which for
 * n records of weight 10 is floor(100/n) reached through the same float arithmetic. Patched in
 * place, so sizes and the rest of the message stay as the server wrote them.
 */
export function kubeDnsReply(reply: Buffer): Buffer {
  if (reply.length < 12) return reply;
  reply[3] = reply[3]! | 0x80;
  const qd = reply.readUInt16BE(4);
  const an = reply.readUInt16BE(6);
  let o = 12;
  for (let i = 0; i < qd; i++) o = skipName(reply, o) + 4;
  const srv: number[] = [];
  for (let i = 0; i < an && o + 10 <= reply.length; i++) {
    o = skipName(reply, o);
    const type = reply.readUInt16BE(o);
    const rdlen = reply.readUInt16BE(o + 8);
    const rdata = o + 10;
    if (type === 33 && rdata + 4 <= reply.length) srv.push(rdata);
    o = rdata + rdlen;
  }
  if (srv.length) {
    const weight = Math.floor((100 / (KUBE_DNS_SRV_WEIGHT * srv.length)) * KUBE_DNS_SRV_WEIGHT);
    for (const r of srv) {
      reply.writeUInt16BE(KUBE_DNS_SRV_PRIORITY, r);
      reply.writeUInt16BE(weight, r + 2);
    }
  }
  return reply;
}
