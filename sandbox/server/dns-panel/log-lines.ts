// Reads DNS servers' log lines into queries. Two dialects carry queries:
// - CoreDNS's `log` plugin (Common Log Format, the default since 1.2.6):
//   `[INFO] 10.0.0.5:41234 - 4470 "A IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR qr,aa,rd 106 0.000191s`,
//   the 1.1-1.2.5 form with `[{when}]` after the dash, and the 2017 form without port and id
//   (`100.96.5.3 - [03/Nov/2017:01:35:35 +0000] "A IN ... udp 54 false 512" NOERROR qr,aa,rd,ra 70 101.123µs`);
// - dnsmasq with --log-queries (kube-dns's dnsmasq container): `query[A] name from 10.0.0.5`, then a
//   `reply|cached|config name is <answer>` line that carries the outcome. No duration, no id.
// Anything else (banners, errors, health probes) is not a query and gives nothing.
import type { DnsQuery, DnsServerRef } from './protocol.ts';

/** a line's kubelet timestamp (`?timestamps=true`), split off: `2026-12-06T00:11:08.123456789Z rest` */
export function splitTimestamp(line: string): { at: string | null; text: string } {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (.*)$/.exec(line);
  if (!m) return { at: null, text: line };
  const ms = Date.parse(m[1]);
  return { at: Number.isNaN(ms) ? null : new Date(ms).toISOString(), text: m[2] };
}

const GO_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.Duration text (`101.123µs`, `1.5ms`, `0.000191s`, `1m2.5s`) in milliseconds, or null */
export function goDurationMs(text: string): number | null {
  if (!/^(\d+(\.\d+)?(ns|us|µs|μs|ms|s|m|h))+$/.test(text)) return null;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(m[1]) * GO_UNITS[m[2]];
  return total;
}

type Parsed = Omit<DnsQuery, 'at' | 'server' | 'client'>;

// remote, then (id | [when] id | [when]), then the quoted question, rcode, flags, size, duration
const COREDNS = new RegExp(
  String.raw`^(?:\[INFO\] )?(?:plugin/log: )?(\[[0-9a-fA-F:.%]+\]|[^\s\[\]]+?)(?::(\d+))? - (?:\[[^\]]*\] )?(?:(\d+) )?` +
    String.raw`"(\S+) (\S+) (\S+) (udp|tcp) \d+ (?:true|false) \d+" ([A-Z0-9]+) (\S*) \d+ (\S+)(?: "\S*")?$`,
);

/** one CoreDNS `log` line, or null when the line is not one */
export function parseCoreDnsLine(text: string): Parsed | null {
  const m = COREDNS.exec(text.replace(/^\S+ \[INFO\] /, '[INFO] '));
  if (!m) return null;
  const [, remote, port, id, type, , name, proto, rcode, flags, duration] = m;
  return {
    clientIp: remote.replace(/^\[|\]$/g, ''),
    clientPort: port ? Number(port) : null,
    id: id ? Number(id) : null,
    type,
    name,
    proto: proto as 'udp' | 'tcp',
    rcode,
    flags: flags && flags !== '-' ? flags.split(',') : [],
    durationMs: goDurationMs(duration),
    line: text,
  };
}

// `dnsmasq[1]: query[A] x from 1.2.3.4`; with --log-queries=extra a serial and `ip/port` come first
const DNSMASQ_QUERY = /^(?:.*?dnsmasq\[\d+\]: )?(?:\d+ (\S+)\/(\d+) )?query\[([A-Z0-9]+)\] (\S+) from (\S+)$/;
const DNSMASQ_OUTCOME = /^(?:.*?dnsmasq\[\d+\]: )?(?:\d+ \S+\/\d+ )?(reply|cached|config|\/etc\/hosts|\S+\/hosts) (\S+) is (.+)$/;

/** dnsmasq's answer text as an rcode: NXDOMAIN, NODATA (NOERROR, empty), an error, or an address */
function dnsmasqRcode(answer: string): string {
  if (answer === 'NXDOMAIN') return 'NXDOMAIN';
  if (answer === 'SERVFAIL' || answer === 'REFUSED' || answer === 'NOTIMP') return answer;
  return 'NOERROR';
}

/**
 * The parser of one container's log: CoreDNS lines give a query at once; a dnsmasq query waits
 * for the outcome line of its name (dnsmasq logs them in order), and is given out with it.
 */
export class LogLineParser {
  private readonly pending = new Map<string, Parsed[]>();

  /** the queries this line completes (zero or one) */
  push(text: string): Parsed[] {
    const core = parseCoreDnsLine(text);
    if (core) return [core];
    const q = DNSMASQ_QUERY.exec(text);
    if (q) {
      const [, , port, type, name, from] = q;
      const key = name.toLowerCase();
      const list = this.pending.get(key) ?? [];
      list.push({ clientIp: from, clientPort: port ? Number(port) : null, id: null, type, name: name.endsWith('.') ? name : `${name}.`, proto: null, rcode: null, flags: null, durationMs: null, line: text });
      this.pending.set(key, list);
      return [];
    }
    const o = DNSMASQ_OUTCOME.exec(text);
    if (!o) return [];
    const key = o[2].toLowerCase();
    const list = this.pending.get(key);
    const waiting = list?.shift();
    if (list && !list.length) this.pending.delete(key);
    if (!waiting) return [];
    return [{ ...waiting, rcode: dnsmasqRcode(o[3]), line: `${waiting.line}\n${text}` }];
  }
}

export function toQuery(p: Parsed, at: string, server: DnsServerRef): DnsQuery {
  return { ...p, at, server, client: null };
}
