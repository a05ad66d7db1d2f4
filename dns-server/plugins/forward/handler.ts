// Sends queries for FROM to the upstreams, in policy order, skipping ones that failed
// max_fails times (health-checked back). As CoreDNS's forward: over the client's transport
// (force_tcp: TCP; prefer_udp: UDP first), and a truncated UDP answer is asked again over TCP
// only with prefer_udp; otherwise it goes to the client with TC, which retries over TCP itself.
import * as dnsPacket from 'dns-packet';
import type { DnsMessage, DnsRequest, Handler, Next, ResponseWriter } from '../../core/plugin.ts';
import { Rcode } from '../../core/plugin.ts';
import type { InstanceShared } from '../../core/shared.ts';
import { inZone, reply } from '../../core/respond.ts';
import { rcodeName, FLAG_TC } from '../../wire/constants.ts';
import type { ForwardConfig, UpstreamAddress } from './parse.ts';
import { UdpExchanger, exchangeTcp, hostPort, UpstreamError, WrongAnswerError, type UpstreamNet } from './exchange.ts';

/** forward.go's defaultTimeout: how long one query goes on trying the upstreams */
export const FORWARD_DEADLINE_MS = 5000;
/** the shortest pass over the upstreams before the next one */
const RETRY_PAUSE_MS = 100;

export class NoHealthyUpstream extends Error {
  readonly code = 'DNS_ERR_NO_HEALTHY_UPSTREAM';
}

class Upstream {
  fails = 0;
  checking: NodeJS.Timeout | undefined;
  constructor(readonly addr: UpstreamAddress) {}
}

export class ForwardHandler implements Handler {
  readonly name: string;
  private readonly upstreams: Upstream[];
  private readonly udp: UdpExchanger;
  private inflight = 0;
  private rr = 0;
  private stopped = false;

  constructor(private readonly cfg: ForwardConfig, private readonly shared: InstanceShared, private readonly log: (line: string) => void, name = 'forward', private readonly net: UpstreamNet = {}) {
    this.name = name;
    this.udp = new UdpExchanger(net);
    this.upstreams = cfg.to.map((a) => new Upstream(a));
  }

  /** upstream order for one query */
  private order(): Upstream[] {
    const list = [...this.upstreams];
    if (this.cfg.policy === 'random') {
      for (let i = list.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [list[i], list[j]] = [list[j]!, list[i]!];
      }
    } else if (this.cfg.policy === 'round_robin') {
      const k = this.rr++ % list.length;
      return [...list.slice(k), ...list.slice(0, k)];
    }
    return list;
  }

  private down(u: Upstream): boolean {
    return this.cfg.maxFails > 0 && u.fails >= this.cfg.maxFails;
  }

  async serveDNS(req: DnsRequest, w: ResponseWriter, next: Next) {
    if (!inZone(req.qname, this.cfg.from) || this.cfg.except.some((e) => inZone(req.qname, e))) return next(req, w);
    if (this.cfg.maxConcurrent > 0 && this.inflight >= this.cfg.maxConcurrent) {
      this.shared.metrics().forwardMaxConcurrentRejects.inc();
      return Rcode.REFUSED;
    }
    this.inflight++;
    try {
      const resp = await this.resolve(req.msg, req.client.transport);
      w.write(resp);
      return ((resp.flags ?? 0) & 0xf) as Rcode;
    } catch (err) {
      if (!(err instanceof WrongAnswerError)) throw err;
      // forward.go: "Wrong reply for id", and the client gets FORMERR for its own question
      w.write(reply(req, { rcode: Rcode.FORMERR }));
      return Rcode.NOERROR;
    } finally {
      this.inflight--;
    }
  }

