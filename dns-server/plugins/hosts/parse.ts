// hosts [FILE [ZONES...]] { INLINE-ENTRIES; ttl SECONDS; no_reverse; reload DURATION; fallthrough [ZONES...] }
import { isIP } from 'node:net';
import { PluginError, type Directive } from '../../core/plugin.ts';
import { normalizeZone } from '../../corefile/address.ts';
import { parseDuration } from '../../core/duration.ts';
import { Fallthrough } from '../../core/fallthrough.ts';

export interface HostsConfig {
  /** undefined when the plugin has only inline entries and no file was named */
  path: string;
  zones: string[];
  inline: string[];
  ttl: number;
  noReverse: boolean;
  reloadMs: number;
  fall: Fallthrough;
}

export function parseHosts(d: Directive, blockZones: string[]): HostsConfig {
  const fail = (msg: string, line = d.line) => new PluginError('hosts', msg, d.file, line);
  const cfg: HostsConfig = {
    path: d.args[0] ?? '/etc/hosts',
    zones: d.args.length > 1 ? d.args.slice(1).map(normalizeZone) : blockZones,
    inline: [], ttl: 3600, noReverse: false, reloadMs: 5000, fall: new Fallthrough(),
  };
  for (const b of d.block) {
    if (isIP(b.name)) {
      if (b.args.length === 0) throw fail(`inline entry "${b.name}" has no host name; write "IP NAME..."`, b.line);
      cfg.inline.push([b.name, ...b.args].join(' '));
      continue;
    }
    switch (b.name) {
      case 'ttl': {
        const n = Number(b.args[0]);
        if (b.args.length !== 1 || !/^\d+$/.test(b.args[0]!) || n < 1 || n > 2 ** 31 - 1) throw fail(`ttl must be a number of seconds from 1 to ${2 ** 31 - 1}, got "${b.args.join(' ')}"`, b.line);
        cfg.ttl = n;
        break;
      }
      case 'no_reverse':
        cfg.noReverse = true;
        break;
      case 'reload': {
        const ms = b.args.length === 1 ? parseDuration(b.args[0]!) : undefined;
        if (ms === undefined) throw fail(`reload needs one duration such as 5s (0 turns it off), got "${b.args.join(' ')}"`, b.line);
        cfg.reloadMs = ms;
        break;
      }
      case 'fallthrough':
        cfg.fall = Fallthrough.parse(b.args);
        break;
      default:
        throw fail(`unknown property "${b.name}"; use an "IP NAME..." entry, ttl, no_reverse, reload or fallthrough`, b.line);
    }
  }
  return cfg;
}
