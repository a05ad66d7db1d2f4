import type { PluginDefinition } from '../../core/plugin.ts';
import { sharedOf } from '../../core/shared.ts';
import { parseLoop } from './parse.ts';
import { LoopHandler } from './handler.ts';

export const plugin: PluginDefinition = {
  name: 'loop',
  setup(d, ctx) {
    parseLoop(d);
    return new LoopHandler(ctx.zones[0] ?? '.', ctx.port, sharedOf(ctx), ctx.log);
  },
};
