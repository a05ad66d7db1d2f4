import type { PluginDefinition } from '../../core/plugin.ts';
import { parseHosts } from './parse.ts';
import { HostsHandler } from './handler.ts';

export const plugin: PluginDefinition = {
  name: 'hosts',
  setup(d, ctx) {
    return new HostsHandler(parseHosts(d, ctx.zones), ctx);
  },
};
