// Answers A, AAAA and PTR from a hosts file plus inline entries; re-reads the file when its
// size or mtime changes, and tells the server so its answer cache drops old answers.
import type { DnsRecord, DnsRequest, Handler, Next, PluginContext, ResponseWriter } from '../../core/plugin.ts';
import { Rcode } from '../../core/plugin.ts';
import { reply, packetName, matchZone } from '../../core/respond.ts';
import { trackerOf } from '../../core/chain.ts';
import type { HostsConfig } from './parse.ts';
import { filesOf } from '../../core/files.ts';
import { addHostsText, emptyTable, type HostsTable } from './table.ts';

export class HostsHandler implements Handler {
  readonly name = 'hosts';
  private table: HostsTable = emptyTable();
  private fileStamp = '';
  private timer: NodeJS.Timeout | undefined;
  private readonly allZones: string[];

  constructor(private readonly cfg: HostsConfig, private readonly ctx: PluginContext) {
    this.allZones = [...cfg.zones, 'in-addr.arpa.', 'ip6.arpa.'];
    this.rebuild('');
  }

  private rebuild(fileText: string): void {
    const t = emptyTable();
    addHostsText(t, this.cfg.inline.join('\n'), this.cfg.zones);
    addHostsText(t, fileText, this.cfg.zones);
    this.table = t;
    this.ctx.dataChanged();
  }

  private async load(): Promise<void> {
    let stamp: string;
    try {
      const st = filesOf(this.ctx.hooks).stat(this.cfg.path);
      stamp = `${st.size}/${st.mtimeMs}`;
    } catch {
      if (this.fileStamp !== 'missing') {
        if (this.cfg.path !== '/etc/hosts' || this.cfg.inline.length === 0) this.ctx.log(`[WARNING] plugin/hosts: File does not exist: ${this.cfg.path}`);
        this.fileStamp = 'missing';
        this.rebuild('');
      }
      return;
    }
    if (stamp === this.fileStamp) return;
    this.fileStamp = stamp;
    try {
      this.rebuild(filesOf(this.ctx.hooks).readFile(this.cfg.path));
    } catch (err) {
      this.ctx.log(`[ERROR] plugin/hosts: ${(err as Error).message}`);
    }
  }

  async start(): Promise<void> {
    await this.load();
    if (this.cfg.reloadMs > 0) {
      const tick = () => {
        this.timer = setTimeout(() => void this.load().finally(tick), this.cfg.reloadMs);
        this.timer.unref();
      };
      tick();
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  async serveDNS(req: DnsRequest, w: ResponseWriter, next: Next) {
    const qname = req.qname;
    if (!matchZone(qname, this.allZones)) return next(req, w);
    const name = packetName(req.qnameOriginal);
    const ttl = this.cfg.ttl;
    let answers: DnsRecord[] = [];
    const v4 = this.table.v4.get(qname);
    const v6 = this.table.v6.get(qname);
    const ptr = this.cfg.noReverse ? undefined : this.table.ptr.get(qname);
    switch (req.qtype) {
      case 'A':
        answers = (v4 ?? []).map((ip) => ({ name, type: 'A', class: 'IN', ttl, data: ip }) as DnsRecord);
        break;
      case 'AAAA':
        answers = (v6 ?? []).map((ip) => ({ name, type: 'AAAA', class: 'IN', ttl, data: ip }) as DnsRecord);
        break;
      case 'PTR':
        answers = (ptr ?? []).map((target) => ({ name, type: 'PTR', class: 'IN', ttl, data: packetName(target) }) as DnsRecord);
        break;
    }
    if (answers.length === 0 && !v4 && !v6 && !ptr) {
      if (this.cfg.fall.through(qname)) return next(req, w);
      // no SOA to send an NXDOMAIN with, so CoreDNS's hosts answers SERVFAIL; it follows from the
      // table alone, so the server may reuse it until the table changes
      const t = trackerOf(req);
      if (t) t.deterministicFailure = true;
      w.write(reply(req, { rcode: Rcode.SERVFAIL }));
      return Rcode.SERVFAIL;
    }
    w.write(reply(req, { authoritative: true, answers }));
    return Rcode.NOERROR;
  }
}
