// The kops 1.7 cluster's addressing (reference/seed-origin.md §2): NonMasqueradeCIDR
// 100.64.0.0/10, the service range its first eighth, pods the upper half.
export const SERVICE_CIDR = '100.64.0.0/13';
export const POD_CIDR = '100.96.0.0/11';
export const KUBERNETES_SERVICE_IP = '100.64.0.1';
export const DNS_SERVICE_IP = '100.64.0.10';
export const CLUSTER_DOMAIN = 'cluster.local';
