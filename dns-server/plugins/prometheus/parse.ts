// prometheus [ADDRESS]
import { PluginError, type Directive } from '../../core/plugin.ts';
import { checkAddress } from '../../core/http-address.ts';

export interface PrometheusConfig {
  address: string;
}

export function parsePrometheus(d: Directive): PrometheusConfig {
  const fail = (msg: string) => new PluginError('prometheus', msg, d.file, d.line);
  if (d.args.length > 1) throw fail(`takes at most one address, got "${d.args.join(' ')}"; write e.g. "prometheus :9153"`);
  if (d.block.length) throw fail(`takes no block; write "prometheus [ADDRESS]"`);
  const address = d.args[0] ?? 'localhost:9153';
  const bad = checkAddress(address);
  if (bad) throw fail(bad);
  return { address };
}
