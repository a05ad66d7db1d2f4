// The resolver inside a busybox 1.28 container (uClibc's __dns_lookup): it sends real DNS queries
// over UDP to the nameserver of the pod's /etc/resolv.conf, through the service proxy, from a
// socket whose port is registered as this pod's, so the DNS server logs the pod IP as the client.
// The query order follows the chapter's CoreDNS log: the name as typed first, then each search
// domain. As in uClibc, NXDOMAIN and SERVFAIL move on to the next search domain; a timeout, an
// unreachable server, another error rcode, or a SERVFAIL on the last name start the search over
// from the name as typed on the next nameserver, `attempts` times per nameserver (resolv.conf
// `options attempts:N`, default 2). PTR lookups use no search list.
import dgram from 'node:dgram';
import { randomInt } from 'node:crypto';
import * as packet from 'dns-packet';
import type { Protocol, ServiceProxy } from '../../proxy/index.ts';
import type { PodRoute } from '../pod-network.ts';
import { sleep } from './context.ts';
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
  /** per query; uclibc waits 5 s, which is too long for a lab whose server is local (resolv.conf `options timeout:N` wins) */
  timeoutMs?: number;
  /** passes over the search list per nameserver (resolv.conf `options attempts:N` wins) */
  attempts?: number;
  /** where a datagram to a nameserver really goes (pod-network.ts); default: the service proxy alone */
  route?: (ip: string, port: number, protocol: Protocol) => Promise<PodRoute>;
  /** the image's C library, whose stub resolver this one behaves as (default: busybox's uClibc) */
  libc?: Libc;
}

/**
 * uclibc: busybox 1.28 (see the top of this file). glibc (Debian images, resolv/res_query.c and
 * res_send.c): with ndots or more dots the name as typed first, else the search list first; each
 * name is asked `attempts` times per nameserver, waiting `timeout` (RES_TIMEOUT, 5 s) each time;
 * NXDOMAIN, NODATA and SERVFAIL move on to the next name, no answer at all ends the lookup.
 * musl (Alpine images, src/network/lookup_name.c and res_msend.c): the search list only below
 * ndots dots, then the name as typed; one query waits `timeout` in all (its retries are spread
 * inside it), and SERVFAIL or no answer ends the lookup.
 */
export type Libc = 'uclibc' | 'glibc' | 'musl';

/** RES_TIMEOUT of glibc and musl: a query waits 5 s for its answer */
const STUB_TIMEOUT_MS = 5000;

/** what one pass of the search gives: an answer to keep, or a reason to try again */
type PassResult =
  | { kind: 'answer'; rcode: string; answers: packet.Answer[]; fqdn: string }
  | { kind: 'retry'; rcode: string };

export class DnsClient {
  readonly #opts: Required<Omit<DnsClientOptions, 'route' | 'libc'>>;
  readonly #libc: Libc;
  readonly #route: (ip: string, port: number, protocol: Protocol) => Promise<PodRoute>;

