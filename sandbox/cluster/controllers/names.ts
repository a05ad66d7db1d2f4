// Generated names as Kubernetes makes them: the ReplicaSet's pod-template-hash (an FNV-1a
// hash of the pod template) and the 5-character random suffix of generated names.
import { copyJson } from '../json-copy.ts';

export { randomSuffix } from '../random-suffix.ts';

/** JSON with object keys sorted, so equal templates hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * How the pod-template-hash is printed: `decimal` as Kubernetes 1.7 did (`kube-dns-1311260920-d8bkh`,
 * the form the chapter's 2017 transcripts show), `encoded` as every release since 1.11 does
 * (`coredns-668d6bf9bc-xxxxx`, what kind and minikube clusters show).
 */
export type HashStyle = 'decimal' | 'encoded';

/** apimachinery's rand.SafeEncodeString: each byte mapped into an alphabet without vowels or look-alikes */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export function safeEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => SAFE_ALPHABET[b % SAFE_ALPHABET.length]).join('');
}

/** The pod-template-hash label value: the template's FNV-1a hash, printed in the cluster's style. */
export function podTemplateHash(template: unknown, collisionCount = 0, style: HashStyle = 'decimal'): string {
  const t = copyJson(template ?? {}) as { metadata?: { labels?: Record<string, string> } };
  if (t.metadata?.labels) delete t.metadata.labels['pod-template-hash'];
  // since 1.11 the controller encodes the decimal digits (controller.ComputeHash)
  const decimal = String(fnv32a(canonicalJson(t) + (collisionCount ? `#${collisionCount}` : '')));
  return style === 'encoded' ? safeEncode(decimal) : decimal;
}
