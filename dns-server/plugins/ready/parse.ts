// ready [ADDRESS] { monitor until-ready|continuously }
import { PluginError, type Directive } from '../../core/plugin.ts';
import { checkAddress } from '../../core/http-address.ts';

export interface ReadyConfig {
  address: string;
  /** until-ready latches the first 200; continuously asks the plugins every time */
  monitor: 'until-ready' | 'continuously';
}

export function parseReady(d: Directive): ReadyConfig {
  const fail = (msg: string, line = d.line) => new PluginError('ready', msg, d.file, line);
  if (d.args.length > 1) throw fail(`takes at most one address, got "${d.args.join(' ')}"; write e.g. "ready :8181"`);
  const address = d.args[0] ?? ':8181';
  const bad = checkAddress(address);
  if (bad) throw fail(bad);
  let monitor: ReadyConfig['monitor'] = 'until-ready';
  for (const b of d.block) {
    if (b.name !== 'monitor') throw fail(`unknown property "${b.name}"; the only property is "monitor until-ready|continuously"`, b.line);
    if (b.args.length !== 1 || (b.args[0] !== 'until-ready' && b.args[0] !== 'continuously'))
      throw fail(`monitor takes until-ready or continuously, got "${b.args.join(' ')}"`, b.line);
    monitor = b.args[0];
  }
  return { address, monitor };
}
