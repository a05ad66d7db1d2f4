// Answers for one question from the live model: CoreDNS's kubernetes Records/Services plus the
// record synthesis of plugin/backend_lookup.go (A/AAAA, SRV weights and glue, PTR, SOA, NS,
// TXT), with NXDOMAIN vs NODATA decided the way CoreDNS decides it. Pure and synchronous; the
// one asynchronous step (an ExternalName target outside the cluster) is returned as `chase`.
import type { DnsRecord } from '../../core/plugin.ts';
import { addressFromReverse, canonicalIP, dashedIP, ipFamily, isReverseZone } from './ip.ts';
import type { ClusterModel } from './model.ts';
import { inZone } from '../../core/respond.ts';
import { parseName, podLabelIP, relativeLabels } from './names.ts';
import type { EndpointAddress, PortEntry } from './objects.ts';
import type { KubernetesConfig } from './parse.ts';

export const SCHEMA_VERSION = '1.1.0';
export const SCHEMA_TTL = 28800;

export interface LookupView {
  model: ClusterModel;
  cfg: KubernetesConfig;
  /** the addresses this server answers on: NS records name the Service whose endpoints hold them */
  localIPs: string[];
}

export interface Question {
  /** lower case with a trailing dot */
  name: string;
  /** as the client spelled it, trailing dot */
  original: string;
  type: string;
  /** the plugin zone that matched, lower case with a trailing dot */
  zone: string;
}

export interface Reply {
  rcode: 'NOERROR' | 'NXDOMAIN' | 'REFUSED';
  /** NXDOMAIN that fallthrough may pass on, or that becomes SERVFAIL before the first sync */
  nameError: boolean;
  aa: boolean;
  answer: DnsRecord[];
  authority: DnsRecord[];
  additional: DnsRecord[];
  /** an ExternalName target outside our zones: the caller resolves it and appends the answers */
  chase?: { target: string; type: 'A' | 'AAAA' };
}

/** What a name resolves to before record synthesis (CoreDNS's msg.Service). */
interface Entry {
  /** an IP, or the CNAME target of an ExternalName */
  host: string;
  cname: boolean;
  port: number;
  /** the domain name that owns `host`: SRV target and glue owner */
  owner: string;
}

type Found = { entries: Entry[]; nameError: boolean };
const NAME_ERROR: Found = { entries: [], nameError: true };
const EMPTY: Found = { entries: [], nameError: false };

const dot = (n: string): string => (n.endsWith('.') ? n.slice(0, -1) : n);

export class Lookup {
  constructor(private readonly v: LookupView) {}

  private get ttl(): number {
    return this.v.cfg.ttl;
  }

  resolve(q: Question): Reply {
    const zoneCased = q.original.slice(q.original.length - q.zone.length);
    switch (q.type) {
      case 'AXFR':
      case 'IXFR':
        // K34: no transfer plugin here; the refusal is not an authoritative answer
        return { rcode: 'REFUSED', nameError: false, aa: false, answer: [], authority: [], additional: [] };
      case 'A':
      case 'AAAA':
        return this.finish(q, zoneCased, this.addresses(q.name, q.original, q.type, q.zone, zoneCased, 0));
      case 'SRV':
        return this.finish(q, zoneCased, this.srv(q, zoneCased));
      case 'TXT':
        if (q.name === `dns-version.${q.zone}`) {
          return this.finish(q, zoneCased, { answer: [{ name: dot(q.original), type: 'TXT', class: 'IN', ttl: SCHEMA_TTL, data: SCHEMA_VERSION }] });
        }
        return this.finish(q, zoneCased, this.exists(q, zoneCased));
      case 'CNAME': {
        const found = this.services(q.name, 'CNAME', q.zone, zoneCased);
        if (found.nameError) return this.finish(q, zoneCased, { nameError: true });
        const first = found.entries[0];
        const answer: DnsRecord[] = first?.cname ? [{ name: dot(q.original), type: 'CNAME', class: 'IN', ttl: this.ttl, data: first.host }] : [];
        return this.finish(q, zoneCased, { answer });
      }
      case 'PTR':
        return this.finish(q, zoneCased, this.ptr(q, zoneCased));
      case 'SOA':
        // K29: the SOA only at the apex; any other name is NODATA without an existence check
        return this.finish(q, zoneCased, { answer: q.name === q.zone ? [this.soa(zoneCased)] : [] });
      case 'NS':
        if (q.name === q.zone) return this.finish(q, zoneCased, this.ns(zoneCased));
        return this.finish(q, zoneCased, this.exists(q, zoneCased));
      default:
        // K24: every other type (ANY, MX, HINFO ...) is NODATA or NXDOMAIN by a fake A lookup
        return this.finish(q, zoneCased, this.exists(q, zoneCased));
    }
  }

