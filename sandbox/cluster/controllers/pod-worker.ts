// One pod's life on its node, as the kubelet runs it: IP and volumes, then containers
// (image events, start, readiness, restarts with CrashLoopBackOff), then the terminal phase
// for restartPolicy Never/OnFailure, and graceful termination on delete.
import type { Container, PodCondition, PodSpec } from 'kubernetes-types/core/v1.js';
import type { ClusterStore, ContainerRuntimeHost, KubeObject, ProbeSpec, PulledImage } from '../contracts.ts';
import { newContainerId, renderContainerStatus, type ContainerRecord } from './container-status.ts';
import type { EventRecorder } from './events.ts';
import { allocatePodIp, nodeInternalIp } from './pod-ip.ts';
import { missingConfigMap } from './pod-volumes.ts';
import { nodeHasImage, nodeRuntime, recordNodeImage } from './node-images.ts';
import { nowIso } from './pod-status.ts';

const BACKOFF_START_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;
/** a container that ran this long without failing starts its back-off afresh */
const BACKOFF_RESET_MS = 600_000;
/** the kubelet's PLEG relists containers every second: the next pod sync after a change */
const PLEG_RELIST_MS = 1000;

// the API's own types: what the API server stored, defaulted and validated
/** a pod's container as validation admits it: with an image */
type ContainerSpec = Container & { image: string };
type Condition = PodCondition;
type AdmittedPodSpec = Omit<PodSpec, 'containers' | 'ephemeralContainers'> & {
  containers: ContainerSpec[];
  ephemeralContainers?: ContainerSpec[];
};

export interface PodWorkerDeps {
  store: ClusterStore;
  runtime: ContainerRuntimeHost;
  events: EventRecorder;
  /** how long a missing ConfigMap is retried before the next FailedMount (doubles, capped) */
  mountRetryMs?: number;
}

export class PodWorker {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  private pod: KubeObject;
  private readonly containers: ContainerRecord[];
  /** kubectl debug's containers: started once when they appear, never restarted, outside readiness and phase */
  private readonly ephemeral: ContainerRecord[] = [];
  private phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  private sandboxReady = false;
  private stopping = false;
  private mountRetryMs: number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private startedAt = new Map<string, number>();
  /** containers a sandbox restart resumes: their images were pulled on this node before */
  private readonly resumed = new Set<string>();

  constructor(private readonly deps: PodWorkerDeps, pod: KubeObject) {
    this.pod = pod;
    this.uid = pod.metadata.uid!;
    this.namespace = pod.metadata.namespace!;
    this.name = pod.metadata.name!;
    this.mountRetryMs = deps.mountRetryMs ?? 2000;
    type PreviousStatus = { name: string; restartCount?: number; imageID?: string };
    const previous = ((pod.status as { containerStatuses?: PreviousStatus[] })?.containerStatuses) ?? [];
    for (const p of previous) if (p.imageID) this.resumed.add(p.name);
    this.containers = this.spec.containers.map((c) => ({
      name: c.name,
      image: c.image,
      state: { kind: 'waiting', reason: 'ContainerCreating' },
      // a sandbox restart resumes the pod: its restart count is history, not reset
      restartCount: previous.find((p) => p.name === c.name)?.restartCount ?? 0,
      ready: false,
      backoffMs: 0,
    }));
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    this.phase = phase === 'Running' ? 'Running' : 'Pending';
  }

  private get spec(): AdmittedPodSpec {
    return this.pod.spec as AdmittedPodSpec;
  }

  private get source() {
    return { component: 'kubelet', host: this.spec.nodeName };
  }

  /** the pod changed in the store (e.g. a label): keep the newest copy for events and runtimes */
  update(pod: KubeObject): void {
    if (pod.metadata.uid !== this.uid) return;
    this.pod = pod;
    this.startEphemeral();
  }

  /** ephemeral containers new in the spec start now (once the sandbox is up), as the kubelet's next sync starts them */
  private startEphemeral(): void {
    if (!this.sandboxReady || this.stopping) return;
    for (const e of this.spec.ephemeralContainers ?? []) {
      if (this.ephemeral.some((c) => c.name === e.name)) continue;
      const c: ContainerRecord = {
        name: e.name, image: e.image, state: { kind: 'waiting', reason: 'ContainerCreating' }, restartCount: 0, ready: false, backoffMs: 0,
      };
      this.ephemeral.push(c);
      void this.startContainer(c, false);
    }
  }

  private fieldPathOf(c: ContainerRecord): string {
    return `spec.${this.ephemeral.includes(c) ? 'ephemeralContainers' : 'containers'}{${c.name}}`;
  }

