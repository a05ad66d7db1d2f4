import { PluginError, type Directive } from '../../core/plugin.ts';

export function parseLoop(d: Directive): void {
  if (d.args.length || d.block.length) throw new PluginError('loop', 'takes no arguments; write just "loop"', d.file, d.line);
}
