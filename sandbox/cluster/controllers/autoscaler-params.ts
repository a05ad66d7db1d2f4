// cluster-proportional-autoscaler's scaling parameters: parsing its ConfigMap (one key, the
// control mode, `linear` or `ladder`, whose value is JSON) and the replicas each mode asks for.
// As kubernetes-sigs/cluster-proportional-autoscaler pkg/autoscaler/controller: plugin.go
// (EnsureController), linearcontroller/linear_controller.go and laddercontroller/ladder_controller.go
// (1.8.5 and later, where an omitted ladder gives 0 replicas). Parsing is apart from the
// controller that polls (dns-autoscaler.ts); a parse error keeps the target's replicas as they are.

export interface LinearParams {
  coresPerReplica?: number;
  nodesPerReplica?: number;
  min?: number;
  max?: number;
  preventSinglePointFailure?: boolean;
  includeUnschedulableNodes?: boolean;
}

/** [resources, replicas] steps, sorted by resources */
export type LadderSteps = Array<[number, number]>;

export interface LadderParams {
  coresToReplicas: LadderSteps;
  nodesToReplicas: LadderSteps;
  includeUnschedulableNodes: boolean;
}

export type ScalingParams = { mode: 'linear'; linear: LinearParams } | { mode: 'ladder'; ladder: LadderParams };

/** what the autoscaler counts (k8sclient.go GetClusterStatus) */
export interface ClusterStatus {
  totalNodes: number;
  schedulableNodes: number;
  totalCores: number;
  schedulableCores: number;
}

/** a ConfigMap the autoscaler cannot use; the message is the one it logs */
export class AutoscalerParamsError extends Error {
  readonly code = 'LAB_ERR_AUTOSCALER_PARAMS';
}

const fail = (message: string): never => {
  throw new AutoscalerParamsError(message);
};

function parseJson(mode: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    return fail(`Error syncing configMap with controller: error parsing ${mode} params: could not parse parameters (${(err as Error).message})`);
  }
}

const num = (v: unknown) => (typeof v === 'number' ? v : 0);

/** linear_controller.go parseParams: min defaults to 1; max >= min; coresPerReplica or nodesPerReplica */
export function parseLinear(text: string): LinearParams {
  const raw = (parseJson('linear', text) ?? {}) as Record<string, unknown>;
  const bad = (why: string) => fail(`Error syncing configMap with controller: error parsing linear params: ${why}`);
  const p: LinearParams = {
    coresPerReplica: num(raw.coresPerReplica), nodesPerReplica: num(raw.nodesPerReplica), min: num(raw.min), max: num(raw.max),
    preventSinglePointFailure: raw.preventSinglePointFailure === true, includeUnschedulableNodes: raw.includeUnschedulableNodes === true,
  };
  if (p.min! < 0) bad(`invalid negative value for min: ${p.min}`);
  if (p.min === 0) p.min = 1;
  if (p.max !== 0 && p.max! < p.min!) bad(`max replicas count ${p.max} should be greater than / equal to min replicas count ${p.min}`);
  if (p.coresPerReplica === 0 && p.nodesPerReplica === 0) bad('should at least provide either CoresPerReplica or NodesPerReplica (Greater than 0)');
  if (p.coresPerReplica! < 0) bad(`invalid negative value for coresPerReplica: ${p.coresPerReplica}`);
  if (p.nodesPerReplica! < 0) bad(`invalid negative value for nodesPerReplica: ${p.nodesPerReplica}`);
  return p;
}

/**
 * ladder_controller.go parseParams: each entry is a Go [2]int (a shorter JSON array is padded with
 * 0, a longer one cut), no negative values; each list sorted by its first value (SyncConfig)
 */
