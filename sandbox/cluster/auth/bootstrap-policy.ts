// The roles and bindings kube-apiserver's RBAC bootstrap creates on every start
// (plugin/pkg/auth/authorizer/rbac/bootstrappolicy), cut to what this cluster serves, plus the
// one the chapter's kube-dns needed: on a 1.32 apiserver its ServiceAccount is bound to
// system:kube-dns. Reconciled on each start, so older state dirs get them too. One role is the
// lab's own: the kube-dns stand-in is the lab's DNS server, which (as CoreDNS does) reads
// Namespaces and EndpointSlices where kube-dns read Endpoints; coredns-lab:kube-dns-stand-in
// grants it those, so it runs on its ServiceAccount's token like every other pod.
import type { ClusterStore, KubeObject } from '../contracts.ts';
import { uncovered } from './escalation.ts';
import { RBAC_RESOURCES } from './rbac.ts';
import type { PolicyRule } from './rules.ts';

const API_VERSION = 'rbac.authorization.k8s.io/v1';
/** the lab's role for its kube-dns stand-in (see above) */
export const KUBE_DNS_STAND_IN = 'coredns-lab:kube-dns-stand-in';
const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ_WRITE = [...READ, ...WRITE];

const rule = (verbs: string[], apiGroups: string[], resources: string[]): PolicyRule => ({ verbs, apiGroups, resources });
const urls = (verbs: string[], nonResourceURLs: string[]): PolicyRule => ({ verbs, nonResourceURLs });

const DEFAULTS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const AUTOUPDATE = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

function clusterRole(name: string, rules: PolicyRule[], extra: { labels?: Record<string, string>; aggregateTo?: string } = {}): KubeObject {
  const labels = { ...DEFAULTS, ...extra.labels };
  const out: KubeObject = { apiVersion: API_VERSION, kind: 'ClusterRole', metadata: { name, labels, annotations: { ...AUTOUPDATE } } };
  if (extra.aggregateTo) out.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [`rbac.authorization.k8s.io/aggregate-to-${extra.aggregateTo}`]: 'true' } }] };
  out.rules = extra.aggregateTo ? [] : rules;
  return out;
}

type Subject = { kind: 'Group' | 'User'; name: string; apiGroup: string } | { kind: 'ServiceAccount'; name: string; namespace: string };
const group = (name: string): Subject => ({ kind: 'Group', name, apiGroup: 'rbac.authorization.k8s.io' });
const serviceAccount = (namespace: string, name: string): Subject => ({ kind: 'ServiceAccount', name, namespace });

