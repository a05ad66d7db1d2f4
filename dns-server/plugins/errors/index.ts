import type { PluginDefinition } from '../../core/plugin.ts';
import { parseErrors } from './parse.ts';
import { ErrorsHandler } from './handler.ts';

export const plugin: PluginDefinition = {
  name: 'errors',
  setup(d, ctx) {
    return new ErrorsHandler(parseErrors(d), ctx.log);
  },
};
