// forward FROM TO... { except NAMES...; force_tcp; prefer_udp; expire DURATION; max_fails N;
//   policy random|round_robin|sequential; health_check DURATION [no_rec] [domain FQDN]; max_concurrent N }
import { isIP } from 'node:net';
import { PluginError, type Directive } from '../../core/plugin.ts';
import { normalizeZone } from '../../corefile/address.ts';
import { parseDuration } from '../../core/duration.ts';
import { hostFiles, type FileHooks } from '../../core/files.ts';

export type Policy = 'random' | 'round_robin' | 'sequential';

export interface UpstreamAddress {
  host: string;
  port: number;
}

export interface ForwardConfig {
  from: string;
  to: UpstreamAddress[];
  except: string[];
  forceTcp: boolean;
  preferUdp: boolean;
  expireMs: number;
  maxFails: number;
  policy: Policy;
  healthCheckMs: number;
  healthCheckRecursion: boolean;
  healthCheckDomain: string;
  maxConcurrent: number;
  /** per-try read timeout; CoreDNS uses 2s */
  readTimeoutMs: number;
}

const MAX_UPSTREAMS = 15;

export class ForwardParseError extends PluginError {}

/** "IP", "IP:port", "[v6]:port", "dns://IP[:port]" or a resolv.conf-style file */
export function parseTo(plugin: string, arg: string, fail: (m: string) => PluginError, files: FileHooks = hostFiles): UpstreamAddress[] {
  let s = arg;
  const scheme = /^([a-z0-9+.-]+):\/\//i.exec(s);
  if (scheme) {
    if (scheme[1]!.toLowerCase() !== 'dns') throw fail(`${scheme[1]}:// upstreams are not supported by this server; use dns://IP[:PORT] or a plain IP`);
    s = s.slice(scheme[0].length);
  }
  if (isIP(s)) return [{ host: s, port: 53 }];
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6 && isIP(v6[1]!) === 6) return [{ host: v6[1]!, port: v6[2] ? Number(v6[2]) : 53 }];
  const v4 = /^([\d.]+):(\d+)$/.exec(s);
  if (v4 && isIP(v4[1]!) === 4) {
    const port = Number(v4[2]);
    if (port < 1 || port > 65535) throw fail(`invalid port in "${arg}"`);
    return [{ host: v4[1]!, port }];
  }
  if (scheme) throw fail(`not an IP address: "${arg}"`);
  let text: string;
  try {
    text = files.readFile(s);
  } catch {
    throw fail(`not an IP address or file: "${arg}"`);
  }
  const out: UpstreamAddress[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (m && isIP(m[1]!.replace(/%.*$/, ''))) out.push({ host: m[1]!.replace(/%.*$/, ''), port: 53 });
  }
  if (out.length === 0) throw fail(`no nameservers found in ${arg}`);
  void plugin;
  return out;
}

export function parseForward(d: Directive, plugin = 'forward', files: FileHooks = hostFiles): ForwardConfig {
  const fail = (msg: string, line = d.line) => new PluginError(plugin, msg, d.file, line);
  if (d.args.length < 2) throw fail(`Wrong argument count or unexpected line ending after '${plugin}'; write "${plugin} FROM TO..." e.g. "${plugin} . 8.8.8.8"`);
  const from = normalizeZone(d.args[0]!);
  const to: UpstreamAddress[] = [];
  for (const a of d.args.slice(1)) to.push(...parseTo(plugin, a, (m) => fail(m), files));
  if (to.length > MAX_UPSTREAMS) throw fail(`more than ${MAX_UPSTREAMS} upstreams`);
  const cfg: ForwardConfig = {
    from, to, except: [], forceTcp: false, preferUdp: false, expireMs: 10_000, maxFails: 2, policy: 'random',
    healthCheckMs: 500, healthCheckRecursion: true, healthCheckDomain: '.', maxConcurrent: 0, readTimeoutMs: 2000,
  };
  for (const b of d.block) applyOption(cfg, b, fail);
  if (cfg.forceTcp && cfg.preferUdp) throw fail('force_tcp and prefer_udp cannot be used together');
  return cfg;
}

export function applyOption(
  cfg: ForwardConfig,
  b: { name: string; args: string[]; line: number },
  fail: (m: string, line?: number) => PluginError,
): void {
  const one = () => {
    if (b.args.length !== 1) throw fail(`${b.name} takes one value, got "${b.args.join(' ')}"`, b.line);
    return b.args[0]!;
  };
  const int = (s: string) => {
    if (!/^\d+$/.test(s)) throw fail(`${b.name} must be a non-negative integer, got "${s}"`, b.line);
    return Number(s);
  };
  const dur = (s: string) => {
    const ms = parseDuration(s);
    if (ms === undefined) throw fail(`${b.name}: invalid duration "${s}"; write e.g. 10s`, b.line);
    return ms;
  };
  switch (b.name) {
    case 'except':
      if (!b.args.length) throw fail('except needs at least one name', b.line);
      cfg.except.push(...b.args.map(normalizeZone));
      break;
    case 'force_tcp':
      cfg.forceTcp = true;
      break;
    case 'prefer_udp':
      cfg.preferUdp = true;
      break;
    case 'expire':
      cfg.expireMs = dur(one());
      break;
    case 'max_fails':
      cfg.maxFails = int(one());
      break;
    case 'policy': {
      const p = one();
      if (p !== 'random' && p !== 'round_robin' && p !== 'sequential')
        throw fail(`unknown policy '${p}'; use random, round_robin or sequential`, b.line);
      cfg.policy = p;
      break;
    }
    case 'health_check': {
      if (!b.args.length) throw fail('health_check needs a duration, e.g. 0.5s', b.line);
      cfg.healthCheckMs = dur(b.args[0]!);
      for (let i = 1; i < b.args.length; i++) {
        if (b.args[i] === 'no_rec') cfg.healthCheckRecursion = false;
        else if (b.args[i] === 'domain' && b.args[i + 1]) cfg.healthCheckDomain = normalizeZone(b.args[++i]!);
        else throw fail(`health_check: unknown option "${b.args[i]}"; use no_rec or domain FQDN`, b.line);
      }
      break;
    }
    case 'max_concurrent':
      cfg.maxConcurrent = int(one());
      break;
    case 'tls':
    case 'tls_servername':
      throw fail(`${b.name} is not supported by this server (no DNS over TLS); remove it`, b.line);
    default:
      throw fail(`unknown property '${b.name}'`, b.line);
  }
}
