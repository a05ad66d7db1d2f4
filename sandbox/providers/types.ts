// What every cluster provider (embedded, kind, minikube, existing) gives the rest of the
// sandbox: a kubeconfig the real kubectl uses, a status, and a way to stop.

export type ProviderName = 'embedded' | 'kind' | 'minikube' | 'existing';

export interface UpOptions {
  /** the state dir (default .coredns-lab); the provider writes <stateDir>/kubeconfig */
  stateDir: string;
  /** publish the cluster DNS Service on 127.0.0.1:<dnsPort> for host tools */
  dnsPort?: number;
  /** one human line per phase of a start that takes over a second */
  onProgress?: (line: string) => void;
}

export interface SandboxStatus {
  provider: ProviderName;
  state: 'running' | 'stopped' | 'starting' | 'error';
  kubeconfig: string;
  apiServer?: string;
  dnsPort?: number;
  message?: string;
}

/** what the lab server shows of its cluster (`/api/status`) and hands to the checks */
export interface ClusterInfo {
  provider: string;
  state: 'running' | 'stopped' | 'starting' | 'error';
  kubeconfig: string;
  message?: string;
}

export interface SandboxHandle {
  provider: ProviderName;
  /** absolute path of the kubeconfig to export as KUBECONFIG */
  kubeconfig: string;
  status(): Promise<SandboxStatus>;
  /** stop with state kept */
  stop(): Promise<void>;
}

export interface Provider {
  name: ProviderName;
  up(opts: UpOptions): Promise<SandboxHandle>;
  /** return the cluster to the lab's starting state */
  reset(opts: UpOptions): Promise<void>;
}
