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
  const n = labels.length;
  if (n === 0 || (n === 1 && (labels[0] === 'svc' || labels[0] === 'pod'))) return { kind: 'apex' };
  const kind = labels[n - 1];
  if (kind !== 'svc' && kind !== 'pod') return { kind: 'invalid' };
  // left of the service: nothing, one endpoint label, or `_port._proto`; more is too long
  const extra = n - 3;
  if (extra > 2) return { kind: 'invalid' };
  return {
    kind,
    namespace: labels[n - 2] ?? '',
    service: labels[n - 3] ?? '',
    endpoint: extra === 1 ? labels[0]! : '',
    port: extra === 2 ? stripUnderscore(labels[0]!) : '',
    protocol: extra === 2 ? stripUnderscore(labels[1]!) : '',
    hasPort: extra === 2,
  };
}

/**
 * The IP a pod label spells (K43): exactly three dashes and no "--" is IPv4, anything else is
 * read as IPv6 with dashes for colons.
 */
export function podLabelIP(label: string): string {
  const dashes = label.split('-').length - 1;
  return dashes === 3 && !label.includes('--') ? label.replace(/-/g, '.') : label.replace(/-/g, ':');
}
