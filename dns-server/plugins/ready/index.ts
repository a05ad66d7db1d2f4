import type { PluginDefinition } from '../../core/plugin.ts';
import { sharedOf } from '../../core/shared.ts';
import { parseReady } from './parse.ts';
import { ReadyHandler } from './handler.ts';

export const plugin: PluginDefinition = {
  name: 'ready',
  setup(d, ctx) {
    return new ReadyHandler(parseReady(d), sharedOf(ctx), ctx.log);
  },
};