  constructor(opts: DnsClientOptions) {
    // an option passed as undefined keeps its default (a timeout of undefined would fire at once)
    this.#libc = opts.libc ?? 'uclibc';
    const timeoutMs = opts.timeoutMs ?? (this.#libc === 'uclibc' ? 2000 : STUB_TIMEOUT_MS);
    this.#opts = { podIP: opts.podIP, proxy: opts.proxy, timeoutMs, attempts: opts.attempts ?? 2 };
    this.#route = opts.route ?? (async (ip, port, protocol) => opts.proxy.resolve(ip, port, protocol) ?? 'refused');
  }

  /** one query to one server, as one UDP exchange (retried on timeout) */
  query(server: string, name: string, type: QueryType, signal?: AbortSignal): Promise<QueryResult> {
    return this.#query(server, name, type, { timeoutMs: this.#opts.timeoutMs, attempts: this.#opts.attempts }, signal);
  }

  async #query(
    server: string,
    name: string,
    type: QueryType,
    limits: { timeoutMs: number; attempts: number },
    signal?: AbortSignal,
  ): Promise<QueryResult> {
    const backend = await this.#route(server, 53, 'UDP');
    // no endpoint behind the VIP: kube-proxy rejects, the resolver sees "port unreachable"
    if (backend === 'refused') return { rcode: 'UNREACHABLE', answers: [] };
    // off the cluster network: the query goes nowhere and every attempt waits out its timeout
    if (backend === 'unreachable') {
      for (let attempt = 0; attempt < limits.attempts; attempt++)
        if (!(await sleep(limits.timeoutMs, signal ?? new AbortController().signal))) break;
      return { rcode: 'TIMEOUT', answers: [] };
    }
    const socket = dgram.createSocket('udp4');
    let forget = () => undefined as void;
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(0, '127.0.0.1', () => {
          socket.off('error', reject);
          resolve();
        });
      });
      forget = this.#opts.proxy.clients.register(socket.address().port, 'udp', this.#opts.podIP);
      const id = randomInt(1, 65535);
      const query = packet.encode({ type: 'query', id, flags: packet.RECURSION_DESIRED, questions: [{ type, class: 'IN', name }] });
      for (let attempt = 0; attempt < limits.attempts; attempt++) {
        if (signal?.aborted) return { rcode: 'TIMEOUT', answers: [] };
        const reply = await this.#exchange(socket, query, id, backend, limits.timeoutMs, signal);
        if (reply) {
          // dns-packet names the rcode as it decodes (its type declarations leave the field out)
          const rcode = (reply as { rcode?: string }).rcode ?? `RCODE${(reply.flags ?? 0) & 0xf}`;
          return { rcode, answers: reply.answers ?? [] };
        }
      }
      return { rcode: 'TIMEOUT', answers: [] };
    } finally {
      forget();
      socket.close();
    }
  }

  #exchange(
    socket: dgram.Socket,
    query: Buffer,
    id: number,
    to: { host: string; port: number },
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<packet.Packet | undefined> {
    return new Promise((resolve) => {
      let settled = false;
      const done = (r: packet.Packet | undefined) => {
        if (settled) return;
        settled = true;
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
      // the sandbox shares one event loop with the DNS server: after a stall (a big synchronous
      // import, a loaded machine) the timer and the reply are due together, and timers run
      // first. setImmediate lets the poll phase read a reply that is already there, as poll()
      // in the real resolver would return it, before calling it a timeout.
      const timer = setTimeout(() => setImmediate(() => done(undefined)), timeoutMs);
      socket.on('message', onMessage);
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.send(query, to.port, to.host);
    });
  }

  /** the names to try for a forward lookup, in the C library's order (uclibc's by default) */
  static candidates(name: string, conf: ResolvConf, libc: Libc = 'uclibc'): string[] {
    if (name.endsWith('.')) return [name.slice(0, -1)];
    const searched = conf.searches.map((s) => `${name}.${s}`);
    if (libc === 'uclibc') return [name, ...searched];
    const dots = name.split('.').length - 1;
    if (dots >= conf.ndots) return libc === 'musl' ? [name] : [name, ...searched];
    return [...searched, name];
  }

  /**
   * addresses of one type for a name, through the search list as uClibc walks it (see the top of
   * this file). Returns the addresses and the name they were found under.
   */
  async lookup(
    name: string,
    type: 'A' | 'AAAA',
    conf: ResolvConf,
    signal?: AbortSignal,
  ): Promise<{ addresses: string[]; fqdn?: string; rcode: string }> {
    const candidates = DnsClient.candidates(name, conf, this.#libc);
    const r = this.#libc === 'uclibc' ? await this.#search(candidates, type, conf, signal) : await this.#stubSearch(candidates, type, conf, signal);
    if (r.kind === 'retry') return { addresses: [], rcode: r.rcode };
    if (r.rcode !== 'NOERROR') return { addresses: [], rcode: r.rcode };
    const addresses = r.answers.filter((a) => a.type === type).map((a) => String((a as { data?: unknown }).data));
    return { addresses, fqdn: r.fqdn, rcode: r.rcode };
  }

  /** the passes over the candidates: nameservers x attempts, each from the first candidate */
  async #search(candidates: string[], type: QueryType, conf: ResolvConf, signal?: AbortSignal): Promise<PassResult> {
    const servers = conf.nameservers;
    if (servers.length === 0) return { kind: 'retry', rcode: 'UNREACHABLE' };
    const timeoutMs = conf.timeoutMs ?? this.#opts.timeoutMs;
    const passes = servers.length * Math.max(1, conf.attempts ?? this.#opts.attempts);
    let last: PassResult = { kind: 'retry', rcode: 'TIMEOUT' };
    for (let pass = 0; pass < passes; pass++) {
      if (signal?.aborted) break;
      last = await this.#pass(servers[pass % servers.length]!, candidates, type, timeoutMs, signal);
      if (last.kind === 'answer') return last;
    }
    return last;
  }

  /** glibc's and musl's walk of the candidates (see Libc) */
  async #stubSearch(candidates: string[], type: QueryType, conf: ResolvConf, signal?: AbortSignal): Promise<PassResult> {
    const servers = conf.nameservers;
    if (servers.length === 0) return { kind: 'retry', rcode: 'UNREACHABLE' };
    const timeoutMs = conf.timeoutMs ?? this.#opts.timeoutMs;
    const rounds = this.#libc === 'musl' ? 1 : Math.max(1, conf.attempts ?? this.#opts.attempts);
    let rcode = 'NXDOMAIN';
    for (const candidate of candidates) {
      let r: QueryResult = { rcode: 'TIMEOUT', answers: [] };
      asking: for (let round = 0; round < rounds; round++) {
        for (const server of servers) {
          if (signal?.aborted) return { kind: 'retry', rcode: 'TIMEOUT' };
          r = await this.#query(server, candidate, type, { timeoutMs, attempts: 1 }, signal);
          if (r.rcode !== 'TIMEOUT' && r.rcode !== 'UNREACHABLE') break asking;
        }
      }
      rcode = r.rcode;
      const found = r.rcode === 'NOERROR' && r.answers.some((a) => a.type === type);
      if (found) return { kind: 'answer', rcode, answers: r.answers, fqdn: candidate };
      if (r.rcode === 'NXDOMAIN' || r.rcode === 'NOERROR' || (r.rcode === 'SERVFAIL' && this.#libc === 'glibc')) continue;
      return { kind: 'retry', rcode };
    }
    return { kind: 'answer', rcode: rcode === 'NOERROR' ? 'NOERROR' : 'NXDOMAIN', answers: [], fqdn: candidates.at(-1) ?? '' };
  }

  async #pass(server: string, candidates: string[], type: QueryType, timeoutMs: number, signal?: AbortSignal): Promise<PassResult> {
    let rcode = 'NXDOMAIN';
    for (const [i, candidate] of candidates.entries()) {
      const r = await this.#query(server, candidate, type, { timeoutMs, attempts: 1 }, signal);
      rcode = r.rcode;
      if (r.rcode === 'NXDOMAIN' || r.rcode === 'SERVFAIL') {
        if (i < candidates.length - 1) continue;
        // the last name: "no such host" is final, a server failure is worth another attempt
        return r.rcode === 'NXDOMAIN' ? { kind: 'answer', rcode, answers: [], fqdn: candidate } : { kind: 'retry', rcode };
      }
      if (r.rcode !== 'NOERROR') return { kind: 'retry', rcode };
      return { kind: 'answer', rcode, answers: r.answers, fqdn: candidate };
    }
    return { kind: 'retry', rcode };
  }

  /** the PTR name for an address, or undefined */
  async reverse(ip: string, conf: ResolvConf, signal?: AbortSignal): Promise<string | undefined> {
    const r = await this.#search([reverseName(ip)], 'PTR', conf, signal);
    const ptr = r.kind === 'answer' && r.rcode === 'NOERROR' ? r.answers.find((a) => a.type === 'PTR') : undefined;
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
