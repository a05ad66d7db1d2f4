// Corefile text -> a configuration ready to serve: every directive set up as a handler, the
// handlers of each server block folded into a chain, and the chains grouped by port.
// No sockets are opened here, so a bad Corefile on reload costs nothing.
import type { Handler, PluginContext, ServerHooks } from './plugin.ts';
import { PluginError } from './plugin.ts';
import { Chain } from './chain.ts';
import type { ZoneRoute } from './dispatch.ts';
import { parseCorefile, type ServerBlock } from '../corefile/parse.ts';
import { CorefileError } from '../errors.ts';
import { pluginIndex, pluginEntry, isKnownPlugin } from '../plugins/order.ts';
import { withShared, type InstanceShared } from './shared.ts';

export interface PortConfig {
  port: number;
  routes: ZoneRoute[];
  /** "dns://:53" style label of the first block on this port (banner and metrics) */
  server: string;
}

export interface Config {
  blocks: ServerBlock[];
  ports: PortConfig[];
  handlers: Handler[];
  /** "cluster.local.:53" lines for the banner */
  banner: string[];
}

export interface BuildOptions {
  text: string;
  file: string;
  dnsPort: number;
  env: Record<string, string | undefined>;
  hooks: ServerHooks;
  log: (line: string) => void;
  dataChanged: () => void;
  shared: InstanceShared;
}

export function buildConfig(o: BuildOptions): Config {
  const blocks = parseCorefile(o.text, { file: o.file, env: o.env, isKnownPlugin, defaultPort: o.dnsPort, files: o.hooks.files });
  const byPort = new Map<number, PortConfig>();
  const handlers: Handler[] = [];
  for (const block of blocks) {
    const zones = block.keys.map((k) => k.zone);
    // CoreDNS sets up each block once per key; the keys of a block share one port in practice
    const ports = [...new Set(block.keys.map((k) => k.port))];
    for (const port of ports) {
      const blockZones = block.keys.filter((k) => k.port === port).map((k) => k.zone);
      const server = `dns://:${port}`;
      const ctx: PluginContext = withShared(
        { zones: blockZones, port, log: o.log, dataChanged: o.dataChanged, env: o.env, hooks: o.hooks },
        o.shared,
      );
      const sorted = [...block.directives].sort((a, b) => pluginIndex(a.name) - pluginIndex(b.name));
      const chainHandlers: Handler[] = [];
      for (const d of sorted) {
        const entry = pluginEntry(d.name)!;
        try {
          chainHandlers.push(entry.definition.setup(d, ctx));
        } catch (err) {
          if (err instanceof CorefileError) throw err;
          const msg = err instanceof PluginError ? err.message : `plugin/${d.name}: ${(err as Error).message}`;
          const line = err instanceof PluginError && err.line ? err.line : d.line;
          throw new CorefileError(err instanceof PluginError && err.file ? err.file : d.file, line, msg);
        }
      }
      const chain = new Chain(chainHandlers, sorted.map((d) => pluginEntry(d.name)!.fast));
      handlers.push(...chainHandlers);
      const pc = byPort.get(port) ?? { port, routes: [], server };
      for (const zone of blockZones) pc.routes.push({ zone, chain, server });
      byPort.set(port, pc);
    }
    void zones;
  }
  const banner = [...byPort.values()].flatMap((pc) => startUpZones(pc));
  return { blocks, ports: [...byPort.values()], handlers, banner };
}

// core/dnsserver's startUpZones: one server per address, its zones sorted as Go sorts strings
// (byte order), each after a warning when it is not RFC 1035 preferred syntax
function startUpZones(pc: PortConfig): string[] {
  const zones = [...new Set(pc.routes.map((r) => r.zone))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: string[] = [];
  for (const z of zones) {
    if (!checkZoneSyntax(z)) out.push(`Warning: Domain "${z}" does not follow RFC1035 preferred syntax`);
    out.push(`${z}:${pc.port}`);
  }
  return out;
}

function checkZoneSyntax(zone: string): boolean {
  if (zone === '.' || zone.endsWith('.in-addr.arpa.') || zone.endsWith('.ip6.arpa.')) return true;
  return /^(([A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?)\.)+$/.test(zone);
}
