import type { PluginDefinition } from '../../core/plugin.ts';
import { sharedOf } from '../../core/shared.ts';
import { parseForward } from './parse.ts';
import { ForwardHandler } from './handler.ts';

export const plugin: PluginDefinition = {
  name: 'forward',
  setup(d, ctx) {
    return new ForwardHandler(parseForward(d), sharedOf(ctx), ctx.log);
  },
};