  /** SOA of a zone as the question spelled it (K28) */
  soa(zoneCased: string): DnsRecord {
    const z = zoneCased === '.' ? '' : zoneCased;
    return {
      name: dot(zoneCased),
      type: 'SOA',
      class: 'IN',
      ttl: Math.min(this.ttl, 300),
      data: { mname: `ns.dns.${dot(z)}`.replace(/\.$/, ''), rname: `hostmaster.${dot(z)}`.replace(/\.$/, ''), serial: this.v.model.serial >>> 0, refresh: 7200, retry: 1800, expire: 86400, minimum: this.ttl },
    };
  }

  private finish(
    q: Question,
    zoneCased: string,
    r: { answer?: DnsRecord[]; additional?: DnsRecord[]; nameError?: boolean; chase?: Reply['chase'] },
  ): Reply {
    const answer = r.answer ?? [];
    if (r.nameError) {
      return { rcode: 'NXDOMAIN', nameError: true, aa: true, answer: [], authority: [this.soa(zoneCased)], additional: [] };
    }
    const empty = answer.length === 0 && !r.chase;
    return {
      rcode: 'NOERROR',
      nameError: false,
      aa: true,
      answer,
      authority: empty ? [this.soa(zoneCased)] : [],
      additional: empty ? [] : r.additional ?? [],
      chase: r.chase,
    };
  }

  private exposed(namespace: string): boolean {
    const only = this.v.cfg.namespaces;
    return (only.size === 0 || only.has(namespace)) && this.v.model.hasNamespace(namespace);
  }

  private endpointName(a: EndpointAddress): string {
    if (a.hostname) return a.hostname;
    if (this.v.cfg.endpointPodNames && a.targetRefName) return a.targetRefName;
    return dashedIP(a.ip);
  }

  /** CoreDNS's Records: what the name stands for, or a name error (K23, K25, K26) */
  private records(name: string, zone: string, zoneCased: string): Found {
    const shape = parseName(relativeLabels(name, zone));
    if (shape.kind === 'apex') return EMPTY;
    if (shape.kind === 'invalid') return NAME_ERROR;
    if (isReverseZone(zone)) return NAME_ERROR;
    if (!this.exposed(shape.namespace)) return NAME_ERROR;
    if (shape.service === '') return EMPTY;
    const z = dot(zoneCased);

    if (shape.kind === 'pod') {
      if (this.v.cfg.pods === 'disabled') return NAME_ERROR;
      const ip = canonicalIP(podLabelIP(shape.service));
      if (!ip) return NAME_ERROR;
      const owner = `${shape.service}.${shape.namespace}.pod.${z}`;
      if (this.v.cfg.pods === 'insecure') return { entries: [{ host: ip, cname: false, port: -1, owner }], nameError: false };
      for (const pod of this.v.model.podsWithIP(ip)) {
        if (pod.namespace === shape.namespace) return { entries: [{ host: ip, cname: false, port: -1, owner }], nameError: false };
      }
      return NAME_ERROR;
    }

    const svc = this.v.model.service(shape.namespace, shape.service);
    if (!svc) return NAME_ERROR;
    const matchPort = (p: PortEntry): boolean => (shape.port === '' || shape.port === p.name) && (shape.protocol === '' || shape.protocol === p.protocol);
    const svcName = `${svc.name}.${svc.namespace}.svc.${z}`;

    if (this.v.cfg.ignoreEmptyService && svc.type !== 'ExternalName' && !svc.headless && this.v.model.readyAddressCount(svc.namespace, svc.name) === 0) {
      return NAME_ERROR; // K44
    }
    if (svc.type === 'ExternalName') {
      // K38: no endpoints or ports under an ExternalName, and an IP is not a CNAME target
      if (shape.endpoint || shape.hasPort || !svc.externalName || ipFamily(svc.externalName) !== 0) return NAME_ERROR;
      return { entries: [{ host: svc.externalName, cname: true, port: -1, owner: svcName }], nameError: false };
    }
    if (svc.headless || shape.endpoint) {
      const entries: Entry[] = [];
      for (const slice of this.v.model.slicesOf(svc.namespace, svc.name)) {
        for (const a of slice.addresses) {
          const epName = this.endpointName(a);
          if (shape.endpoint && shape.endpoint !== epName) continue;
          for (const p of slice.ports) {
            if (!matchPort(p)) continue;
            entries.push({ host: a.ip, cname: false, port: p.port, owner: `${epName}.${svcName}` });
          }
        }
      }
      return entries.length > 0 ? { entries, nameError: false } : NAME_ERROR;
    }
    const entries: Entry[] = [];
    let matched = false;
    for (const p of svc.ports) {
      if (!matchPort(p)) continue;
      matched = true;
      for (const ip of svc.clusterIPs) entries.push({ host: ip, cname: false, port: p.port, owner: svcName });
    }
    return matched ? { entries, nameError: false } : NAME_ERROR;
  }

