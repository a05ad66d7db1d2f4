// Contracts between the embedded API server (store, HTTP) and what makes the cluster live
// (controllers, pod runtimes, service proxy). Both sides import only these types from
// each other, so either side can change inside without the other noticing.
import type { Duplex, Readable, Writable } from 'node:stream';
import type { EventEmitter } from 'node:events';

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
    blockOwnerDeletion?: boolean;
  }>;
  finalizers?: string[];
  managedFields?: unknown[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/**
 * A resource is named by its plural and group, the way `kubectl api-resources` shows it:
 * "pods", "services", "deployments.apps", "endpointslices.discovery.k8s.io".
 */
export type ResourceName = string;

export interface ListOptions {
  namespace?: string;
  /** "k8s-app=coredns,tier!=x" as the API takes it */
  labelSelector?: string;
  /** "metadata.name=busybox,status.phase=Running" */
  fieldSelector?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

export interface WriteOptions {
  /** defaults to "lab-controller" for in-process writers */
  fieldManager?: string;
  dryRun?: boolean;
}

/**
 * The finalizers the store adds for propagationPolicy Orphan and Foreground; the garbage
 * collector (controllers/garbage-collector.ts) does the work and removes them.
 */
export const ORPHAN_FINALIZER = 'orphan';
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
/** the finalizer in every namespace's spec.finalizers; the namespace controller removes it once the namespace is empty */
export const NAMESPACE_FINALIZER = 'kubernetes';

export interface DeleteOptions extends WriteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
}

/**
 * The in-process face of the API: the same strategies, validation, defaulting, resourceVersions,
 * and watch events as the HTTP API, without HTTP. Controllers and runtimes use only this.
 * Every method returns deep copies (but a readOnly list); errors are thrown as StatusError (see errors.ts).
 */
export interface ClusterStore {
  get(resource: ResourceName, namespace: string | undefined, name: string): KubeObject | undefined;
  /** `readOnly`: the stored objects themselves, uncopied, for a caller that only reads them */
  list(resource: ResourceName, opts?: ListOptions, readOnly?: boolean): { items: KubeObject[]; resourceVersion: string };
  create(resource: ResourceName, obj: KubeObject, opts?: WriteOptions): KubeObject;
  /** full replace; fails with Conflict when metadata.resourceVersion is set and stale */
  update(resource: ResourceName, obj: KubeObject, opts?: WriteOptions): KubeObject;
  /** replace only .status (the status subresource): spec changes in obj are ignored */
  updateStatus(resource: ResourceName, obj: KubeObject, opts?: WriteOptions): KubeObject;
  /**
   * read-modify-write with retry on Conflict; mutate returns the new object or undefined to skip.
   * `status` writes the status subresource; `subresource: 'finalize'` a namespace's spec.finalizers.
   */
  mutate(
    resource: ResourceName, namespace: string | undefined, name: string, mutate: (o: KubeObject) => KubeObject | undefined,
    opts?: { status?: boolean; subresource?: 'finalize' } & WriteOptions,
  ): KubeObject | undefined;
  /**
   * Records the deletion: deletionTimestamp, and the finalizer of propagationPolicy Orphan or
   * Foreground. The object goes at once when nothing holds it; finalizers, a namespace's
   * spec.finalizers and a pod's graceful termination (the kubelet ends it with finalizeDelete)
   * keep it until released. Dependents are the garbage collector's, not the store's.
   */
  delete(resource: ResourceName, namespace: string | undefined, name: string, opts?: DeleteOptions): KubeObject | undefined;
  /** a pod's graceful termination is done: removed, or kept while finalizers still hold it */
  finalizeDelete(resource: ResourceName, namespace: string | undefined, name: string): void;
  /**
   * events for objects matching opts, from now on (no initial ADDED replay); returns unsubscribe.
   * `readOnly`: the stored object itself, uncopied, for a handler that only reads it (most
   * controllers only take its key: a pod's status change was copied once for each controller that watches pods)
   */
  watch(resource: ResourceName, opts: ListOptions, onEvent: (e: WatchEvent) => void, readOnly?: boolean): () => void;
}

/** What a running container's process gets: its stdio, and how a TTY is sized. */
export interface ProcessStreams {
  stdin?: Readable;
  stdout: Writable;
  stderr: Writable;
  tty: boolean;
  /** emits 'resize' with {cols, rows} */
  resize?: EventEmitter;
}

export interface LogOptions {
  container?: string;
  follow?: boolean;
  tailLines?: number;
  previous?: boolean;
  timestamps?: boolean;
  sinceSeconds?: number;
  limitBytes?: number;
}

/**
 * The pod side of the API's pods/exec, pods/attach and pods/log subresources. The API server
 * validates the request (pod exists, is running, container exists) and then calls these.
 * exec resolves to the process exit code. attach resolves 0 when the stream ends, whatever the
 * exit code: like the real kubelet it just closes the streams, and kubectl reads the exit code from
 * the pod status (a non-zero here makes `kubectl run -it` fall back to streaming logs twice).
 */
export interface PodRuntimeHost {
  exec(pod: KubeObject, container: string, command: string[], io: ProcessStreams): Promise<number>;
  attach(pod: KubeObject, container: string, io: ProcessStreams): Promise<number>;
  /** a stream of the container's log; for follow it stays open until the container stops or the reader closes */
  logs(pod: KubeObject, opts: LogOptions): Readable;
  /**
   * pods/portforward: a TCP connection to `port` inside the pod's network namespace (what the
   * container runtime's port forwarder dials), connected; rejects with the runtime's message when
   * nothing listens there. Absent: port-forward is unavailable.
   */
  portForward?(pod: KubeObject, port: number): Promise<Duplex>;
}

/**
 * One running container, as the pod runtimes start it and the kubelet controller watches it.
 * The kubelet owns phases, conditions, restarts and back-off; the runtime owns what runs inside.
 */
export interface ContainerProcess {
  /** settles once, when the process ends: exit code and a kubelet-style reason ("Completed", "Error", "OOMKilled") */
  readonly exited: Promise<{ exitCode: number; reason: string; message?: string }>;
  /** the readiness probe's current answer (true when the container declares no probe and is running) */
  ready(): boolean;
  /** SIGTERM, then SIGKILL after graceMs; resolves when exited has settled */
  stop(graceMs: number): Promise<void>;
}

/** a container's readinessProbe, livenessProbe or startupProbe, defaults applied (core/v1 Probe) */
export interface ProbeSpec {
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: string; httpHeaders?: Array<{ name: string; value: string }> };
  tcpSocket?: { port: number | string; host?: string };
  exec?: { command?: string[] };
  grpc?: { port: number; service?: string };
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  terminationGracePeriodSeconds?: number;
}