  /**
   * the upstream's answer to msg: the upstreams in order, again and again until one answers or
   * the query's deadline passes (forward.go ServeDNS: defaultTimeout, 5 s; each try waits the 2 s
   * read timeout, so one silent upstream gives SERVFAIL after the third try, at about 6 s). The
   * proxy plugin tries each upstream once. Throws the last error when none answered.
   */
  async resolve(msg: DnsMessage, transport: 'udp' | 'tcp' = 'udp'): Promise<DnsMessage> {
    const deadline = Date.now() + (this.name === 'forward' ? FORWARD_DEADLINE_MS : 0);
    let lastErr: Error = new NoHealthyUpstream('no healthy upstream');
    do {
      const pass = Date.now();
      let candidates = this.order().filter((u) => !this.down(u));
      if (candidates.length === 0) {
        // every upstream is marked down: try one anyway, the network may be back
        this.shared.metrics().forwardHealthcheckBroken.inc();
        candidates = [this.upstreams[Math.floor(Math.random() * this.upstreams.length)]!];
      }
      for (const u of candidates) {
        const t0 = process.hrtime.bigint();
        try {
          const resp = await this.exchange(msg, u.addr, transport);
          u.fails = 0;
          this.shared.metrics().forwardDuration.observe({ proxy_name: this.name === 'proxy' ? 'proxy' : 'forward', to: hostPort(u.addr), rcode: rcodeName((resp.flags ?? 0) & 0xf) }, Number(process.hrtime.bigint() - t0) / 1e9);
          return resp;
        } catch (err) {
          if (err instanceof WrongAnswerError) throw err;
          lastErr = err as Error;
          u.fails++;
          this.startHealthCheck(u);
        }
      }
      // upstreams that fail at once (a refused port) are tried again no faster than every RETRY_PAUSE_MS, not in a busy loop
      const left = deadline - Date.now();
      const pause = Math.min(left, RETRY_PAUSE_MS - (Date.now() - pass));
      if (left > 0 && pause > 0) await new Promise((r) => setTimeout(r, pause));
    } while (Date.now() < deadline && !this.stopped);
    throw lastErr;
  }

  private async exchange(msg: DnsMessage, to: UpstreamAddress, transport: 'udp' | 'tcp'): Promise<DnsMessage> {
    const query: DnsMessage = { ...msg, type: 'query' };
    const proto = this.cfg.forceTcp ? 'tcp' : this.cfg.preferUdp ? 'udp' : transport;
    let wire: Buffer;
    if (proto === 'tcp') wire = await exchangeTcp(query, to, this.cfg.readTimeoutMs, this.net);
    else {
      wire = await this.udp.exchange(query, to, this.cfg.readTimeoutMs);
      if (wire.readUInt16BE(2) & FLAG_TC && this.cfg.preferUdp) wire = await exchangeTcp(query, to, this.cfg.readTimeoutMs, this.net);
    }
    let resp: DnsMessage;
    try {
      resp = dnsPacket.decode(wire);
    } catch (err) {
      throw new UpstreamError(`bad answer from ${hostPort(to)}: ${(err as Error).message}`);
    }
    const q = msg.questions?.[0];
    const rq = resp.questions?.[0];
    const matches = resp.type === 'response' && resp.questions?.length === 1 && rq && q &&
      rq.name.toLowerCase() === q.name.toLowerCase() && rq.type === q.type;
    if (q && !matches) throw new WrongAnswerError(`answer from ${hostPort(to)} is for another question`);
    return resp;
  }

  private startHealthCheck(u: Upstream): void {
    if (u.checking || this.stopped || this.cfg.healthCheckMs <= 0) return;
    const probe: DnsMessage = {
      type: 'query', id: 0, flags: this.cfg.healthCheckRecursion ? dnsPacket.RECURSION_DESIRED : 0,
      questions: [{ name: this.cfg.healthCheckDomain === '.' ? '.' : this.cfg.healthCheckDomain.replace(/\.$/, ''), type: 'NS', class: 'IN' }],
    };
    u.checking = setInterval(() => {
      this.udp.exchange(probe, u.addr, Math.min(this.cfg.readTimeoutMs, 1000)).then(
        () => {
          u.fails = 0;
          if (u.checking) clearInterval(u.checking);
          u.checking = undefined;
        },
        () => {
          if (u.fails < this.cfg.maxFails) u.fails = this.cfg.maxFails;
          this.log(`[WARNING] plugin/${this.name}: health check of ${hostPort(u.addr)} failed`);
        },
      );
    }, this.cfg.healthCheckMs);
    u.checking.unref();
  }

  /** for tests: how many failures an upstream has */
  failsOf(index: number): number {
    return this.upstreams[index]?.fails ?? 0;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const u of this.upstreams) if (u.checking) clearInterval(u.checking);
    this.udp.close();
  }
}
