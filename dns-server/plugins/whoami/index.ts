import type { PluginDefinition } from '../../core/plugin.ts';
import { parseWhoami } from './parse.ts';
import { WhoamiHandler } from './handler.ts';

export const plugin: PluginDefinition = {
  name: 'whoami',
  setup(d) {
    parseWhoami(d);
    return new WhoamiHandler();
  },
};
