// The kubernetes plugin's ServeDNS: match a zone or pass the query on, look it up in the live
// model, apply fallthrough and the not-yet-synced SERVFAIL, resolve ExternalName targets outside
// the cluster through the rest of the chain, and write an authoritative reply.
import { networkInterfaces } from 'node:os';
import { Rcode, type DnsMessage, type DnsRecord, type DnsRequest, type Handler, type Next, type PluginContext, type ResponseWriter } from '../../core/plugin.ts';
import type { ClusterWatch } from './informers.ts';
import type { KubeSource } from './source.ts';
import { Lookup, type Reply } from './lookup.ts';
import { ClusterModel } from './model.ts';
import { inZone, matchZone } from '../../core/respond.ts';
import type { KubernetesConfig } from './parse.ts';
import { FLAG_AA, FLAG_CD, FLAG_RD, FLAG_TC, OPCODE_MASK } from '../../wire/constants.ts';

/** the addresses NS records should lead to: POD_IPS/POD_IP from the embedder, else every interface */
export function localAddresses(env: Record<string, string | undefined>): string[] {
  const given = env.POD_IPS ?? env.POD_IP;
  if (given) return given.split(',').map((s) => s.trim()).filter(Boolean);
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.push(a.address.replace(/%.*$/, ''));
  return out;
}

class CaptureWriter implements ResponseWriter {
  response: DnsMessage | undefined;
  write(msg: DnsMessage): void {
    this.response ??= msg;
  }
}

export class KubernetesHandler implements Handler {
  readonly name = 'kubernetes';
  readonly model = new ClusterModel();
  private readonly lookup: Lookup;
  private watch: ClusterWatch | undefined;
  private changePending = false;

  constructor(
    readonly cfg: KubernetesConfig,
    private readonly ctx: PluginContext,
    private readonly source: KubeSource,
  ) {
    this.lookup = new Lookup({ model: this.model, cfg, localIPs: localAddresses(ctx.env) });
    // one invalidation per burst of events (a relist delivers thousands in one tick)
    this.model.onChange = () => {
      if (this.changePending) return;
      this.changePending = true;
      queueMicrotask(() => {
        this.changePending = false;
        this.ctx.dataChanged();
      });
    };
  }

  async start(): Promise<void> {
    // loaded here, not at import: servers without this plugin never pay for client-node
    const [{ ClusterWatch }, { apiAccess }] = await Promise.all([import('./informers.ts'), import('./access.ts')]);
    const access = await apiAccess(this.source, this.ctx.env, {
      files: this.ctx.hooks.files,
      mapUpstream: this.ctx.hooks.mapUpstream?.bind(this.ctx.hooks),
    });
    this.watch = new ClusterWatch(access, this.cfg, this.model, this.ctx.log);
    this.watch.start();
    if (await this.watch.waitForSync(Math.min(500, this.cfg.startupTimeoutMs))) return;
    this.ctx.log('[INFO] plugin/kubernetes: waiting for Kubernetes API before starting server');
    if (!(await this.watch.waitForSync(Math.max(0, this.cfg.startupTimeoutMs - 500)))) {
      this.ctx.log('[WARNING] plugin/kubernetes: starting server with unsynced Kubernetes API');
    }
  }

  async stop(): Promise<void> {
    await this.watch?.stop();
    this.watch = undefined;
  }

  ready(): boolean {
    return this.watch?.synced ?? false;
  }

  /** the longest plugin zone holding qname */
  matchZone(qname: string): string | undefined {
    return matchZone(qname, this.cfg.zones);
  }

  private fallsThrough(qname: string): boolean {
    const f = this.cfg.fallthrough;
    return f !== undefined && (f.length === 0 || f.some((z) => inZone(qname, z)));
  }

  async serveDNS(req: DnsRequest, w: ResponseWriter, next: Next): Promise<Rcode> {
    const zone = this.matchZone(req.qname);
    if (!zone) return next(req, w);
    const original = req.qnameOriginal.endsWith('.') ? req.qnameOriginal : `${req.qnameOriginal}.`;
    const reply = this.lookup.resolve({ name: req.qname, original, type: req.qtype, zone });
    let rcode: Rcode = Rcode[reply.rcode];
    if (reply.nameError) {
      if (this.fallsThrough(req.qname)) return next(req, w);
      if (!this.ready()) rcode = Rcode.SERVFAIL;
    }
    const truncated = reply.chase ? await this.chase(req, reply, next, original.slice(original.length - zone.length)) : false;
    const m = this.message(req, reply, rcode);
    if (truncated) m.flags = (m.flags ?? 0) | FLAG_TC;
    w.write(m);
    return rcode;
  }

  /**
   * CoreDNS's upstream.Lookup for an ExternalName outside our zones: ask the plugins after us.
   * True when their answer was truncated (backend_lookup.go carries m1.Truncated to the reply).
   */
  private async chase(req: DnsRequest, reply: Reply, next: Next, zoneCased: string): Promise<boolean> {
    const { target, type } = reply.chase!;
    const name = `${target}.`;
    const msg: DnsMessage = { id: (Math.random() * 65536) | 0, type: 'query', flags: FLAG_RD, questions: [{ name: target, type, class: 'IN' }] };
    const sub: DnsRequest = { ...req, msg, qname: name.toLowerCase(), qnameOriginal: name, qtype: type };
    const cw = new CaptureWriter();
    try {
      await next(sub, cw);
    } catch {
      reply.answer.length = 0; // the CNAME cannot be completed: CoreDNS drops it (NODATA)
      reply.authority.push(this.lookup.soa(zoneCased));
      return false;
    }
    const got = (cw.response?.answers ?? []) as DnsRecord[];
    reply.answer.push(...got);
    return ((cw.response?.flags ?? 0) & FLAG_TC) !== 0;
  }

  private message(req: DnsRequest, reply: Reply, rcode: Rcode): DnsMessage {
    const flags = (req.msg.flags ?? 0) & (FLAG_RD | FLAG_CD | OPCODE_MASK);
    return {
      id: req.msg.id,
      type: 'response',
      flags: flags | (reply.aa ? FLAG_AA : 0) | rcode,
      questions: req.msg.questions,
      answers: reply.answer,
      authorities: reply.authority,
      additionals: reply.additional,
    };
  }
}
