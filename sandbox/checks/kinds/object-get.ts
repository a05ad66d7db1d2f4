// `kubectl get <kind> <name>` for exists and absent: kubectl resolves the kind as the learner
// types it (serviceaccount, clusterrole, deploy, ...) through the cluster's discovery.
import { ClusterUnreachableError } from '../cluster.ts';
import { errorLines, errorReasons, isUnreachable } from '../kubectl.ts';
import { run, type CheckEnv } from './env.ts';

export interface KindRef {
  kind: string;
  namespace?: string;
  name: string;
}

export type Lookup = { found: true } | { found: false } | { error: string };

export async function lookup(env: CheckEnv, ref: KindRef): Promise<Lookup> {
  // -n is ignored by kubectl for cluster-scoped kinds; for namespaced ones the lessons' default is "default"
  const r = await run(env, ['get', ref.kind, ref.name, '-n', ref.namespace ?? 'default', '-o', 'name']);
  if (r.code === 0) return { found: true };
  if (isUnreachable(r.stderr)) throw new ClusterUnreachableError(env.cluster.server, errorLines(r.stderr)[0] ?? r.stderr.trim());
  if (errorReasons(r.stderr).includes('NotFound')) return { found: false };
  return { error: errorLines(r.stderr).join(' ') || r.stderr.trim() || `kubectl exited ${r.code}` };
}

/** "deployment kube-system/kube-dns", "clusterrole system:coredns" */
export function kindRefText(ref: KindRef, clusterScoped = false): string {
  return `${ref.kind} ${ref.namespace && !clusterScoped ? `${ref.namespace}/` : ''}${ref.name}`;
}
