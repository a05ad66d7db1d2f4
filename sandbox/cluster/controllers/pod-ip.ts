// Pod IPs as kubenet hands them out: the lowest free address of the node's /24 podCIDR,
// from .2 (.1 is the node's bridge). hostNetwork pods share the node's InternalIP.
import type { KubeObject } from '../contracts.ts';
import { isTerminal } from './pod-status.ts';

export class PodIpExhaustedError extends Error {
  readonly code = 'LAB_ERR_POD_IP_EXHAUSTED';
  constructor(node: string, cidr: string) {
    super(`no free pod IP left in ${cidr} on node ${node}; delete some pods on that node`);
    this.name = 'PodIpExhaustedError';
  }
}

export function nodeInternalIp(node: KubeObject): string | undefined {
  const addresses = ((node.status as { addresses?: Array<{ type: string; address: string }> })?.addresses) ?? [];
  return addresses.find((a) => a.type === 'InternalIP')?.address;
}

function toInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function toIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** the lowest free host address of cidr, skipping network, .1 and broadcast */
export function allocatePodIp(node: KubeObject, podsOnNode: KubeObject[]): string {
  const cidr = (node.spec as { podCIDR?: string } | undefined)?.podCIDR;
  if (!cidr) throw new PodIpExhaustedError(node.metadata.name!, '<no podCIDR>');
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = toInt(base!) & ~(size - 1);
  const used = new Set(
    podsOnNode
      .filter((p) => !isTerminal(p) && !(p.spec as { hostNetwork?: boolean }).hostNetwork)
      .map((p) => (p.status as { podIP?: string } | undefined)?.podIP)
      .filter(Boolean),
  );
  for (let i = 2; i < size - 1; i++) {
    const ip = toIp((start + i) >>> 0);
    if (!used.has(ip)) return ip;
  }
  throw new PodIpExhaustedError(node.metadata.name!, cidr);
}

/** order nodes by their podCIDR, so placement and IPs follow the cluster's allocation order */
export function byPodCidr(a: KubeObject, b: KubeObject): number {
  const cidr = (n: KubeObject) => toInt(((n.spec as { podCIDR?: string })?.podCIDR ?? '255.255.255.255/32').split('/')[0]!);
  return cidr(a) - cidr(b) || a.metadata.name!.localeCompare(b.metadata.name!);
}
