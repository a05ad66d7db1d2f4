// The clusterrole-aggregation controller: writes into each ClusterRole with an aggregationRule
// the rules of the ClusterRoles it selects, so `kubectl describe clusterrole view` shows them
// as on a real cluster. The authorizer does not wait for it (it aggregates on its own).
import type { ClusterStore } from '../contracts.ts';
import { RBAC_RESOURCES, type RbacAuthorizer } from './rbac.ts';

export function startClusterRoleAggregation(store: ClusterStore, rbac: RbacAuthorizer): () => void {
  let pending: NodeJS.Immediate | undefined;
  const sync = () => {
    pending = undefined;
    for (const role of store.list(RBAC_RESOURCES.clusterroles).items) {
      if (!(role as { aggregationRule?: unknown }).aggregationRule) continue;
      const rules = rbac.clusterRoleRulesOf(role.metadata.name!) ?? [];
      if (JSON.stringify(rules) === JSON.stringify((role as { rules?: unknown }).rules ?? [])) continue;
      store.mutate(RBAC_RESOURCES.clusterroles, undefined, role.metadata.name!, (o) => ({ ...o, rules }) as typeof o);
    }
  };
  // writing from inside a watch callback would re-enter it: sync once the current write is done
  const stop = store.watch(RBAC_RESOURCES.clusterroles, {}, () => {
    pending ??= setImmediate(sync);
  });
  sync();
  return () => {
    stop();
    if (pending) clearImmediate(pending);
  };
}
