import type { PluginDefinition } from '../../core/plugin.ts';
import { sharedOf } from '../../core/shared.ts';
import { parsePrometheus } from './parse.ts';
import { PrometheusHandler } from './handler.ts';

export const plugin: PluginDefinition = {
  name: 'prometheus',
  setup(d, ctx) {
    return new PrometheusHandler(parsePrometheus(d), sharedOf(ctx), ctx.port, ctx.zones);
  },
};
