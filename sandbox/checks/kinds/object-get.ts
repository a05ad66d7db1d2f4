// What `kubectl get <kind> <name>` would say, for exists and absent: the kind is resolved as the
// learner types it (serviceaccount, clusterrole, deploy, ...) through the cluster's discovery.
// Read over the API (Cluster.objectExists), not by a kubectl process: the chapter's page runs
// these checks after every command, and they were a third of the test suite's kubectl runs.
import type { CheckEnv } from './env.ts';

export interface KindRef {
  kind: string;
  namespace?: string;
  name: string;
}

export type Lookup = { found: true } | { found: false } | { error: string };

export function lookup(env: CheckEnv, ref: KindRef): Promise<Lookup> {
  // the namespace counts only for namespaced kinds; for those the lessons' default is "default"
  return env.cluster.objectExists(ref.kind, ref.namespace ?? 'default', ref.name);
}

/** "deployment kube-system/kube-dns", "clusterrole system:coredns" */
export function kindRefText(ref: KindRef, clusterScoped = false): string {
  return `${ref.kind} ${ref.namespace && !clusterScoped ? `${ref.namespace}/` : ''}${ref.name}`;
}
