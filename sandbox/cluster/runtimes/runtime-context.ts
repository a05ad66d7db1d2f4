// What every runtime needs from the sandbox: the store, the service proxy, and the cluster's DNS
// settings. Built once by createRuntimeHost.
import type { ClusterStore } from '../contracts.ts';
import type { ServiceProxy } from '../proxy/index.ts';
import type { DnsSettings } from './pod-files.ts';

export interface RuntimeContext {
  store: ClusterStore;
  proxy: ServiceProxy;
  dns: DnsSettings;
  /** path of the sandbox kubeconfig, for the kubernetes plugin of DNS pods */
  kubeconfig?: string;
  /** per-query timeout of pod resolvers (busybox) */
  dnsTimeoutMs?: number;
  /** where DNS pods forward names outside the cluster (the node's resolver), as host:port */
  upstream(): Promise<string>;
}
