// Typed reads of the parts of a Pod object the runtimes use. The store hands out plain objects;
// these accessors are the one place that knows their shape.
import type { KubeObject } from '../contracts.ts';

export interface ContainerPort { name?: string; containerPort: number; protocol?: 'TCP' | 'UDP' | 'SCTP' }
export interface VolumeMount { name: string; mountPath: string; subPath?: string; readOnly?: boolean }
export interface EnvVar { name: string; value?: string }
export interface Probe {
  httpGet?: { path?: string; port: number | string };
  tcpSocket?: { port: number | string };
  exec?: { command: string[] };
}

export interface ContainerSpec {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  ports?: ContainerPort[];
  volumeMounts?: VolumeMount[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
  workingDir?: string;
}

export interface KeyToPath { key: string; path: string }

export interface ProjectionSource {
  serviceAccountToken?: { path: string; expirationSeconds?: number };
  configMap?: { name: string; items?: KeyToPath[]; optional?: boolean };
  secret?: { name: string; items?: KeyToPath[]; optional?: boolean };
  downwardAPI?: { items?: Array<{ path: string; fieldRef?: { fieldPath: string } }> };
}

export interface VolumeSpec {
  name: string;
  configMap?: { name: string; items?: KeyToPath[]; optional?: boolean };
  secret?: { secretName?: string; items?: KeyToPath[]; optional?: boolean };
  projected?: { sources?: ProjectionSource[] };
  emptyDir?: Record<string, unknown>;
  hostPath?: { path: string };
}

export interface PodSpec {
  containers: ContainerSpec[];
  initContainers?: ContainerSpec[];
  /** added later through pods/ephemeralcontainers (kubectl debug); they run beside the others */
  ephemeralContainers?: Array<ContainerSpec & { targetContainerName?: string }>;
  volumes?: VolumeSpec[];
  dnsPolicy?: 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';
  dnsConfig?: { nameservers?: string[]; searches?: string[]; options?: Array<{ name: string; value?: string }> };
  hostNetwork?: boolean;
  hostname?: string;
  subdomain?: string;
  setHostnameAsFQDN?: boolean;
  hostAliases?: Array<{ ip: string; hostnames: string[] }>;
  nodeName?: string;
  enableServiceLinks?: boolean;
  serviceAccountName?: string;
  /** one PID namespace for the pod's containers, with the pause process as PID 1 */
  shareProcessNamespace?: boolean;
}

export interface PodView {
  name: string;
  namespace: string;
  uid: string;
  spec: PodSpec;
  podIP: string;
  hostIP?: string;
}

export function podView(pod: KubeObject): PodView {
  const status = (pod.status ?? {}) as { podIP?: string; hostIP?: string };
  return {
    name: pod.metadata.name ?? '',
    namespace: pod.metadata.namespace ?? 'default',
    uid: pod.metadata.uid ?? `${pod.metadata.namespace}/${pod.metadata.name}`,
    spec: (pod.spec ?? { containers: [] }) as PodSpec,
    podIP: status.podIP ?? '',
    hostIP: status.hostIP,
  };
}

export function findContainer(pod: PodView, name: string): ContainerSpec | undefined {
  return pod.spec.containers.find((c) => c.name === name) ?? pod.spec.initContainers?.find((c) => c.name === name) ??
    pod.spec.ephemeralContainers?.find((c) => c.name === name);
}