  start(): void {
    this.assignAddresses();
    this.writeStatus();
    this.mountVolumes();
  }

  /** a ConfigMap appeared or changed: a pod stuck in FailedMount tries again now */
  retryMount(): void {
    if (!this.sandboxReady && !this.stopping) this.mountVolumes();
  }

  private assignAddresses(): void {
    const status = (this.pod.status ?? {}) as { podIP?: string; hostIP?: string };
    if (status.podIP) return;
    const node = this.deps.store.get('nodes', undefined, this.spec.nodeName!);
    if (!node) return;
    const hostIP = nodeInternalIp(node) ?? '';
    const podIP = this.spec.hostNetwork
      ? hostIP
      : allocatePodIp(node, this.deps.store.list('pods').items.filter((p) => (p.spec as PodSpec).nodeName === node.metadata.name && p.metadata.uid !== this.uid));
    const written = this.deps.store.mutate('pods', this.namespace, this.name, (p) => {
      if (p.metadata.uid !== this.uid) return undefined;
      const s = (p.status ?? {}) as Record<string, unknown>;
      p.status = { ...s, hostIP, hostIPs: [{ ip: hostIP }], podIP, podIPs: [{ ip: podIP }], startTime: s.startTime ?? nowIso() };
      return p;
    }, { status: true });
    if (written) this.pod = written;
  }

  private mountVolumes(): void {
    if (this.stopping) return;
    const missing = missingConfigMap(this.deps.store, this.pod);
    if (missing) {
      this.deps.events.record(this.source, this.pod, 'Warning', 'FailedMount',
        `MountVolume.SetUp failed for volume "${missing.volume}" : configmap "${missing.configMap}" not found`);
      this.later(() => this.mountVolumes(), this.mountRetryMs);
      this.mountRetryMs = Math.min(this.mountRetryMs * 2, 30_000);
      return;
    }
    if (this.sandboxReady) return;
    this.sandboxReady = true;
    this.writeStatus();
    for (const c of this.containers) void this.startContainer(c, false);
    this.startEphemeral();
  }

  private async startContainer(c: ContainerRecord, restart: boolean): Promise<void> {
    if (this.stopping) return;
    const spec = [...this.spec.containers, ...(this.spec.ephemeralContainers ?? [])].find((s) => s.name === c.name)!;
    const fieldPath = this.fieldPathOf(c);
    // the kubelet's startContainer asks EnsureImageExists on every start, restarts included, so a
    // restart repeats Pulled (or Pulling and Pulled for Always), Created and Started
    if (!(await this.ensureImage(c, spec, fieldPath, restart))) return;
    let proc;
    try {
      proc = await this.deps.runtime.startContainer(this.pod, c.name);
    } catch (err) {
      c.state = { kind: 'waiting', reason: 'CreateContainerError', message: (err as Error).message };
      this.deps.events.record(this.source, this.pod, 'Warning', 'Failed', `Error: ${(err as Error).message}`, fieldPath);
      this.writeStatus();
      if (!this.ephemeral.includes(c)) this.scheduleRestart(c);
      return;
    }
    if (this.stopping) {
      await proc.stop(0);
      return;
    }
    if (restart) c.restartCount++;
    c.proc = proc;
    c.containerID = newContainerId();
    const startedAt = nowIso();
    this.startedAt.set(c.name, Date.now());
    c.state = { kind: 'running', startedAt };
    this.startProbes(c, spec, proc);
    // an ephemeral container is never ready (the kubelet reports them so)
    c.ready = !this.ephemeral.includes(c) && (c.probedReady ?? proc.ready());
    this.deps.events.record(this.source, this.pod, 'Normal', 'Created', `Created container: ${c.name}`, fieldPath);
    this.deps.events.record(this.source, this.pod, 'Normal', 'Started', `Started container ${c.name}`, fieldPath);
    // Running once every container has started at least once, as the kubelet's getPhase counts
    if (this.phase === 'Pending' && this.containers.every((x) => x.containerID || x.lastTerminated)) this.phase = 'Running';
    this.writeStatus();
    void proc.exited.then((exit) => this.onExit(c, proc, startedAt, exit));
  }

