// The registry of every resource the embedded API serves. Adding one: declare it in its own
// file (see types.ts) and list it here.
import {
  apiservices,
  bindings,
  certificatesigningrequests,
  controllerrevisions,
  csistoragecapacities,
  componentstatuses,
  flowschemas,
  horizontalpodautoscalers, horizontalpodautoscalersV1,
  mutatingwebhookconfigurations,
  poddisruptionbudgets,
  podtemplates,
  prioritylevelconfigurations,
  replicationcontrollers,
  runtimeclasses,
  validatingadmissionpolicies,
  validatingadmissionpolicybindings,
  validatingwebhookconfigurations,
} from './cluster-builtins.ts';
import { cronjobs } from './cronjobs.ts';
import { daemonsets } from './daemonsets.ts';
import { deployments } from './deployments.ts';
import { jobs } from './jobs.ts';
import { namespaces } from './namespaces.ts';
import { ingressclasses, ingresses, networkpolicies } from './networking.ts';
import { nodes } from './nodes.ts';
import { pods } from './pods.ts';
import { priorityclasses } from './priorityclasses.ts';
import { replicasets } from './replicasets.ts';
import { services } from './services.ts';
import { statefulsets } from './statefulsets.ts';
import { csidrivers, csinodes, persistentvolumeclaims, persistentvolumes, storageclasses, volumeattachments } from './storage.ts';
import {
  clusterrolebindings,
  clusterroles,
  configmaps,
  customresourcedefinitions,
  endpoints,
  endpointslices,
  events,
  eventsV1,
  leases,
  limitranges,
  resourcequotas,
  rolebindings,
  roles,
  secrets,
  serviceaccounts,
} from './simple.ts';
import {
  localsubjectaccessreviews,
  selfsubjectaccessreviews,
  selfsubjectreviews,
  selfsubjectrulesreviews,
  subjectaccessreviews,
  tokenreviews,
} from './reviews.ts';
import { resourceName, type ResourceDef } from './types.ts';

export * from './types.ts';

/** in discovery order: kubectl `get all` lists categories in this order */
export const RESOURCES: readonly ResourceDef[] = [
  bindings, pods, replicationcontrollers, services, endpoints, events, namespaces, nodes, configmaps, secrets, serviceaccounts,
  resourcequotas, limitranges,
  persistentvolumes, persistentvolumeclaims, podtemplates, componentstatuses,
  deployments, replicasets, daemonsets, statefulsets, controllerrevisions,
  horizontalpodautoscalers, horizontalpodautoscalersV1,
  jobs, cronjobs,
  certificatesigningrequests,
  networkpolicies, ingresses, ingressclasses,
  poddisruptionbudgets,
  storageclasses, csidrivers, csinodes, volumeattachments, csistoragecapacities,
  endpointslices, eventsV1,
  roles, clusterroles, rolebindings, clusterrolebindings,
  priorityclasses, runtimeclasses,
  validatingwebhookconfigurations, mutatingwebhookconfigurations, validatingadmissionpolicies, validatingadmissionpolicybindings,
  apiservices,
  flowschemas, prioritylevelconfigurations,
  leases, selfsubjectaccessreviews, selfsubjectrulesreviews, selfsubjectreviews, tokenreviews,
  subjectaccessreviews, localsubjectaccessreviews,
  customresourcedefinitions,
];

// the storage version of each resource: a version served through a conversion is not the store's
const byName = new Map(RESOURCES.filter((d) => !d.conversion).map((d) => [resourceName(d), d]));

/** by store name: "pods", "deployments.apps" */
export function lookupResource(name: string): ResourceDef | undefined {
  return byName.get(name);
}

export function findByGVR(group: string, version: string, resource: string): ResourceDef | undefined {
  return RESOURCES.find((d) => d.group === group && d.version === version && d.resource === resource);
}

export function findByKind(apiVersion: string, kind: string): ResourceDef | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return RESOURCES.find((d) => d.group === group && d.version === version && d.kind === kind);
}

/** API groups in discovery order, the core group ("") first */
export function apiGroups(): string[] {
  return [...new Set(RESOURCES.map((d) => d.group))];
}