  /** CoreDNS's Services: `ns.dns.<zone>` is the NS glue (K31); SRV never lists ExternalNames */
  private services(name: string, type: string, zone: string, zoneCased: string): Found {
    if (name === `ns.dns.${zone}`) {
      const entries: Entry[] = [];
      for (const { ip } of this.nsAddrs(zoneCased)) {
        const fam = ipFamily(ip);
        if ((type === 'A' && fam === 4) || (type === 'AAAA' && fam === 6)) entries.push({ host: ip, cname: false, port: -1, owner: name });
      }
      return { entries, nameError: false };
    }
    const found = this.records(name, zone, zoneCased);
    if (type !== 'SRV') return found;
    return { entries: found.entries.filter((e) => !e.cname), nameError: found.nameError };
  }

  private exists(q: Question, zoneCased: string): { nameError: boolean } {
    return { nameError: this.services(q.name, 'A', q.zone, zoneCased).nameError };
  }

  /** A or AAAA, following in-zone CNAMEs (at most 8 links, never `x CNAME x`) */
  private addresses(
    name: string,
    original: string,
    type: 'A' | 'AAAA',
    zone: string,
    zoneCased: string,
    depth: number,
  ): { answer?: DnsRecord[]; nameError?: boolean; chase?: Reply['chase'] } {
    const found = this.services(name, type, zone, zoneCased);
    if (found.nameError) return { nameError: true };
    const answer: DnsRecord[] = [];
    const seen = new Set<string>();
    const want = type === 'A' ? 4 : 6;
    let chase: Reply['chase'];
    for (const e of found.entries) {
      if (e.cname) {
        const target = `${e.host}.`;
        if (target === name || depth > 7) continue;
        const cname: DnsRecord = { name: dot(original), type: 'CNAME', class: 'IN', ttl: this.ttl, data: e.host };
        if (inZone(target, zone)) {
          const next = this.addresses(target, target, type, zone, zone, depth + 1);
          if (!next.nameError && ((next.answer?.length ?? 0) > 0 || next.chase)) {
            answer.push(cname, ...(next.answer ?? []));
            chase = next.chase;
          }
          continue;
        }
        answer.push(cname);
        chase = { target: e.host, type };
        continue;
      }
      if (ipFamily(e.host) !== want || seen.has(e.host)) continue;
      seen.add(e.host);
      answer.push({ name: dot(original), type, class: 'IN', ttl: this.ttl, data: e.host });
    }
    return { answer, chase };
  }

