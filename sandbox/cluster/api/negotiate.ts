// Content negotiation: what the client asked for in Accept and sent in Content-Type.
export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
}

export function parseAccept(accept: string | undefined): MediaRange[] {
  if (!accept) return [{ type: '*/*', params: {}, q: 1 }];
  return accept
    .split(',')
    .map((part) => {
      const [type, ...rest] = part.trim().split(';');
      const params: Record<string, string> = {};
      for (const r of rest) {
        const [k, v] = r.split('=');
        if (k && v !== undefined) params[k.trim()] = v.trim();
      }
      const q = params.q !== undefined ? Number(params.q) : 1;
      delete params.q;
      return { type: type.trim().toLowerCase(), params, q };
    })
    .filter((r) => r.q > 0);
}

/** "Table" when the client asked for a meta.k8s.io Table before anything else it accepts */
export function wantsTable(accept: string | undefined): boolean {
  const first = parseAccept(accept).find((r) => r.type === 'application/json' || r.type === '*/*' || r.type === 'application/yaml');
  return Boolean(first && first.params.as === 'Table' && first.params.g === 'meta.k8s.io');
}

/** aggregated discovery version the client prefers, or undefined for legacy documents */
export function wantsAggregated(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const r of parseAccept(accept)) {
    if (r.type !== 'application/json') continue;
    if (r.params.as === 'APIGroupDiscoveryList' && r.params.g === 'apidiscovery.k8s.io') return r.params.v === 'v2' ? 'v2' : r.params.v === 'v2beta1' ? 'v2beta1' : undefined;
    if (!r.params.as) return undefined;
  }
  return undefined;
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** "PartialObjectMetadata(List)" when the client asked for metadata only (client-go's metadata client) */
export function wantsPartialMetadata(accept: string | undefined): boolean {
  const first = parseAccept(accept).find((r) => r.type === 'application/json' || r.type === '*/*' || r.type === 'application/vnd.kubernetes.protobuf');
  return Boolean(first && (first.params.as === 'PartialObjectMetadata' || first.params.as === 'PartialObjectMetadataList') && first.params.g === 'meta.k8s.io');
}
