// Endpoints: NAME ENDPOINTS AGE, at most three "ip:port" then "+ N more...".
import type { KubeObject } from '../contracts.ts';
import { age } from './age.ts';
import { ageColumn, col, nameColumn } from './columns.ts';
import { doc } from './descriptions.ts';
import { joinHostPort } from './format.ts';
import type { KindPrinter } from './types.ts';

interface EndpointsLike extends KubeObject {
  subsets?: Array<{ addresses?: Array<{ ip: string }>; ports?: Array<{ port: number; name?: string }> }>;
}

const MAX = 3;

export function formatEndpoints(ep: EndpointsLike): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    // headless services may have addresses without ports
    if (ports.length === 0) {
      count += addresses.length;
      for (const a of addresses) if (list.length < MAX) list.push(a.ip);
      continue;
    }
    for (const p of ports) {
      count += addresses.length;
      for (const a of addresses) if (list.length < MAX) list.push(joinHostPort(a.ip, p.port));
    }
  }
  const shown = list.join(',');
  return count > MAX ? `${shown} + ${count - MAX} more...` : shown;
}

export const endpointsPrinter: KindPrinter = {
  columns: [nameColumn, col('Endpoints', 'string', doc.subsets), ageColumn],
  cells(obj, now) {
    return [obj.metadata.name, formatEndpoints(obj as EndpointsLike), age(obj.metadata.creationTimestamp, now)];
  },
};
