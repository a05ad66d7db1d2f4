// Node: NAME STATUS ROLES AGE VERSION | INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME.
import type { KubeObject } from '../contracts.ts';
import { age } from './age.ts';
import { ageColumn, col, nameColumn } from './columns.ts';
import { doc } from './descriptions.ts';
import type { KindPrinter } from './types.ts';

interface NodeLike extends KubeObject {
  spec?: { unschedulable?: boolean };
  status?: {
    conditions?: Array<{ type: string; status: string }>;
    addresses?: Array<{ type: string; address: string }>;
    nodeInfo?: { kubeletVersion?: string; osImage?: string; kernelVersion?: string; containerRuntimeVersion?: string };
  };
}

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const LEGACY_ROLE_LABEL = 'kubernetes.io/role';

/** roles from node-role.kubernetes.io/<role> labels and the older kubernetes.io/role=<role> */
export function nodeRoles(node: NodeLike): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) roles.add(k.slice(ROLE_PREFIX.length));
    else if (k === LEGACY_ROLE_LABEL && v) roles.add(v);
  }
  return [...roles].sort().join(',') || '<none>';
}

function nodeStatus(node: NodeLike): string {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function address(node: NodeLike, type: string): string {
  return (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';
}

export const nodePrinter: KindPrinter = {
  columns: [
    nameColumn,
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    ageColumn,
    col('Version', 'string', doc.kubeletVersion),
    col('Internal-IP', 'string', doc.addresses, 1),
    col('External-IP', 'string', doc.addresses, 1),
    col('OS-Image', 'string', doc.osImage, 1),
    col('Kernel-Version', 'string', doc.kernelVersion, 1),
    col('Container-Runtime', 'string', doc.containerRuntimeVersion, 1),
  ],
  cells(obj, now) {
    const node = obj as NodeLike;
    const info = node.status?.nodeInfo ?? {};
    return [
      node.metadata.name, nodeStatus(node), nodeRoles(node), age(node.metadata.creationTimestamp, now), info.kubeletVersion ?? '',
      address(node, 'InternalIP'), address(node, 'ExternalIP'),
      info.osImage || '<unknown>', info.kernelVersion || '<unknown>', info.containerRuntimeVersion || '<unknown>',
    ];
  },
};
