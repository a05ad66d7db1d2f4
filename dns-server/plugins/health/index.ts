import type { PluginDefinition } from '../../core/plugin.ts';
import { sharedOf } from '../../core/shared.ts';
import { parseHealth } from './parse.ts';
import { HealthHandler } from './handler.ts';

export const plugin: PluginDefinition = {
  name: 'health',
  setup(d, ctx) {
    return new HealthHandler(parseHealth(d), sharedOf(ctx), ctx.log);
  },
};
