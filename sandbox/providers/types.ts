// The one contract every cluster provider (embedded, kind, minikube, existing) keeps: detect
// whether it can run here, bring a cluster up in the chapter's starting state (creating it or
// preparing it), report on it, reset it, take it down, and give the rest of the sandbox a
// kubeconfig and context the real kubectl uses.

export type ProviderName = 'embedded' | 'kind' | 'minikube' | 'existing';

/** which fresh cluster the embedded provider plays: the chapter's kops cluster, or a kubeadm one as kind or minikube make it */
export type { ClusterProfile } from '../cluster/cluster.ts';
import type { ClusterProfile } from '../cluster/cluster.ts';

export interface UpOptions {
  /** the state dir (default .coredns-lab); the provider writes <stateDir>/kubeconfig */
  stateDir: string;
  /** publish the cluster DNS Service on 127.0.0.1:<dnsPort> for host tools (embedded) */
  dnsPort?: number;
  /** one human line per phase of a start that takes over a second */
  onProgress?: (line: string) => void;
  /** embedded: the fresh cluster to play (default kops, the chapter's) */
  profile?: ClusterProfile;
  /** existing: the kubeconfig context to use (default: the current one) */
  context?: string;
  /** existing: the learner said the cluster is disposable (--i-understand-this-changes-kube-system) */
  changesKubeSystem?: boolean;
}

export interface DownOptions {
  stateDir: string;
  /** put back the DNS objects the lab replaced, from the backup in the state dir */
  restore?: boolean;
  onProgress?: (line: string) => void;
}

export type ClusterState = 'running' | 'stopped' | 'starting' | 'error';

export interface SandboxStatus {
  provider: ProviderName;
  state: ClusterState;
  kubeconfig: string;
  /** the kubeconfig context the lab's kubectl uses */
  context?: string;
  apiServer?: string;
  dnsPort?: number;
  message?: string;
}

/** what the lab server shows of its cluster (`/api/status`, the page's cluster badge) and hands to the checks */
export interface ClusterInfo {
  /** a provider name, or "none" before any provider started */
  provider: ProviderName | 'none';
  state: ClusterState;
  kubeconfig: string;
  context?: string;
  message?: string;
}

export interface SandboxHandle {
  provider: ProviderName;
  /** absolute path of the kubeconfig to export as KUBECONFIG */
  kubeconfig: string;
  /** its current context */
  context: string;
  status(): Promise<SandboxStatus>;
  /** back to the chapter's starting state, in place, while running */
  reset(): Promise<void>;
  /** stop with state kept (a kind or minikube cluster keeps running; `down` deletes it) */
  stop(): Promise<void>;
}

/** a tool the providers use, as `doctor` found it */
export interface ToolReport {
  name: 'docker' | 'kind' | 'minikube' | 'kubectl';
  /** absolute path, when it is on PATH */
  path?: string;
  version?: string;
  /** docker only: whether the daemon answered `docker info`, and what it said when it did not */
  daemon?: { up: boolean; message?: string };
}

export interface Detection {
  provider: ProviderName;
  canRun: boolean;
  /** what is missing, in one sentence, when it cannot run */
  why?: string;
  /** the commands that fix it */
  fix?: string[];
  /** how long a first start takes, as the README's table says */
  startsIn: string;
}

export interface Provider {
  name: ProviderName;
  /** whether it can run with these tools (no side effects) */
  detect(tools: ToolReport[]): Detection;
  up(opts: UpOptions): Promise<SandboxHandle>;
  /** the cluster's state when no lab process owns the state dir (a kind cluster runs on without it) */
  status(opts: { stateDir: string }): Promise<SandboxStatus>;
  /** back to the chapter's starting state with nobody running on the state dir */
  reset(opts: UpOptions): Promise<void>;
  /** delete what `up` created (or, with restore, put back what it replaced); resolves to a line for the learner */
  down(opts: DownOptions): Promise<string>;
}
