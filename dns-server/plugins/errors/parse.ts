// errors [stdout] { consolidate DURATION REGEXP [LEVEL] [show_first] }
import { PluginError, type Directive } from '../../core/plugin.ts';
import { parseDuration } from '../../core/duration.ts';

export interface ConsolidateRule {
  periodMs: number;
  pattern: RegExp;
  source: string;
  level: 'warning' | 'error' | 'info' | 'debug';
  showFirst: boolean;
}

export interface ErrorsConfig {
  rules: ConsolidateRule[];
}

const LEVELS = new Set(['warning', 'error', 'info', 'debug']);

export function parseErrors(d: Directive): ErrorsConfig {
  const fail = (msg: string, line = d.line) => new PluginError('errors', msg, d.file, line);
  if (d.args.length > 1 || (d.args.length === 1 && d.args[0] !== 'stdout'))
    throw fail(`unexpected argument "${d.args.join(' ')}"; errors always go to standard output, write just "errors"`);
  const rules: ConsolidateRule[] = [];
  for (const b of d.block) {
    if (b.name !== 'consolidate') throw fail(`unknown property "${b.name}"; the only property is "consolidate DURATION REGEXP [LEVEL] [show_first]"`, b.line);
    if (b.args.length < 2 || b.args.length > 4) throw fail(`consolidate needs DURATION REGEXP [LEVEL] [show_first], got "${b.args.join(' ')}"`, b.line);
    const periodMs = parseDuration(b.args[0]!);
    if (periodMs === undefined || periodMs <= 0) throw fail(`invalid duration "${b.args[0]}" for consolidate; write e.g. 5m`, b.line);
    let pattern: RegExp;
    try {
      pattern = new RegExp(b.args[1]!);
    } catch (e) {
      throw fail(`invalid regexp "${b.args[1]}": ${(e as Error).message}`, b.line);
    }
    let level: ConsolidateRule['level'] = 'error';
    let showFirst = false;
    for (const extra of b.args.slice(2)) {
      if (extra === 'show_first') showFirst = true;
      else if (LEVELS.has(extra)) level = extra as ConsolidateRule['level'];
      else throw fail(`unknown log level "${extra}"; use warning, error, info or debug`, b.line);
    }
    rules.push({ periodMs, pattern, source: b.args[1]!, level, showFirst });
  }
  return { rules };
}
