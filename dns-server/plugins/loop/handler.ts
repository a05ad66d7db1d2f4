// Detects a forwarding loop: at start it sends "<random>.<random>.<zone> HINFO" to its own
// server; if that query comes back through the chain more than twice, queries are going in
// circles (e.g. forward to a resolv.conf pointing at ourselves) and the server halts.
// As CoreDNS's loop/setup.go: one probe; only a probe that gets no reply (the exchange's 2 s
// timeout) is sent again, after 1 s, for at most 30 s; 2 s after a reply the plugin disables itself.
import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import * as dnsPacket from 'dns-packet';
import type { Handler, Next, ResponseWriter, DnsRequest } from '../../core/plugin.ts';
import type { InstanceShared } from '../../core/shared.ts';

const RETRY_AFTER_MS = 1000;
const EXCHANGE_TIMEOUT_MS = 2000;
const DISABLE_AFTER_MS = 2000;
const PROBE_FOR_MS = 30_000;

const randomLabel = () => randomBytes(8).readBigUInt64BE().toString();

export class LoopHandler implements Handler {
  readonly name = 'loop';
  private readonly probe: string;
  private seen = 0;
  private timer: NodeJS.Timeout | undefined;
  private socket: dgram.Socket | undefined;
  private stopped = false;
  private disabled = false;

  constructor(
    private readonly zone: string,
    private readonly port: number,
    private readonly shared: InstanceShared,
    private readonly log: (line: string) => void,
  ) {
    this.probe = `${randomLabel()}.${randomLabel()}.${zone === '.' ? '' : zone}`;
  }

  async serveDNS(req: DnsRequest, w: ResponseWriter, next: Next) {
    if (this.disabled || req.qtype !== 'HINFO' || req.qname !== this.probe) return next(req, w);
    this.seen++;
    if (this.seen > 2) {
      this.shared.fatal(
        `plugin/loop: Loop (${req.client.address}:${req.client.port} -> :${this.port}) detected for zone "${this.zone}", see https://coredns.io/plugins/loop#troubleshooting. Query: "HINFO ${this.probe}"`,
      );
    }
    return next(req, w);
  }

  async start(): Promise<void> {
    const addr = this.shared.dnsAddress(this.port);
    if (!addr) return;
    const host = addr.host === '0.0.0.0' ? '127.0.0.1' : addr.host === '::' ? '::1' : addr.host;
    this.socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    this.socket.on('error', () => {});
    this.socket.on('message', () => {
      this.stopProbing();
      this.timer = setTimeout(() => {
        this.disabled = true;
      }, DISABLE_AFTER_MS);
      this.timer.unref();
    });
    const started = Date.now();
    const send = () => {
      if (this.stopped || Date.now() - started > PROBE_FOR_MS) return this.stopProbing();
      const q = dnsPacket.encode({
        type: 'query',
        id: randomBytes(2).readUInt16BE(),
        flags: dnsPacket.RECURSION_DESIRED,
        questions: [{ type: 'HINFO', name: this.probe.replace(/\.$/, '') }],
      });
      try {
        this.socket?.send(q, addr.port, host);
      } catch {
        return this.stopProbing();
      }
      this.timer = setTimeout(() => {
        this.timer = setTimeout(send, RETRY_AFTER_MS);
        this.timer.unref();
      }, EXCHANGE_TIMEOUT_MS);
      this.timer.unref();
    };
    send();
  }

  /** a probe is out or a retry is scheduled (tests) */
  get probing(): boolean {
    return this.socket !== undefined;
  }

  private stopProbing(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.socket?.close();
    this.socket = undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopProbing();
  }
}
