import { PluginError, type Directive } from '../../core/plugin.ts';

export function parseAny(d: Directive): void {
  if (d.args.length || d.block.length) throw new PluginError('any', 'takes no arguments; write just "any"', d.file, d.line);
}
