// The plugins this server knows, in the order they run (CoreDNS's plugin.cfg). The order of
// lines in a Corefile does not matter; this list does. `fast` says how each plugin behaves
// when the server answers from its answer cache (see core/fast-path.ts).
import type { PluginDefinition } from '../core/plugin.ts';
import type { FastClass } from '../core/fast-path.ts';
import { plugin as reload } from './reload/index.ts';
import { plugin as ready } from './ready/index.ts';
import { plugin as health } from './health/index.ts';
import { plugin as prometheus } from './prometheus/index.ts';
import { plugin as errors } from './errors/index.ts';
import { plugin as log } from './log/index.ts';
import { plugin as any } from './any/index.ts';
import { plugin as loadbalance } from './loadbalance/index.ts';
import { plugin as cache } from './cache/index.ts';
import { plugin as hosts } from './hosts/index.ts';
import { plugin as kubernetes } from './kubernetes/index.ts';
import { plugin as loop } from './loop/index.ts';
import { plugin as forward } from './forward/index.ts';
import { plugin as proxy } from './proxy/index.ts';
import { plugin as whoami } from './whoami/index.ts';

export interface PluginEntry {
  name: string;
  definition: PluginDefinition;
  fast: FastClass;
}

export const PLUGINS: readonly PluginEntry[] = [
  { name: 'reload', definition: reload, fast: 'passthrough' },
  { name: 'ready', definition: ready, fast: 'passthrough' },
  { name: 'health', definition: health, fast: 'passthrough' },
  { name: 'prometheus', definition: prometheus, fast: 'observer' },
  { name: 'errors', definition: errors, fast: 'passthrough' },
  { name: 'log', definition: log, fast: 'observer' },
  { name: 'any', definition: any, fast: 'pure' },
  { name: 'loadbalance', definition: loadbalance, fast: 'observer' },
  // cache passes cluster answers through; its own TTL-bound entries are never reused by the server
  { name: 'cache', definition: cache, fast: 'passthrough' },
  { name: 'hosts', definition: hosts, fast: 'pure' },
  { name: 'kubernetes', definition: kubernetes, fast: 'pure' },
  { name: 'loop', definition: loop, fast: 'passthrough' },
  { name: 'forward', definition: forward, fast: 'volatile' },
  { name: 'proxy', definition: proxy, fast: 'volatile' },
  { name: 'whoami', definition: whoami, fast: 'volatile' },
];

const index = new Map(PLUGINS.map((p, i) => [p.name, i]));

export const isKnownPlugin = (name: string): boolean => index.has(name);
export const pluginIndex = (name: string): number => index.get(name) ?? Number.MAX_SAFE_INTEGER;
export const pluginEntry = (name: string): PluginEntry | undefined => PLUGINS[index.get(name) ?? -1];
