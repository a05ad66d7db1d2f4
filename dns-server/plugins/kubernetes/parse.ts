// Turns the `kubernetes` directive of a Corefile into a KubernetesConfig (CoreDNS's
// kubernetesParse). Pure: no files, no sockets; every problem throws a PluginError naming the
// Corefile line, in CoreDNS's words.
import { PluginError, type Directive } from '../../core/plugin.ts';
import { isReverseZone, reverseZonesForCidr } from './ip.ts';

export type PodMode = 'disabled' | 'insecure' | 'verified';

export interface KubernetesConfig {
  /** zones the plugin answers for, lower case with a trailing dot; CIDRs already expanded */
  zones: string[];
  /** the first forward zone: PTR targets and NS names live under it */
  primaryZone: string;
  endpoint?: string;
  kubeconfig?: { path: string; context?: string };
  tls?: { cert: string; key: string; ca: string };
  /** exposed namespaces; empty means every namespace */
  namespaces: Set<string>;
  labels?: string;
  namespaceLabels?: string;
  pods: PodMode;
  endpointPodNames: boolean;
  ttl: number;
  noEndpoints: boolean;
  /** undefined: no fallthrough; []: every zone; otherwise these zones */
  fallthrough?: string[];
  ignoreEmptyService: boolean;
  /** how long start() waits for the first sync before serving anyway (CoreDNS: 5s) */
  startupTimeoutMs: number;
}

export const DEFAULT_TTL = 5;
export const MAX_TTL = 3600;

function zoneName(z: string): string {
  const s = z.toLowerCase();
  if (s === '.' || s === '') return '.';
  return s.endsWith('.') ? s : `${s}.`;
}

/** zones from arguments (or the server block), with CIDRs turned into reverse zones */
export function expandZones(args: string[]): string[] | string {
  const out: string[] = [];
  for (const a of args) {
    const bare = a.replace(/^dns:\/\//i, '');
    if (bare.includes('/')) {
      const zones = reverseZonesForCidr(bare);
      if (!zones) return `not a valid zone or CIDR: '${a}'`;
      out.push(...zones);
    } else {
      out.push(zoneName(bare.replace(/:\d+$/, '')));
    }
  }
  return [...new Set(out)];
}

function durationMs(d: string): number {
  const n = parseInt(d, 10);
  return d.endsWith('ms') ? n : d.endsWith('m') ? n * 60_000 : n * 1000;
}

export function parseKubernetes(d: Directive, serverZones: string[]): KubernetesConfig {
  const fail = (line: number, problem: string): never => {
    throw new PluginError('kubernetes', `${d.file}:${line} - Error during parsing: ${problem}`, d.file, line);
  };
  const argErr = (line: number, name: string): never => fail(line, `Wrong argument count or unexpected line ending after '${name}'`);

  const zones = expandZones(d.args.length > 0 ? d.args : serverZones);
  if (typeof zones === 'string') return fail(d.line, zones);
  const primaryZone = zones.find((z) => !isReverseZone(z));
  if (!primaryZone) return fail(d.line, `non-reverse zone name must be used: add a forward zone such as cluster.local to 'kubernetes ${d.args.join(' ')}'`);

  const cfg: KubernetesConfig = {
    zones,
    primaryZone,
    namespaces: new Set(),
    pods: 'disabled',
    endpointPodNames: false,
    ttl: DEFAULT_TTL,
    noEndpoints: false,
    ignoreEmptyService: false,
    startupTimeoutMs: 5000,
  };

  for (const { name, args, line } of d.block) {
    switch (name) {
      case 'endpoint':
        if (args.length === 0) argErr(line, name);
        if (!/^https?:\/\/[^/\s]+/i.test(args[0]!)) fail(line, `endpoint must be a URL such as http://127.0.0.1:8080 or https://10.0.0.1:6443, got '${args[0]}'`);
        cfg.endpoint = args[0]!.replace(/\/+$/, '');
        break;
      case 'kubeconfig':
        if (args.length < 1 || args.length > 2) argErr(line, name);
        cfg.kubeconfig = { path: args[0]!, context: args[1] };
        break;
      case 'tls':
        if (args.length !== 3) argErr(line, name);
        cfg.tls = { cert: args[0]!, key: args[1]!, ca: args[2]! };
        break;
      case 'namespaces':
        if (args.length === 0) argErr(line, name);
        for (const ns of args) cfg.namespaces.add(ns.toLowerCase());
        break;
      case 'labels':
        if (args.length === 0) argErr(line, name);
        cfg.labels = args.join(' ');
        break;
      case 'namespace_labels':
        if (args.length === 0) argErr(line, name);
        cfg.namespaceLabels = args.join(' ');
        break;
      case 'pods':
        if (args.length !== 1) argErr(line, name);
        if (args[0] !== 'disabled' && args[0] !== 'insecure' && args[0] !== 'verified') {
          fail(line, `wrong value for pods: ${args[0]},  must be one of: disabled, verified, insecure`);
        }
        cfg.pods = args[0] as PodMode;
        break;
      case 'endpoint_pod_names':
        if (args.length !== 0) argErr(line, name);
        cfg.endpointPodNames = true;
        break;
      case 'ttl': {
        if (args.length !== 1) argErr(line, name);
        if (!/^-?\d+$/.test(args[0]!)) fail(line, `strconv.Atoi: parsing "${args[0]}": invalid syntax (ttl takes whole seconds, 0 to ${MAX_TTL})`);
        const ttl = Number(args[0]);
        if (ttl < 0 || ttl > MAX_TTL) fail(line, `ttl must be in range [0, ${MAX_TTL}]: ${ttl}`);
        cfg.ttl = ttl;
        break;
      }
      case 'noendpoints':
        if (args.length !== 0) argErr(line, name);
        cfg.noEndpoints = true;
        break;
      case 'fallthrough': {
        const fz = expandZones(args);
        if (typeof fz === 'string') fail(line, fz);
        cfg.fallthrough = fz as string[];
        break;
      }
      case 'ignore':
        if (args.length !== 1) argErr(line, name);
        if (args[0] !== 'empty_service') fail(line, `unable to parse ignore value: '${args[0]}' (the only value is empty_service)`);
        cfg.ignoreEmptyService = true;
        break;
      case 'startup_timeout':
        if (args.length !== 1) argErr(line, name);
        if (!/^\d+(ms|s|m)$/.test(args[0]!)) fail(line, `time: invalid duration "${args[0]}" (write it like 5s)`);
        cfg.startupTimeoutMs = durationMs(args[0]!);
        break;
      default:
        fail(line, `unknown property '${name}'`);
    }
  }
  if (cfg.endpoint && cfg.kubeconfig) {
    // CoreDNS lets kubeconfig win silently; saying so avoids a confusing connection to the wrong API
    fail(d.line, "use either 'endpoint' or 'kubeconfig', not both");
  }
  return cfg;
}