/** what a successful pull reports: the image's size and the kubelet's two durations */
export interface PulledImage {
  sizeBytes: number;
  /** the pull itself */
  pullMs: number;
  /** from the request to the end, waiting in the image puller's queue included */
  waitMs: number;
}

export interface ProbeResult {
  ok: boolean;
  output: string;
}

/** The kubelet-facing side of the pod runtimes (the API-facing side is PodRuntimeHost). */
export interface ContainerRuntimeHost extends PodRuntimeHost {
  /**
   * Start one container of a pod that has been scheduled and given its IP (status.podIP).
   * Rejects only when the container cannot be created at all; a process that starts and then
   * fails (e.g. a Corefile error) resolves and reports through `exited`.
   */
  startContainer(pod: KubeObject, containerName: string): Promise<ContainerProcess>;
  /**
   * The CRI's PullImage: resolves when the node has the image, with its size and how long the pull
   * took (`cached`: the node has its layers, an `Always` pull only checks the manifest); rejects
   * with the runtime's error (its message is what the kubelet's `Failed to pull image "x": ...`
   * event carries: `runtime`, the node's container runtime, words it). Absent: every image is on every node.
   */
  pullImage?(image: string, opts?: { cached?: boolean; runtime?: 'containerd' | 'docker' }): Promise<PulledImage>;
  /**
   * Run one probe of a running container as the kubelet's prober does: httpGet and tcpSocket
   * against the pod's listeners, exec inside the container. `output` is the prober's message on
   * failure (`HTTP probe failed with statuscode: 503`, `dial tcp ...: connect: connection refused`,
   * the command's output). Absent: every probe succeeds.
   */
  probe?(pod: KubeObject, containerName: string, probe: ProbeSpec): Promise<ProbeResult>;
  /**
   * A line in glog's format (`I1206 20:44:00.841167       1 <source>] <message>`, E for an error) in a running
   * container's log, for controllers that do what the container's own program would (the
   * kube-dns-autoscaler's scaling). Ignored when the container is not running. Absent: no logs.
   */
  logAs?(pod: KubeObject, containerName: string, source: string, message: string, severity?: 'I' | 'E'): void;
  /** forget a deleted pod's logs and sockets */
  forgetPod(podUid: string): void;
  close(): Promise<void>;
}
