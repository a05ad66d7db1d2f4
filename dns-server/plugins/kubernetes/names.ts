// Query-name grammar of the kubernetes plugin (K26, after CoreDNS's parseRequest): the part of
// the name left of the zone, read right to left as svc|pod, namespace, service, then either an
// endpoint label or `_port._proto`.

export type NameShape =
  /** the apex, `svc.<zone>` or `pod.<zone>`: exists, holds no data of its own */
  | { kind: 'apex' }
  /** not svc/pod, or too many labels: NXDOMAIN */
  | { kind: 'invalid' }
  | {
      kind: 'svc' | 'pod';
      namespace: string;
      /** '' for `<ns>.svc.<zone>` */
      service: string;
      endpoint: string;
      /** '' matches any port name / protocol */
      port: string;
      protocol: string;
      /** `_port._proto` labels were present */
      hasPort: boolean;
    };

const stripUnderscore = (s: string): string => (s.startsWith('_') ? s.slice(1) : s);

/** the labels of `name` left of `zone`, both lower case with trailing dots */
export function relativeLabels(name: string, zone: string): string[] {
  if (name === zone) return [];
  const base = zone === '.' ? name.slice(0, -1) : name.slice(0, name.length - zone.length - 1);
  return base === '' ? [] : base.split('.');
}

export function parseName(labels: string[]): NameShape {
  if (labels.length === 0) return { kind: 'apex' };
  if (labels.length === 1 && (labels[0] === 'svc' || labels[0] === 'pod')) return { kind: 'apex' };
  let last = labels.length - 1;
  const podOrSvc = labels[last]!;
  if (podOrSvc !== 'svc' && podOrSvc !== 'pod') return { kind: 'invalid' };
  const shape = { kind: podOrSvc, namespace: labels[--last]!, service: '', endpoint: '', port: '', protocol: '', hasPort: false } as const;
  const out: Extract<NameShape, { namespace: string }> = { ...shape };
  last--;
  if (last < 0) return out;
  out.service = labels[last]!;
  last--;
  if (last < 0) return out;
  if (last === 0) {
    out.endpoint = labels[0]!;
  } else if (last === 1) {
    out.port = stripUnderscore(labels[0]!);
    out.protocol = stripUnderscore(labels[1]!);
    out.hasPort = true;
  } else {
    return { kind: 'invalid' };
  }
  return out;
}

/**
 * The IP a pod label spells (K43): exactly three dashes and no "--" is IPv4, anything else is
 * read as IPv6 with dashes for colons.
 */
export function podLabelIP(label: string): string {
  const dashes = label.split('-').length - 1;
  return dashes === 3 && !label.includes('--') ? label.replace(/-/g, '.') : label.replace(/-/g, ':');
}
