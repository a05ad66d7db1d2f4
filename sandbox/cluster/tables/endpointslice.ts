// EndpointSlice: NAME ADDRESSTYPE PORTS ENDPOINTS AGE.
import type { KubeObject } from '../contracts.ts';
import { age } from './age.ts';
import { ageColumn, col, nameColumn } from './columns.ts';
import { doc } from './descriptions.ts';
import { listWithMore } from './format.ts';
import type { KindPrinter } from './types.ts';

interface SliceLike extends KubeObject {
  addressType?: string;
  ports?: Array<{ port?: number | null; name?: string | null }> | null;
  endpoints?: Array<{ addresses?: string[] }> | null;
}

export const endpointSlicePrinter: KindPrinter = {
  columns: [
    nameColumn,
    col('AddressType', 'string', doc.epsAddressType),
    col('Ports', 'string', doc.epsPorts),
    col('Endpoints', 'string', doc.epsEndpoints),
    ageColumn,
  ],
  cells(obj, now) {
    const s = obj as SliceLike;
    // a port with neither number nor name means "all ports"
    const ports = (s.ports ?? []).map((p) => (p.port != null ? String(p.port) : p.name != null ? p.name : '*'));
    const addresses = (s.endpoints ?? []).flatMap((e) => e.addresses ?? []);
    return [s.metadata.name, s.addressType ?? '', listWithMore(ports), listWithMore(addresses), age(s.metadata.creationTimestamp, now)];
  },
};