  /**
   * The kubelet's EnsureImageExists (pkg/kubelet/images/image_manager.go, release-1.32) and the
   * `Error: ...` event kuberuntime_container.go's startContainer adds. The node's image store
   * (node-images.ts) decides: an IfNotPresent image the node has is "already present", one it lacks
   * is pulled (Pulling, then "Successfully pulled ... in X (Y including waiting). Image size: N
   * bytes."), an Always image is pulled on every start; a pull that fails is ErrImagePull, the
   * next sync finds it in back-off (ImagePullBackOff, 10 s doubling to 300 s), then it pulls again
   */
  private async ensureImage(c: ContainerRecord, spec: ContainerSpec, fieldPath: string, restart: boolean): Promise<boolean> {
    const record = (type: 'Normal' | 'Warning', reason: string, message: string) =>
      this.deps.events.record(this.source, this.pod, type, reason, message, fieldPath);
    const runtime = this.deps.runtime;
    const nodeName = this.spec.nodeName!;
    const policy = pullPolicy(spec);
    // without a pull step (unit tests' runtimes) every image is on every node
    const present = !runtime.pullImage || this.resumed.has(c.name) || nodeHasImage(this.deps.store.get('nodes', undefined, nodeName), spec.image);
    if (policy === 'Never' || (policy === 'IfNotPresent' && present)) {
      if (present) {
        c.pullBackoffMs = undefined;
        record('Normal', 'Pulled', `Container image "${spec.image}" already present on machine`);
        return true;
      }
      const message = `Container image "${spec.image}" is not present with pull policy of Never`;
      record('Warning', 'ErrImageNeverPull', message);
      record('Warning', 'Failed', 'Error: ErrImageNeverPull');
      c.state = { kind: 'waiting', reason: 'ErrImageNeverPull', message };
      this.writeStatus();
      return false;
    }
    record('Normal', 'Pulling', `Pulling image "${spec.image}"`);
    let failure: string | undefined;
    let pulled: PulledImage | undefined;
    try {
      pulled = await runtime.pullImage!(spec.image, { cached: present, runtime: nodeRuntime(this.deps.store.get('nodes', undefined, nodeName)) });
    } catch (err) {
      failure = (err as Error).message;
    }
    if (this.stopping) return false;
    if (pulled) {
      c.pullBackoffMs = undefined;
      record('Normal', 'Pulled', `Successfully pulled image "${spec.image}" in ${goDuration(pulled.pullMs)} ` +
        `(${goDuration(pulled.waitMs)} including waiting). Image size: ${pulled.sizeBytes} bytes.`);
      recordNodeImage(this.deps.store, nodeName, spec.image, pulled.sizeBytes);
      return true;
    }
    record('Warning', 'Failed', `Failed to pull image "${spec.image}": ${failure}`);
    record('Warning', 'Failed', 'Error: ErrImagePull');
    c.state = { kind: 'waiting', reason: 'ErrImagePull', message: failure };
    this.writeStatus();
    const delay = c.pullBackoffMs = c.pullBackoffMs === undefined ? BACKOFF_START_MS : Math.min(c.pullBackoffMs * 2, BACKOFF_MAX_MS);
    // the pod's next sync (a PLEG relist, about a second on) finds the image in back-off
    this.later(() => {
      record('Normal', 'BackOff', `Back-off pulling image "${spec.image}"`);
      record('Warning', 'Failed', 'Error: ImagePullBackOff');
      c.state = { kind: 'waiting', reason: 'ImagePullBackOff', message: `Back-off pulling image "${spec.image}": ErrImagePull: ${failure}` };
      this.writeStatus();
    }, Math.min(PLEG_RELIST_MS, delay));
    this.later(() => void this.startContainer(c, restart), delay);
    return false;
  }

  private onExit(c: ContainerRecord, proc: NonNullable<ContainerRecord['proc']>, startedAt: string, exit: { exitCode: number; reason: string; message?: string }): void {
    if (this.stopping || c.proc !== proc) return;
    c.stopProbes?.();
    c.proc = undefined;
    c.ready = false;
    const terminated = {
      kind: 'terminated' as const,
      exitCode: exit.exitCode,
      reason: exit.reason,
      ...(exit.message ? { message: exit.message } : {}),
      startedAt,
      finishedAt: nowIso(),
      containerID: c.containerID ?? '',
    };
    if (this.ephemeral.includes(c)) {
      c.state = terminated;
      this.writeStatus();
      return;
    }
    const policy = this.spec.restartPolicy ?? 'Always';
    const restart = policy === 'Always' || (policy === 'OnFailure' && exit.exitCode !== 0);
    if (!restart) {
      c.state = terminated;
      const all = this.containers.every((x) => x.state.kind === 'terminated');
      if (all) this.phase = this.containers.every((x) => x.state.kind === 'terminated' && x.state.exitCode === 0) ? 'Succeeded' : 'Failed';
      this.writeStatus();
      return;
    }
    c.lastTerminated = terminated;
    if (Date.now() - (this.startedAt.get(c.name) ?? 0) >= BACKOFF_RESET_MS) c.backoffMs = 0;
    this.scheduleRestart(c);
  }

