import type { PluginDefinition } from '../../core/plugin.ts';
import { parseLog } from './parse.ts';
import { LogHandler } from './handler.ts';

export const plugin: PluginDefinition = {
  name: 'log',
  setup(d, ctx) {
    return new LogHandler(parseLog(d), ctx.log);
  },
};
