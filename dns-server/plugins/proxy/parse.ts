// The 2017 "proxy FROM TO... { policy ...; fail_timeout ...; max_fails ...; health_check ...;
// except ...; spray; protocol dns }" mapped onto forward's configuration.
import { PluginError, type Directive } from '../../core/plugin.ts';
import { normalizeZone } from '../../corefile/address.ts';
import { parseTo, type ForwardConfig, type UpstreamAddress } from '../forward/parse.ts';
import { parseDuration } from '../../core/duration.ts';
import { hostFiles, type FileHooks } from '../../core/files.ts';

export function parseProxy(d: Directive, files: FileHooks = hostFiles): { config: ForwardConfig; ignored: string[] } {
  const fail = (msg: string, line = d.line) => new PluginError('proxy', msg, d.file, line);
  if (d.args.length < 2) throw fail(`Wrong argument count or unexpected line ending after 'proxy'; write "proxy FROM TO..." e.g. "proxy . /etc/resolv.conf"`);
  const to: UpstreamAddress[] = [];
  for (const a of d.args.slice(1)) to.push(...parseTo('proxy', a, (m) => fail(m), files));
  const config: ForwardConfig = {
    from: normalizeZone(d.args[0]!), to, except: [], forceTcp: false, preferUdp: false, expireMs: 10_000,
    // proxy's default max_fails was 1
    maxFails: 1, policy: 'random', healthCheckMs: 500, healthCheckRecursion: true, healthCheckDomain: '.', maxConcurrent: 0, readTimeoutMs: 2000,
  };
  const ignored: string[] = [];
  for (const b of d.block) {
    switch (b.name) {
      case 'policy': {
        const p = b.args[0];
        if (p === 'random' || p === 'least_conn') config.policy = 'random';
        else if (p === 'round_robin') config.policy = 'round_robin';
        else if (p === 'first' || p === 'sequential') config.policy = 'sequential';
        else throw fail(`unknown policy "${p ?? ''}"; use random, least_conn, round_robin or first`, b.line);
        break;
      }
      case 'max_fails': {
        if (b.args.length !== 1 || !/^\d+$/.test(b.args[0]!)) throw fail(`max_fails needs one integer, got "${b.args.join(' ')}"`, b.line);
        config.maxFails = Number(b.args[0]);
        break;
      }
      case 'except':
        config.except.push(...b.args.map(normalizeZone));
        break;
      case 'protocol':
        if (b.args[0] !== 'dns') throw fail(`protocol "${b.args[0] ?? ''}" is not supported; only "protocol dns"`, b.line);
        if (b.args[1] === 'force_tcp') config.forceTcp = true;
        break;
      case 'health_check': {
        const ms = b.args[1] !== undefined ? parseDuration(b.args[1]) : undefined;
        if (ms !== undefined) config.healthCheckMs = ms;
        ignored.push(`health_check ${b.args[0] ?? ''}`.trim());
        break;
      }
      case 'fail_timeout':
      case 'spray':
      case 'without':
      case 'ipv4':
      case 'ipv6':
        ignored.push(b.name);
        break;
      default:
        throw fail(`unknown property "${b.name}"`, b.line);
    }
  }
  return { config, ignored };
}
