// loadbalance [round_robin]
import { PluginError, type Directive } from '../../core/plugin.ts';

export function parseLoadbalance(d: Directive): void {
  if (d.args.length > 1 || (d.args[0] !== undefined && d.args[0] !== 'round_robin'))
    throw new PluginError('loadbalance', `unknown policy "${d.args.join(' ')}"; the only policy is round_robin`, d.file, d.line);
  if (d.block.length) throw new PluginError('loadbalance', 'takes no block here; write "loadbalance [round_robin]"', d.file, d.line);
}