export function parseLadder(text: string): LadderParams {
  const raw = (parseJson('ladder', text) ?? {}) as Record<string, unknown>;
  const bad = (why: string) => fail(`Error syncing configMap with controller: error parsing ladder params: ${why}`);
  const steps = (key: 'coresToReplicas' | 'nodesToReplicas', what: string): LadderSteps => {
    const list = raw[key] ?? [];
    // encoding/json's UnmarshalTypeError: "number 1.5", "array", "object", "string"
    const jsonType = (v: unknown) => (typeof v === 'number' ? `number ${v}` : Array.isArray(v) ? 'array' : typeof v);
    const unmarshal = (v: unknown, type: string) =>
      bad(`could not parse parameters (json: cannot unmarshal ${jsonType(v)} into Go struct field ladderParams.${key} of type ${type})`);
    if (!Array.isArray(list)) return unmarshal(list, 'laddercontroller.paramEntries');
    return list.map((e: unknown): [number, number] => {
      if (!Array.isArray(e)) return unmarshal(e, 'laddercontroller.paramEntry');
      const pair = [e[0] ?? 0, e[1] ?? 0];
      for (const n of pair) if (!Number.isInteger(n)) unmarshal(n, 'int');
      const [at, replicas] = pair as [number, number];
      if (at < 0 || replicas < 0) bad(`invalid negative values in entry [${at} ${replicas}] in ${what}`);
      return [at, replicas];
    }).sort((a, b) => a[0] - b[0]);
  };
  return {
    coresToReplicas: steps('coresToReplicas', 'cores_to_replicas_map'),
    nodesToReplicas: steps('nodesToReplicas', 'nodes_to_replicas_map'),
    includeUnschedulableNodes: raw.includeUnschedulableNodes === true,
  };
}

/** plugin.go EnsureController: exactly one entry, named for its mode */
export function parseScalingParams(data: Record<string, string> | undefined): ScalingParams {
  const keys = Object.keys(data ?? {});
  if (keys.length !== 1) {
    const shown = keys.sort().map((k) => `${k}:${data![k]}`).join(' ');
    return fail(`Error ensuring controller: invalid configMap format, expected only one entry, got: map[${shown}]`);
  }
  const mode = keys[0]!;
  if (mode === 'linear') return { mode, linear: parseLinear(data![mode]!) };
  if (mode === 'ladder') return { mode, ladder: parseLadder(data![mode]!) };
  return fail(`Error ensuring controller: not a supported control mode: ${mode}`);
}

function fromParam(resources: number, perReplica: number | undefined, p: LinearParams): number {
  if (!perReplica) return 1;
  let r = Math.ceil(resources / perReplica);
  if (p.max) r = Math.min(p.max, r);
  return Math.max(p.min ?? 0, r);
}

/** linear_controller.go getExpectedReplicasFromParams */
export function linearReplicas(p: LinearParams, nodes: number, cores: number): number {
  const fromCores = fromParam(cores, p.coresPerReplica, p);
  let fromNodes = fromParam(nodes, p.nodesPerReplica, p);
  if (p.preventSinglePointFailure && nodes > 1 && fromNodes < 2) fromNodes = 2;
  return Math.max(fromCores, fromNodes);
}

/** ladder_controller.go getExpectedReplicasFromEntries: the step at or below `resources` (the first step below all of them); none: 0 */
function ladderStep(resources: number, steps: LadderSteps): number {
  if (steps.length === 0) return 0;
  const above = steps.findIndex(([at]) => resources < at);
  const pos = above === -1 ? steps.length - 1 : Math.max(0, above - 1);
  return steps[pos]![1];
}

/** ladder_controller.go getExpectedReplicasFromParams: the larger of the cores' and the nodes' step */
export function ladderReplicas(p: LadderParams, nodes: number, cores: number): number {
  return Math.max(ladderStep(cores, p.coresToReplicas), ladderStep(nodes, p.nodesToReplicas));
}

/** the replicas the autoscaler sets for this cluster */
export function expectedReplicas(params: ScalingParams, status: ClusterStatus): number {
  const all = params.mode === 'linear' ? params.linear.includeUnschedulableNodes : params.ladder.includeUnschedulableNodes;
  const nodes = all ? status.totalNodes : status.schedulableNodes;
  const cores = all ? status.totalCores : status.schedulableCores;
  return params.mode === 'linear' ? linearReplicas(params.linear, nodes, cores) : ladderReplicas(params.ladder, nodes, cores);
}

/**
 * options.go configMapData.Set: --default-params' JSON object as ConfigMap data, each value
 * marshalled again (compact, keys sorted, as Go's encoding/json writes a map)
 */
export function defaultParamsData(flag: string | undefined): Record<string, string> | undefined {
  if (!flag) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(flag);
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const sorted = (v: unknown): unknown => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]))
    : v);
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, JSON.stringify(sorted(v))]));
}