  /** K5, K15, K39: weight floor(100/N) over every entry, de-duplicated on (target, port) */
  private srv(q: Question, zoneCased: string): { answer?: DnsRecord[]; additional?: DnsRecord[]; nameError?: boolean } {
    const found = this.services(q.name, 'SRV', q.zone, zoneCased);
    if (found.nameError) return { nameError: true };
    const weight = Math.max(1, Math.floor(100 / Math.max(1, found.entries.length)));
    const answer: DnsRecord[] = [];
    const additional: DnsRecord[] = [];
    const seenSrv = new Set<string>();
    const seenAddr = new Set<string>();
    for (const e of found.entries) {
      if (e.port === -1) continue;
      const srvKey = `${e.owner}|${e.port}`;
      if (!seenSrv.has(srvKey)) {
        seenSrv.add(srvKey);
        answer.push({ name: dot(q.original), type: 'SRV', class: 'IN', ttl: this.ttl, data: { priority: 0, weight, port: e.port, target: e.owner } });
      }
      const addrKey = `${e.owner}|${e.host}`;
      if (!seenAddr.has(addrKey)) {
        seenAddr.add(addrKey);
        additional.push({ name: e.owner, type: ipFamily(e.host) === 6 ? 'AAAA' : 'A', class: 'IN', ttl: this.ttl, data: e.host });
      }
    }
    return { answer, additional };
  }

  /** K8, K9, K16, K17, K37, K42 */
  private ptr(q: Question, zoneCased: string): { answer?: DnsRecord[]; nameError?: boolean } {
    const ip = isReverseZone(q.zone) ? addressFromReverse(q.name) : undefined;
    if (!ip) return { nameError: this.records(q.name, q.zone, zoneCased).nameError };
    const primary = dot(this.v.cfg.primaryZone);
    const limited = this.v.cfg.namespaces.size > 0;
    const rec = (target: string): DnsRecord => ({ name: dot(q.original), type: 'PTR', class: 'IN', ttl: this.ttl, data: target });
    for (const svc of this.v.model.servicesWithClusterIP(ip)) {
      if (limited && !this.exposed(svc.namespace)) continue;
      return { answer: [rec(`${svc.name}.${svc.namespace}.svc.${primary}`)] };
    }
    const targets = new Set<string>();
    for (const { slice, address } of this.v.model.endpointsWithIP(ip)) {
      if (limited && !this.exposed(slice.namespace)) continue;
      targets.add(`${this.endpointName(address)}.${slice.service}.${slice.namespace}.svc.${primary}`);
    }
    if (targets.size === 0) return { nameError: true };
    return { answer: [...targets].map(rec) };
  }

  /** names and addresses of this server: the DNS Services whose endpoints hold our IPs (K30) */
  private nsAddrs(zoneCased: string): Array<{ name: string; ip: string }> {
    const z = dot(zoneCased);
    const out: Array<{ name: string; ip: string }> = [];
    const seen = new Set<string>();
    const push = (name: string, ip: string): void => {
      const k = `${name}|${ip}`;
      if (!seen.has(k)) { seen.add(k); out.push({ name, ip }); }
    };
    for (const local of this.v.localIPs) {
      for (const { slice } of this.v.model.endpointsWithIP(local)) {
        const svc = this.v.model.service(slice.namespace, slice.service);
        if (!svc) continue;
        const svcName = `${svc.name}.${svc.namespace}.svc.${z}`;
        if (svc.headless) {
          for (const a of slice.addresses) push(`${this.endpointName(a)}.${svcName}`, a.ip);
        } else {
          for (const ip of svc.clusterIPs) push(svcName, ip);
        }
      }
    }
    if (out.length === 0) for (const ip of this.v.localIPs) push(`ns.dns.${z}`.replace(/\.$/, ''), ip);
    return out;
  }

  private ns(zoneCased: string): { answer: DnsRecord[]; additional: DnsRecord[] } {
    const answer: DnsRecord[] = [];
    const additional: DnsRecord[] = [];
    const names = new Set<string>();
    for (const { name, ip } of this.nsAddrs(zoneCased)) {
      additional.push({ name, type: ipFamily(ip) === 6 ? 'AAAA' : 'A', class: 'IN', ttl: this.ttl, data: ip });
      if (names.has(name)) continue;
      names.add(name);
      answer.push({ name: dot(zoneCased), type: 'NS', class: 'IN', ttl: this.ttl, data: name });
    }
    return { answer, additional };
  }
}
