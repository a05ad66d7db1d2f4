// Service: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE | SELECTOR.
import type { KubeObject } from '../contracts.ts';
import { age } from './age.ts';
import { ageColumn, col, nameColumn } from './columns.ts';
import { doc } from './descriptions.ts';
import { formatLabels } from './format.ts';
import type { KindPrinter } from './types.ts';

interface ServiceLike extends KubeObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    externalIPs?: string[];
    externalName?: string;
    ports?: Array<{ port: number; nodePort?: number; protocol?: string }>;
    selector?: Record<string, string>;
  };
  status?: { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } };
}

function externalIP(svc: ServiceLike, type: string): string {
  const external = svc.spec?.externalIPs ?? [];
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      // the server prints the wide form, so the ingress list is never clipped
      const lb = [...new Set((svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean))].sort();
      if (external.length > 0) return [...lb, ...external].join(',');
      return lb.length > 0 ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function ports(svc: ServiceLike): string {
  const text = (svc.spec?.ports ?? [])
    .map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`))
    .join(',');
  return text || '<none>';
}

export const servicePrinter: KindPrinter = {
  columns: [
    nameColumn,
    col('Type', 'string', doc.svcType),
    col('Cluster-IP', 'string', doc.clusterIP),
    col('External-IP', 'string', doc.externalIPs),
    col('Port(s)', 'string', doc.svcPorts),
    ageColumn,
    col('Selector', 'string', doc.svcSelector, 1),
  ],
  cells(obj, now) {
    const svc = obj as ServiceLike;
    const type = svc.spec?.type ?? 'ClusterIP';
    // clusterIPs is defaulted from clusterIP by the API; read either
    const clusterIP = svc.spec?.clusterIPs?.[0] || svc.spec?.clusterIP || '<none>';
    return [
      svc.metadata.name,
      type,
      clusterIP,
      externalIP(svc, type),
      ports(svc),
      age(svc.metadata.creationTimestamp, now),
      formatLabels(svc.spec?.selector),
    ];
  },
};
