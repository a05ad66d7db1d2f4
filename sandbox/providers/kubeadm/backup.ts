// The DNS objects the lab replaces on a kubeadm cluster, kept in the state dir (dns-backup.json,
// 0600) from the first preparation, so that `sandbox down --restore` can put them back as they were.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFile } from '../../private-state.ts';
import type { KubectlFor } from '../tools.ts';
import { COREDNS_OBJECTS, type Manifest } from './chapter-start.ts';

export const DNS_BACKUP = 'dns-backup.json';

export interface DnsBackup {
  /** the context they were read from */
  context?: string;
  savedAt: string;
  objects: Manifest[];
}

/** what the API server owns in an object: dropped so that the copy can be created again */
function asManifest(obj: Manifest & { status?: unknown }): Manifest {
  const { status: _status, ...rest } = obj;
  const m = { ...rest.metadata } as Record<string, unknown>;
  for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'generation', 'selfLink']) delete m[k];
  const annotations = { ...(m.annotations as Record<string, string> | undefined) };
  delete annotations['deployment.kubernetes.io/revision'];
  if (Object.keys(annotations).length) m.annotations = annotations;
  else delete m.annotations;
  return { ...rest, metadata: m as Manifest['metadata'] };
}

export async function saveBackup(k: KubectlFor, stateDir: string): Promise<DnsBackup> {
  const out = await k.ok(['get', 'service/kube-dns', ...COREDNS_OBJECTS, '-n', 'kube-system', '-o', 'json', '--ignore-not-found']);
  // several names give a List; one found object comes back bare
  const parsed = (out.trim() ? JSON.parse(out) : { kind: 'List', items: [] }) as Manifest & { items?: Manifest[] };
  const items = parsed.kind === 'List' ? (parsed.items ?? []) : [parsed];
  const backup: DnsBackup = {
    ...(k.context ? { context: k.context } : {}),
    savedAt: new Date().toISOString(),
    objects: items.map(asManifest),
  };
  writePrivateFile(join(stateDir, DNS_BACKUP), JSON.stringify(backup, null, 2) + '\n');
  return backup;
}

export function readBackup(stateDir: string): DnsBackup | undefined {
  try {
    const b = JSON.parse(readFileSync(join(stateDir, DNS_BACKUP), 'utf8')) as DnsBackup;
    return Array.isArray(b.objects) ? b : undefined;
  } catch {
    return undefined;
  }
}
