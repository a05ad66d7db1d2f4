// reload [INTERVAL] [JITTER]   (defaults 30s and 15s; INTERVAL at least 2s, JITTER at most half of it)
import { PluginError, type Directive } from '../../core/plugin.ts';
import { parseDuration } from '../../core/duration.ts';

export interface ReloadConfig {
  intervalMs: number;
  jitterMs: number;
}

export function parseReload(d: Directive): ReloadConfig {
  const fail = (msg: string) => new PluginError('reload', msg, d.file, d.line);
  if (d.args.length > 2) throw fail(`takes at most INTERVAL and JITTER, got "${d.args.join(' ')}"`);
  if (d.block.length) throw fail('takes no block; write "reload [INTERVAL] [JITTER]"');
  const intervalMs = d.args[0] !== undefined ? parseDuration(d.args[0]) : 30_000;
  if (intervalMs === undefined) throw fail(`invalid interval "${d.args[0]}"; write a duration such as 30s`);
  if (intervalMs < 2000) throw fail(`interval value must be greater or equal to 2s, got ${d.args[0]}`);
  const jitterMs = d.args[1] !== undefined ? parseDuration(d.args[1]) : Math.min(15_000, intervalMs / 2);
  if (jitterMs === undefined) throw fail(`invalid jitter "${d.args[1]}"; write a duration such as 15s`);
  if (jitterMs < 1000) throw fail(`jitter value must be greater or equal to 1s, got ${d.args[1]}`);
  if (jitterMs > intervalMs / 2) throw fail(`jitter value must be smaller than half the interval, got ${d.args[1]}`);
  return { intervalMs, jitterMs };
}
