// The resolver inside a busybox 1.28 container (uclibc's): it sends real DNS queries over UDP to
// the nameserver of the pod's /etc/resolv.conf, through the service proxy, from a socket whose
// port is registered as this pod's, so the DNS server logs the pod IP as the client.
// The query order follows the chapter's CoreDNS log: the name as typed first, then each search
// domain, stopping at the first answer that is not NXDOMAIN; PTR lookups use no search list.
import dgram from 'node:dgram';
import { randomInt } from 'node:crypto';
import * as packet from 'dns-packet';
import type { ServiceProxy } from '../../proxy/index.ts';
import type { ResolvConf } from '../pod-files.ts';

export type QueryType = 'A' | 'AAAA' | 'PTR';

export interface QueryResult {
  /** 'NOERROR', 'NXDOMAIN', 'SERVFAIL' ..., or 'UNREACHABLE' / 'TIMEOUT' when nothing answered */
  rcode: string;
  answers: packet.Answer[];
}

export interface DnsClientOptions {
  podIP: string;
  proxy: ServiceProxy;
  /** per attempt; uclibc waits 5 s, which is too long for a lab whose server is local */
  timeoutMs?: number;
  attempts?: number;
}

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

export class DnsClient {
  readonly #opts: Required<DnsClientOptions>;

  constructor(opts: DnsClientOptions) {
    // an option passed as undefined keeps its default (a timeout of undefined would fire at once)
    this.#opts = { ...opts, timeoutMs: opts.timeoutMs ?? 2000, attempts: opts.attempts ?? 2 };
  }

  /** one query to one server, as one UDP exchange (retried on timeout) */
  async query(server: string, name: string, type: QueryType, signal?: AbortSignal): Promise<QueryResult> {
    const backend = this.#opts.proxy.resolve(server, 53, 'UDP');
    // no endpoint behind the VIP: kube-proxy rejects, the resolver sees "port unreachable"
    if (!backend) return { rcode: 'UNREACHABLE', answers: [] };
    const socket = dgram.createSocket('udp4');
    let forget = () => undefined as void;
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(0, '127.0.0.1', () => { socket.off('error', reject); resolve(); });
      });
      forget = this.#opts.proxy.clients.register(socket.address().port, 'udp', this.#opts.podIP);
      const id = randomInt(1, 65535);
      const query = packet.encode({ type: 'query', id, flags: packet.RECURSION_DESIRED, questions: [{ type, class: 'IN', name }] });
      for (let attempt = 0; attempt < this.#opts.attempts; attempt++) {
        if (signal?.aborted) return { rcode: 'TIMEOUT', answers: [] };
        const reply = await this.#exchange(socket, query, id, backend, signal);
        if (reply) {
          const rcode = RCODES[(reply.flags ?? 0) & 0xf] ?? `RCODE${(reply.flags ?? 0) & 0xf}`;
          return { rcode, answers: reply.answers ?? [] };
        }
      }
      return { rcode: 'TIMEOUT', answers: [] };
    } finally {
      forget();
      socket.close();
    }
  }

  #exchange(socket: dgram.Socket, query: Buffer, id: number, to: { host: string; port: number }, signal?: AbortSignal): Promise<packet.Packet | undefined> {
    return new Promise((resolve) => {
      const done = (r: packet.Packet | undefined) => {
        clearTimeout(timer);
        socket.off('message', onMessage);
        signal?.removeEventListener('abort', onAbort);
        resolve(r);
      };
      const onMessage = (msg: Buffer) => {
        try {
          const p = packet.decode(msg);
          if (p.id === id) done(p);
        } catch {
          // a malformed datagram is ignored, as a stub resolver does
        }
      };
      const onAbort = () => done(undefined);
      const timer = setTimeout(() => done(undefined), this.#opts.timeoutMs);
      socket.on('message', onMessage);
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.send(query, to.port, to.host);
    });
  }

  /** the names to try for a forward lookup, in uclibc's order */
  static candidates(name: string, conf: ResolvConf): string[] {
    if (name.endsWith('.')) return [name.slice(0, -1)];
    return [name, ...conf.searches.map((s) => `${name}.${s}`)];
  }

  /**
   * addresses of one type for a name: tries the candidates in order until a server answers with
   * anything but NXDOMAIN. Returns the addresses and the name they were found under.
   */
  async lookup(name: string, type: 'A' | 'AAAA', conf: ResolvConf, signal?: AbortSignal): Promise<{ addresses: string[]; fqdn?: string; rcode: string }> {
    const server = conf.nameservers[0];
    if (!server) return { addresses: [], rcode: 'UNREACHABLE' };
    let last = 'NXDOMAIN';
    for (const candidate of DnsClient.candidates(name, conf)) {
      const r = await this.query(server, candidate, type, signal);
      last = r.rcode;
      if (r.rcode === 'NXDOMAIN') continue;
      if (r.rcode !== 'NOERROR') return { addresses: [], rcode: r.rcode };
      const addresses = r.answers.filter((a) => a.type === type).map((a) => String((a as { data?: unknown }).data));
      return { addresses, fqdn: candidate, rcode: r.rcode };
    }
    return { addresses: [], rcode: last };
  }

  /** the PTR name for an address, or undefined */
  async reverse(ip: string, conf: ResolvConf, signal?: AbortSignal): Promise<string | undefined> {
    const server = conf.nameservers[0];
    if (!server) return undefined;
    const r = await this.query(server, reverseName(ip), 'PTR', signal);
    const ptr = r.rcode === 'NOERROR' ? r.answers.find((a) => a.type === 'PTR') : undefined;
    return ptr ? String((ptr as { data?: unknown }).data).replace(/\.$/, '') : undefined;
  }
}

export function reverseName(ip: string): string {
  if (ip.includes(':')) {
    const full = expandIPv6(ip);
    return full.replace(/:/g, '').split('').reverse().join('.') + '.ip6.arpa';
  }
  return ip.split('.').reverse().join('.') + '.in-addr.arpa';
}

function expandIPv6(ip: string): string {
  const [head, tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail ? tail.split(':') : [];
  const missing = 8 - h.length - t.length;
  const groups = tail !== undefined ? [...h, ...Array(missing).fill('0'), ...t] : h;
  return groups.map((g) => g.padStart(4, '0')).join(':');
}

export function isIPv4(s: string): boolean {
  return /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s) && s.split('.').every((o) => Number(o) <= 255);
}
