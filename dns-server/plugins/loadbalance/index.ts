import type { PluginDefinition } from '../../core/plugin.ts';
import { parseLoadbalance } from './parse.ts';
import { LoadbalanceHandler } from './handler.ts';

export const plugin: PluginDefinition = {
  name: 'loadbalance',
  setup(d) {
    parseLoadbalance(d);
    return new LoadbalanceHandler();
  },
};
