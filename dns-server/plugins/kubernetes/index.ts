// Registers the `kubernetes` plugin: parse the directive, decide where the API is, build the
// handler. Nothing connects until the server calls start().
import { PluginError, type PluginDefinition } from '../../core/plugin.ts';
import { KubernetesHandler } from './handler.ts';
import { chooseSource, KubeconfigError } from './source.ts';
import { parseKubernetes } from './parse.ts';
import { filesOf } from '../../core/files.ts';

export const plugin: PluginDefinition = {
  name: 'kubernetes',
  setup(directive, ctx) {
    const cfg = parseKubernetes(directive, ctx.zones);
    try {
      return new KubernetesHandler(cfg, ctx, chooseSource(cfg, ctx.hooks.kubeconfig, ctx.env, filesOf(ctx.hooks)));
    } catch (err) {
      if (err instanceof KubeconfigError) throw new PluginError('kubernetes', `${directive.file}:${directive.line} - ${err.message}`, directive.file, directive.line);
      throw err;
    }
  },
};
