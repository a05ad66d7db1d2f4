import { PluginError, type Directive } from '../../core/plugin.ts';

export function parseWhoami(d: Directive): void {
  if (d.args.length || d.block.length) throw new PluginError('whoami', `takes no arguments (got "${[...d.args, ...d.block.map((b) => b.name)].join(' ')}"); write just "whoami"`, d.file, d.line);
}
