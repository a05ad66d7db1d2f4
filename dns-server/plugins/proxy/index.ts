import type { PluginDefinition } from '../../core/plugin.ts';
import { sharedOf } from '../../core/shared.ts';
import { ForwardHandler } from '../forward/handler.ts';
import { parseProxy } from './parse.ts';
import { filesOf } from '../../core/files.ts';
import { upstreamNet } from '../forward/exchange.ts';

export const DEPRECATION = '[WARNING] plugin/proxy: "proxy" is deprecated since CoreDNS 1.4.0 and was removed in 1.6.0; this server handles it as "forward". Write "forward" instead.';

export const plugin: PluginDefinition = {
  name: 'proxy',
  setup(d, ctx) {
    const { config, ignored } = parseProxy(d, filesOf(ctx.hooks));
    ctx.log(DEPRECATION);
    for (const i of ignored) ctx.log(`[WARNING] plugin/proxy: option "${i}" has no effect here and is ignored`);
    return new ForwardHandler(config, sharedOf(ctx), ctx.log, 'proxy', upstreamNet(ctx));
  },
};