  private scheduleRestart(c: ContainerRecord): void {
    const delay = c.backoffMs;
    c.backoffMs = delay === 0 ? BACKOFF_START_MS : Math.min(delay * 2, BACKOFF_MAX_MS);
    if (delay === 0) {
      c.state = { kind: 'waiting', reason: 'ContainerCreating' };
      void this.startContainer(c, true);
      return;
    }
    const pod = `${this.name}_${this.namespace}(${this.uid})`;
    c.state = { kind: 'waiting', reason: 'CrashLoopBackOff', message: `back-off ${delay / 1000}s restarting failed container=${c.name} pod=${pod}` };
    this.deps.events.record(this.source, this.pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${pod}`, `spec.containers{${c.name}}`);
    this.writeStatus();
    this.later(() => void this.startContainer(c, true), delay);
  }

  /**
   * The kubelet's probe workers (pkg/kubelet/prober/worker.go): startup first, then readiness and
   * liveness, each every periodSeconds after initialDelaySeconds, counting consecutive results
   * against successThreshold/failureThreshold; every failure is an Unhealthy event (prober.go),
   * and a failed liveness or startup probe kills the container for a restart
   */
  private startProbes(c: ContainerRecord, spec: ContainerSpec, proc: NonNullable<ContainerRecord['proc']>): void {
    c.stopProbes?.();
    c.stopProbes = undefined;
    c.probedReady = undefined;
    c.started = undefined;
    const runtime = this.deps.runtime;
    if (!runtime.probe) return;
    const probes = ([['Startup', spec.startupProbe], ['Readiness', spec.readinessProbe], ['Liveness', spec.livenessProbe]] as const)
      .filter((x): x is readonly ['Startup' | 'Readiness' | 'Liveness', ProbeSpec] => !!x[1]);
    if (!probes.length) return;
    c.started = !spec.startupProbe;
    if (spec.readinessProbe) c.probedReady = false;
    const timers = new Set<NodeJS.Timeout>();
    let stopped = false;
    c.stopProbes = () => {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    };
    const fieldPath = `spec.containers{${c.name}}`;
    const live = () => !stopped && !this.stopping && c.proc === proc;
    for (const [type, p] of probes) {
      let successes = 0;
      let failures = 0;
      const schedule = (ms: number) => {
        const t = setTimeout(() => { timers.delete(t); void tick(); }, ms);
        t.unref();
        timers.add(t);
      };
      const period = (p.periodSeconds ?? 10) * 1000;
      const tick = async () => {
        if (!live()) return;
        if (type !== 'Startup' && !c.started) return schedule(period);
        const r = await runtime.probe!(this.pod, c.name, p);
        if (!live()) return;
        if (r.ok) {
          successes++;
          failures = 0;
        } else {
          failures++;
          successes = 0;
          this.deps.events.record(this.source, this.pod, 'Warning', 'Unhealthy', `${type} probe failed: ${r.output}`, fieldPath);
        }
        if (type === 'Readiness') {
          const next = r.ok
            ? successes >= (p.successThreshold ?? 1)
              ? true
              : c.probedReady
            : failures >= (p.failureThreshold ?? 3)
              ? false
              : c.probedReady;
          if (next !== c.probedReady) {
            c.probedReady = next;
            this.pollReadiness();
          }
        } else if (r.ok && type === 'Startup') {
          c.started = true;
          this.writeStatus();
          return;
        } else if (!r.ok && failures >= (p.failureThreshold ?? 3)) {
          this.deps.events.record(this.source, this.pod, 'Normal', 'Killing',
            `Container ${c.name} failed ${type.toLowerCase()} probe, will be restarted`, fieldPath);
          c.stopProbes?.();
          const grace = p.terminationGracePeriodSeconds ?? this.spec.terminationGracePeriodSeconds ?? 30;
          void proc.stop(grace * 1000).catch(() => undefined);
          return;
        }
        schedule(period);
      };
      // readiness is probed as soon as a status sync sees the container running (prober_manager's
      // UpdatePodStatus trigger), the others on their worker's period; both wait initialDelaySeconds
      schedule(Math.max((p.initialDelaySeconds ?? 0) * 1000, type === 'Readiness' ? PLEG_RELIST_MS : period));
    }
  }

  /** called by the kubelet's poller: the runtime's probe answer becomes the Ready condition */
  pollReadiness(): void {
    if (this.stopping) return;
    let changed = false;
    for (const c of this.containers) {
      const ready = c.state.kind === 'running' && !!c.proc && (c.probedReady ?? c.proc.ready());
      if (ready !== c.ready) {
        c.ready = ready;
        changed = true;
      }
    }
    if (changed) this.writeStatus();
  }

  /** graceful deletion: Killing events, SIGTERM then SIGKILL after the grace period */
  async terminate(graceMs: number): Promise<void> {
    const wasStopping = this.stopping;
    this.stopping = true;
    this.clearTimers();
    if (wasStopping) return;
    for (const c of this.containers) c.stopProbes?.();
    const running = [...this.containers, ...this.ephemeral].filter((c) => c.proc);
    for (const c of running)
      this.deps.events.record(this.source, this.pod, 'Normal', 'Killing', `Stopping container ${c.name}`, this.fieldPathOf(c));
    await Promise.all(running.map((c) => c.proc!.stop(graceMs).catch(() => undefined)));
  }

  /** the sandbox is shutting down: stop processes, keep the pod's status as it was */
  async shutdown(graceMs: number): Promise<void> {
    this.stopping = true;
    for (const c of this.containers) c.stopProbes?.();
    this.clearTimers();
    const running = [...this.containers, ...this.ephemeral].filter((c) => c.proc);
    await Promise.all(running.map((c) => c.proc!.stop(graceMs).catch(() => undefined)));
  }

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private writeStatus(): void {
    if (this.stopping) return;
    const terminal = this.phase === 'Succeeded' || this.phase === 'Failed';
    const unready = this.containers.filter((c) => !c.ready).map((c) => c.name);
    const containersReady: Condition = terminal
      ? { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' }
      : unready.length
        ? { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` }
        : { type: 'ContainersReady', status: 'True' };
    const next: Condition[] = [
      { type: 'PodReadyToStartContainers', status: this.sandboxReady && !terminal ? 'True' : 'False' },
      { type: 'Initialized', status: 'True' },
      { ...containersReady, type: 'Ready' },
      containersReady,
      { type: 'PodScheduled', status: 'True' },
    ];
    const written = this.deps.store.mutate('pods', this.namespace, this.name, (p) => {
      if (p.metadata.uid !== this.uid) return undefined;
      const old = (p.status ?? {}) as Record<string, unknown> & { conditions?: Condition[] };
      const status: Record<string, unknown> = {
        ...old,
        phase: this.phase,
        conditions: next.map((c) => {
          const prev = old.conditions?.find((o) => o.type === c.type);
          return { ...c, lastProbeTime: null, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : nowIso() };
        }),
        containerStatuses: this.containers.map(renderContainerStatus),
        ...(this.ephemeral.length ? { ephemeralContainerStatuses: this.ephemeral.map(renderContainerStatus) } : {}),
        qosClass: old.qosClass ?? qosClass(this.spec.containers),
      };
      if (JSON.stringify(status) === JSON.stringify(old)) return undefined;
      p.status = status;
      return p;
    }, { status: true });
    if (written) this.pod = written;
  }
}

