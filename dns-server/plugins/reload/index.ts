import type { PluginDefinition } from '../../core/plugin.ts';
import { sharedOf } from '../../core/shared.ts';
import { parseReload } from './parse.ts';
import { ReloadHandler } from './handler.ts';
import { filesOf } from '../../core/files.ts';

export const plugin: PluginDefinition = {
  name: 'reload',
  setup(d, ctx) {
    return new ReloadHandler(parseReload(d), sharedOf(ctx), ctx.log, filesOf(ctx.hooks));
  },
};
