// The registry of every resource the embedded API serves. Adding one: declare it in its own
// file (see types.ts) and list it here.
import { cronjobs } from './cronjobs.ts';
import { daemonsets } from './daemonsets.ts';
import { deployments } from './deployments.ts';
import { jobs } from './jobs.ts';
import { namespaces } from './namespaces.ts';
import { nodes } from './nodes.ts';
import { pods } from './pods.ts';
import { replicasets } from './replicasets.ts';
import { services } from './services.ts';
import { statefulsets } from './statefulsets.ts';
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
import { selfsubjectaccessreviews, selfsubjectreviews, selfsubjectrulesreviews } from './reviews.ts';
import { resourceName, type ResourceDef } from './types.ts';

export * from './types.ts';

/** in discovery order: kubectl `get all` lists categories in this order */
export const RESOURCES: readonly ResourceDef[] = [
  pods, services, endpoints, events, namespaces, nodes, configmaps, secrets, serviceaccounts, resourcequotas, limitranges,
  deployments, replicasets, daemonsets, statefulsets,
  jobs, cronjobs,
  endpointslices, eventsV1,
  roles, clusterroles, rolebindings, clusterrolebindings,
  leases, selfsubjectaccessreviews, selfsubjectrulesreviews, selfsubjectreviews,
  customresourcedefinitions,
];

const byName = new Map(RESOURCES.map((d) => [resourceName(d), d]));

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
