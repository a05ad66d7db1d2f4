// A minimal valid object for every declared resource, keyed by store name. The resources
// test fails when a resource is declared without a sample here.
import type { KubeObject } from '../../../sandbox/cluster/contracts.ts';

const tmpl = (labels: Record<string, string>) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'c', image: 'busybox:1.28' }] },
});

export const SAMPLES: Record<string, (name: string, ns: string) => KubeObject> = {
  pods: (name, ns) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { containers: [{ name: 'c', image: 'busybox:1.28' }] } }),
  services: (name, ns) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app: name }, ports: [{ port: 80 }] } }),
  endpoints: (name, ns) => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: ns } }),
  events: (name, ns) => ({ apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: ns }, involvedObject: { kind: 'Pod', name: 'x', namespace: ns }, reason: 'Test' }),
  namespaces: (name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
  nodes: (name) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } }),
  configmaps: (name, ns) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { a: 'b' } }),
  secrets: (name, ns) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, stringData: { a: 'b' } }),
  resourcequotas: (name, ns) => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: ns }, spec: { hard: { pods: '10' } } }),
  limitranges: (name, ns) => ({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name, namespace: ns }, spec: { limits: [] } }),
  serviceaccounts: (name, ns) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } }),
  'deployments.apps': (name, ns) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns }, spec: { selector: { matchLabels: { app: name } }, template: tmpl({ app: name }) } }),
  'replicasets.apps': (name, ns) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: ns }, spec: { selector: { matchLabels: { app: name } }, template: tmpl({ app: name }) } }),
  'daemonsets.apps': (name, ns) => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name, namespace: ns }, spec: { selector: { matchLabels: { app: name } }, template: tmpl({ app: name }) } }),
  'statefulsets.apps': (name, ns) => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: ns },
    spec: { serviceName: name, selector: { matchLabels: { app: name } }, template: tmpl({ app: name }) },
  }),
  'jobs.batch': (name, ns) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: ns },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.28' }] } } },
  }),
  'cronjobs.batch': (name, ns) => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: ns },
    spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox:1.28' }] } } } } },
  }),
  'endpointslices.discovery.k8s.io': (name, ns) => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name, namespace: ns }, addressType: 'IPv4', endpoints: [] }),
  'events.events.k8s.io': (name, ns) => ({ apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name, namespace: ns }, eventTime: '2024-01-01T00:00:00.000000Z', reason: 'Test' }),
  'roles.rbac.authorization.k8s.io': (name, ns) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: ns }, rules: [] }),
  'clusterroles.rbac.authorization.k8s.io': (name) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules: [] }),
  'rolebindings.rbac.authorization.k8s.io': (name, ns) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name, namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [] }),
  'clusterrolebindings.rbac.authorization.k8s.io': (name) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' } }),
  'leases.coordination.k8s.io': (name, ns) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: ns }, spec: { holderIdentity: 'me' } }),
  'selfsubjectrulesreviews.authorization.k8s.io': (name) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', metadata: { name }, spec: { namespace: 'default' } }),
  'selfsubjectreviews.authentication.k8s.io': (name) => ({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: { name } }),
  'customresourcedefinitions.apiextensions.k8s.io': (name) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name }, spec: {} }),
  'selfsubjectaccessreviews.authorization.k8s.io': (name) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: { name }, spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } }),
};
