// What every runtime needs from the sandbox: the store, the service proxy, and the cluster's DNS
// settings. Built once by createRuntimeHost.
import type { ClusterStore } from '../contracts.ts';
import type { PodCredentials } from '../auth/types.ts';
import type { RealAddress, ServiceProxy } from '../proxy/index.ts';
import type { DnsSettings } from './pod-files.ts';

export interface RuntimeContext {
  store: ClusterStore;
  proxy: ServiceProxy;
  dns: DnsSettings;
  /** path of the sandbox kubeconfig, for the kubernetes plugin of DNS pods (only without credentials) */
  kubeconfig?: string;
  /** the ServiceAccount token and CA pods mount, and where in-cluster clients really connect */
  credentials?: PodCredentials;
  /** the cluster's pod and service ranges: addresses there refuse, addresses elsewhere are blackholed (pod-network.ts) */
  clusterCIDRs?: string[];
  /** per-query timeout of pod resolvers (busybox) */
  dnsTimeoutMs?: number;
  /** starts the node's resolver (where names outside the cluster go); its real address */
  upstream(): Promise<string>;
  /** the node resolver's real address once upstream() has started it */
  nodeResolver(): RealAddress | undefined;
}
