import type { PluginDefinition } from '../../core/plugin.ts';
import { parseAny } from './parse.ts';
import { AnyHandler } from './handler.ts';

export const plugin: PluginDefinition = {
  name: 'any',
  setup(d) {
    parseAny(d);
    return new AnyHandler();
  },
};
