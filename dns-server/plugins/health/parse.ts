// health [ADDRESS] { lameduck DURATION }
import { PluginError, type Directive } from '../../core/plugin.ts';
import { parseDuration } from '../../core/duration.ts';
import { checkAddress } from '../../core/http-address.ts';

export interface HealthConfig {
  address: string;
  lameduckMs: number;
}

export function parseHealth(d: Directive): HealthConfig {
  const fail = (msg: string, line = d.line) => new PluginError('health', msg, d.file, line);
  if (d.args.length > 1) throw fail(`takes at most one address, got "${d.args.join(' ')}"; write e.g. "health :8080"`);
  const address = d.args[0] ?? ':8080';
  const bad = checkAddress(address);
  if (bad) throw fail(bad);
  let lameduckMs = 0;
  for (const b of d.block) {
    if (b.name !== 'lameduck') throw fail(`unknown property "${b.name}"; the only property is "lameduck DURATION"`, b.line);
    const ms = b.args.length === 1 ? parseDuration(b.args[0]!) : undefined;
    if (ms === undefined) throw fail(`lameduck needs one duration such as 5s, got "${b.args.join(' ')}"`, b.line);
    lameduckMs = ms;
  }
  return { address, lameduckMs };
}