/**
 * The pull policy the API server defaulted (Always for `:latest` or no tag, IfNotPresent
 * otherwise); a pod written straight to the store may lack it, so the default is worked out again
 */
function pullPolicy(spec: ContainerSpec): 'Always' | 'IfNotPresent' | 'Never' {
  if (spec.imagePullPolicy === 'Always' || spec.imagePullPolicy === 'IfNotPresent' || spec.imagePullPolicy === 'Never') return spec.imagePullPolicy;
  if (spec.image.includes('@')) return 'IfNotPresent';
  const last = spec.image.replace(/^.*\//, '');
  const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1) : '';
  return !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/**
 * Go's time.Duration.String() of a duration the kubelet truncated to milliseconds: "0s", "734ms",
 * "1.2s", "1.234s", "1m2.5s"
 */
export function goDuration(ms: number): string {
  const whole = Math.max(0, Math.floor(ms));
  if (whole === 0) return '0s';
  if (whole < 1000) return `${whole}ms`;
  const minutes = Math.floor(whole / 60_000);
  const rest = whole % 60_000;
  const frac = String(rest % 1000).padStart(3, '0').replace(/0+$/, '');
  const seconds = `${Math.floor(rest / 1000)}${frac ? `.${frac}` : ''}s`;
  return minutes ? `${minutes}m${seconds}` : seconds;
}

export function qosClass(containers: ContainerSpec[]): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const any = containers.some((c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length);
  if (!any) return 'BestEffort';
  const guaranteed = containers.every((c) => {
    const l = c.resources?.limits ?? {};
    const r = { ...l, ...c.resources?.requests };
    return ['cpu', 'memory'].every((k) => l[k] !== undefined && l[k] === r[k]);
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
