// cache [TTL] [ZONES...] { success CAPACITY [TTL] [MINTTL]; denial CAPACITY [TTL] [MINTTL];
//   prefetch ...; serve_stale ...; servfail DURATION; disable success|denial [ZONES...]; keepttl }
import { PluginError, type Directive } from '../../core/plugin.ts';
import { normalizeZone } from '../../corefile/address.ts';
import { parseDuration } from '../../core/duration.ts';

export interface CacheClassConfig {
  capacity: number;
  maxTtl: number;
  minTtl: number;
  disabledZones: string[];
}

export interface CacheConfig {
  zones: string[];
  success: CacheClassConfig;
  denial: CacheClassConfig;
  /** seconds SERVFAIL answers are kept (0: not cached); CoreDNS's default is 5s */
  servfailTtl: number;
  keepTtl: boolean;
}

export const DEFAULT_CAPACITY = 9984;
const MAX_TTL_LIMIT = 3600 * 24 * 365;

export function parseCache(d: Directive, blockZones: string[]): CacheConfig {
  const fail = (msg: string, line = d.line) => new PluginError('cache', msg, d.file, line);
  const int = (s: string | undefined, what: string, line: number, min = 0, max = MAX_TTL_LIMIT) => {
    const n = Number(s);
    if (s === undefined || !/^\d+$/.test(s) || n < min || n > max) throw fail(`${what} must be an integer from ${min} to ${max}, got "${s ?? ''}"`, line);
    return n;
  };
  const cfg: CacheConfig = {
    zones: blockZones,
    success: { capacity: DEFAULT_CAPACITY, maxTtl: 3600, minTtl: 5, disabledZones: [] },
    denial: { capacity: DEFAULT_CAPACITY, maxTtl: 1800, minTtl: 5, disabledZones: [] },
    servfailTtl: 5,
    keepTtl: false,
  };
  let args = d.args;
  if (args[0] !== undefined && /^\d+$/.test(args[0])) {
    const ttl = int(args[0], 'TTL', d.line, 0);
    cfg.success.maxTtl = ttl;
    cfg.denial.maxTtl = ttl;
    // a TTL below the default minimum lowers the minimum too (CoreDNS does the same)
    if (ttl < cfg.success.minTtl) cfg.success.minTtl = ttl;
    if (ttl < cfg.denial.minTtl) cfg.denial.minTtl = ttl;
    args = args.slice(1);
  }
  if (args.length) cfg.zones = args.map(normalizeZone);
  for (const b of d.block) {
    switch (b.name) {
      case 'success':
      case 'denial': {
        if (b.args.length < 1 || b.args.length > 3) throw fail(`${b.name} needs CAPACITY [TTL] [MINTTL], got "${b.args.join(' ')}"`, b.line);
        const c = cfg[b.name];
        c.capacity = int(b.args[0], `${b.name} capacity`, b.line, 1, 10_000_000);
        if (b.args[1] !== undefined) c.maxTtl = int(b.args[1], `${b.name} TTL`, b.line);
        if (b.args[2] !== undefined) c.minTtl = int(b.args[2], `${b.name} MINTTL`, b.line);
        break;
      }
      case 'disable': {
        if (b.args[0] !== 'success' && b.args[0] !== 'denial') throw fail(`disable takes success or denial, got "${b.args[0] ?? ''}"`, b.line);
        const zones = b.args.length > 1 ? b.args.slice(1).map(normalizeZone) : cfg.zones;
        cfg[b.args[0]].disabledZones.push(...zones);
        break;
      }
      case 'servfail': {
        const ms = b.args.length === 1 ? parseDuration(b.args[0]!) : undefined;
        if (ms === undefined || ms > 5 * 60_000) throw fail(`servfail needs one duration up to 5m, got "${b.args.join(' ')}"`, b.line);
        cfg.servfailTtl = Math.floor(ms / 1000);
        break;
      }
      case 'keepttl':
        if (b.args.length) throw fail('keepttl takes no arguments', b.line);
        cfg.keepTtl = true;
        break;
      case 'prefetch':
      case 'serve_stale':
        // accepted for compatibility; entries are simply refreshed on the next miss
        break;
      default:
        throw fail(`unknown property "${b.name}"; use success, denial, prefetch, serve_stale, servfail, disable or keepttl`, b.line);
    }
  }
  return cfg;
}
