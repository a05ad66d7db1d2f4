// Counts every query into CoreDNS's series and serves them on GET /metrics.
import { isIPv6 } from 'node:net';
import type { DnsRequest, Handler, Next, ResponseWriter } from '../../core/plugin.ts';
import type { InstanceShared } from '../../core/shared.ts';
import { HttpEndpoint } from '../../core/http-listeners.ts';
import type { HitEvent, FastHitObserver } from '../../core/fast-path.ts';
import { typeLabel } from '../../core/metric-labels.ts';
import { trackerOf } from '../../core/chain.ts';
import { rcodeName } from '../../wire/constants.ts';
import type { PrometheusConfig } from './parse.ts';
import * as dnsPacket from 'dns-packet';

interface Observation {
  zone: string;
  proto: 'udp' | 'tcp';
  family: string;
  qtype: string;
  do: boolean;
  reqSize: number;
  rcode: number;
  plugin: string;
  rsize: number;
  seconds: number;
}

export class PrometheusHandler implements Handler, FastHitObserver {
  readonly name = 'prometheus';
  private readonly endpoint = new HttpEndpoint();
  private readonly server: string;
  constructor(
    private readonly cfg: PrometheusConfig,
    private readonly shared: InstanceShared,
    port: number,
    private readonly zones: string[],
  ) {
    this.server = `dns://:${port}`;
  }

  async serveDNS(req: DnsRequest, w: ResponseWriter, next: Next) {
    const rcode = await next(req, w);
    const resp = w.response;
    let rsize = 0;
    if (resp) {
      try {
        rsize = dnsPacket.encodingLength(resp);
      } catch {
        rsize = 0;
      }
    }
    this.observe({
      zone: req.zone,
      proto: req.client.transport,
      family: isIPv6(req.client.address) ? '2' : '1',
      qtype: req.qtype,
      do: req.do,
      reqSize: req.size,
      rcode: resp ? (resp.flags ?? 0) & 0xf : rcode,
      plugin: resp ? (trackerOf(req)?.writer ?? '') : '',
      rsize,
      seconds: Number(process.hrtime.bigint() - req.startNs) / 1e9,
    });
    return rcode;
  }

  onFastHit(ev: HitEvent): void {
    this.observe({
      zone: ev.zone,
      proto: ev.client.transport,
      family: isIPv6(ev.client.address) ? '2' : '1',
      qtype: ev.qtype,
      do: ev.do,
      reqSize: ev.size,
      rcode: ev.rcode,
      plugin: ev.plugin,
      rsize: ev.wireSize,
      seconds: Number(process.hrtime.bigint() - ev.startNs) / 1e9,
    });
  }

  private observe(o: Observation): void {
    const m = this.shared.metrics();
    const base = { server: this.server, zone: o.zone, view: '' };
    m.requests.inc({ ...base, proto: o.proto, family: o.family, type: typeLabel(o.qtype) });
    if (o.do) m.doRequests.inc(base);
    m.requestSize.observe({ ...base, proto: o.proto }, o.reqSize);
    m.responseSize.observe({ ...base, proto: o.proto }, o.rsize);
    m.duration.observe(base, o.seconds);
    m.responses.inc({ ...base, rcode: rcodeName(o.rcode), plugin: o.plugin });
  }

  async start(): Promise<void> {
    const m = this.shared.metrics();
    for (const zone of this.zones)
      for (const h of this.shared.handlers()) m.pluginEnabled.set({ server: this.server, zone, view: '', name: h.name }, 1);
    await this.endpoint.open(this.shared.http, 'metrics', this.cfg.address, 9153, '/metrics', (_req, res) => {
      m.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': m.registry.contentType }).end(text),
        (err: Error) => res.writeHead(500).end(err.message),
      );
    });
  }

  addresses() {
    return this.endpoint.addresses();
  }

  async stop(): Promise<void> {
    await this.endpoint.close();
  }
}
