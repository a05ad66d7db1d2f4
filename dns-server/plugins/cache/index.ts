import type { PluginDefinition } from '../../core/plugin.ts';
import { sharedOf } from '../../core/shared.ts';
import { parseCache } from './parse.ts';
import { CacheHandler } from './handler.ts';

export const plugin: PluginDefinition = {
  name: 'cache',
  setup(d, ctx) {
    return new CacheHandler(parseCache(d, ctx.zones), sharedOf(ctx), ctx.port);
  },
};
