import type { PluginDefinition } from '../../core/plugin.ts';
import { sharedOf } from '../../core/shared.ts';
import { parseForward } from './parse.ts';
import { ForwardHandler } from './handler.ts';
import { filesOf } from '../../core/files.ts';
import { upstreamNet } from './exchange.ts';

export const plugin: PluginDefinition = {
  name: 'forward',
  setup(d, ctx) {
    return new ForwardHandler(parseForward(d, 'forward', filesOf(ctx.hooks)), sharedOf(ctx), ctx.log, 'forward', upstreamNet(ctx));
  },
};