function clusterRoleBinding(name: string, role: string, subjects: Subject[]): KubeObject {
  return {
    apiVersion: API_VERSION, kind: 'ClusterRoleBinding',
    metadata: { name, labels: { ...DEFAULTS }, annotations: { ...AUTOUPDATE } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects,
  } as KubeObject;
}

const aggregateLabel = (to: string) => ({ [`rbac.authorization.k8s.io/aggregate-to-${to}`]: 'true' });

export function bootstrapClusterRoles(): KubeObject[] {
  return [
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
    clusterRole('admin', [], { aggregateTo: 'admin' }),
    clusterRole('edit', [], { aggregateTo: 'edit', labels: aggregateLabel('admin') }),
    clusterRole('view', [], { aggregateTo: 'view', labels: aggregateLabel('edit') }),
    clusterRole('system:aggregate-to-admin', [
      rule(READ_WRITE, ['rbac.authorization.k8s.io'], ['rolebindings', 'roles']),
      rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
    ], { labels: aggregateLabel('admin') }),
    clusterRole('system:aggregate-to-edit', [
      rule(READ, [''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy']),
      rule(['impersonate'], [''], ['serviceaccounts']),
      rule(WRITE, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
      rule(['create'], [''], ['pods/eviction']),
      rule(WRITE, [''], ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy']),
      rule(['create'], [''], ['serviceaccounts/token']),
      rule(WRITE, ['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale']),
      rule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
      rule(WRITE, ['batch'], ['cronjobs', 'jobs']),
      rule(WRITE, ['extensions'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'ingresses', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale']),
      rule(WRITE, ['policy'], ['poddisruptionbudgets']),
      rule(WRITE, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
    ], { labels: aggregateLabel('edit') }),
    clusterRole('system:aggregate-to-view', [
      rule(READ, [''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status']),
      rule(READ, [''], ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status']),
      rule(READ, [''], ['namespaces']),
      rule(READ, ['discovery.k8s.io'], ['endpointslices']),
      rule(READ, ['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status']),
      rule(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
      rule(READ, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
      rule(READ, ['extensions'], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale']),
      rule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
      rule(READ, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
    ], { labels: aggregateLabel('view') }),
    clusterRole('system:discovery', [urls(['get'], ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'])]),
    clusterRole('system:basic-user', [
      rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    ]),
    clusterRole('system:public-info-viewer', [urls(['get'], ['/healthz', '/livez', '/readyz', '/version', '/version/'])]),
    clusterRole('system:kube-dns', [rule(['list', 'watch'], [''], ['endpoints', 'services'])]),
    clusterRole(KUBE_DNS_STAND_IN, [rule(['list', 'watch'], [''], ['namespaces']), rule(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices'])]),
  ];
}

export function bootstrapClusterRoleBindings(): KubeObject[] {
  return [
    clusterRoleBinding('cluster-admin', 'cluster-admin', [group('system:masters')]),
    clusterRoleBinding('system:discovery', 'system:discovery', [group('system:authenticated')]),
    clusterRoleBinding('system:basic-user', 'system:basic-user', [group('system:authenticated')]),
    clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]),
    clusterRoleBinding('system:kube-dns', 'system:kube-dns', [serviceAccount('kube-system', 'kube-dns')]),
    clusterRoleBinding(KUBE_DNS_STAND_IN, KUBE_DNS_STAND_IN, [serviceAccount('kube-system', 'kube-dns')]),
  ];
}

const autoupdate = (o: KubeObject) => o.metadata.annotations?.['rbac.authorization.kubernetes.io/autoupdate'] === 'true';

/**
 * Creates whichever bootstrap roles and bindings are missing, and, for those still annotated
 * autoupdate=true, adds back the rules and subjects they lost (the apiserver's reconciliation
 * only adds; a binding whose roleRef changed is recreated). Returns how many objects it wrote.
 */
export function reconcileBootstrapPolicy(store: ClusterStore): number {
  let written = 0;
  const fieldManager = 'kube-apiserver';
  for (const want of bootstrapClusterRoles()) {
    const name = want.metadata.name!;
    const have = store.get(RBAC_RESOURCES.clusterroles, undefined, name);
    if (!have) {
      store.create(RBAC_RESOURCES.clusterroles, want, { fieldManager });
      written++;
      continue;
    }
    if (!autoupdate(have) || want.aggregationRule) continue;
    const rules: PolicyRule[] = Array.isArray(have.rules) ? (have.rules as PolicyRule[]) : [];
    const missing = uncovered(rules, want.rules as PolicyRule[]);
    if (missing.length === 0) continue;
    store.mutate(RBAC_RESOURCES.clusterroles, undefined, name, (o) => ({ ...o, rules: [...rules, ...missing] }) as KubeObject);
    written++;
  }
  for (const want of bootstrapClusterRoleBindings()) {
    const name = want.metadata.name!;
    const have = store.get(RBAC_RESOURCES.clusterrolebindings, undefined, name);
    if (have && autoupdate(have) && JSON.stringify(have.roleRef) !== JSON.stringify(want.roleRef)) {
      store.delete(RBAC_RESOURCES.clusterrolebindings, undefined, name);
    } else if (have) {
      if (!autoupdate(have)) continue;
      const subjects: Array<{ kind: string; name: string; namespace?: string }> = Array.isArray(have.subjects)
        ? (have.subjects as typeof subjects)
        : [];
      const key = (s: { kind: string; name: string; namespace?: string }) => `${s.kind}/${s.namespace ?? ''}/${s.name}`;
      const missing = (want.subjects as typeof subjects).filter((s) => !subjects.some((h) => key(h) === key(s)));
      if (missing.length === 0) continue;
      store.mutate(
        RBAC_RESOURCES.clusterrolebindings,
        undefined,
        name,
        (o) => ({ ...o, subjects: [...subjects, ...missing] }) as KubeObject,
      );
      written++;
      continue;
    }
    store.create(RBAC_RESOURCES.clusterrolebindings, want, { fieldManager });
    written++;
  }
  return written;
}
