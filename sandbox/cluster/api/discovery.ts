// Discovery documents, both forms: aggregated (what kubectl 1.26+ asks for first) and legacy
// (/api/v1, /apis/<g>/<v> APIResourceLists) for older clients and client libraries.
import { createHash } from 'node:crypto';
import { ALL_VERBS, apiGroups, RESOURCES, type ResourceDef } from '../resources/index.ts';

export const KUBE_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:02:27Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const verbsOf = (d: ResourceDef) => d.verbs ?? ALL_VERBS;
const hash = (s: string) => createHash('sha256').update(s).digest('base64').slice(0, 11);

function versionsOf(group: string): string[] {
  return [...new Set(RESOURCES.filter((d) => d.group === group).map((d) => d.version))];
}

function aggregatedResource(d: ResourceDef) {
  return {
    resource: d.resource,
    responseKind: { group: d.group, version: d.version, kind: d.kind },
    scope: d.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: d.singular,
    verbs: verbsOf(d),
    ...(d.shortNames?.length ? { shortNames: d.shortNames } : {}),
    ...(d.categories?.length ? { categories: d.categories } : {}),
    ...(d.subresources?.length
      ? {
          subresources: d.subresources.map((s) => ({
            subresource: s.name,
            responseKind: { group: s.group ?? d.group, version: s.version ?? d.version, kind: s.kind },
            verbs: s.verbs,
          })),
        }
      : {}),
  };
}

function aggregatedGroup(group: string) {
  return {
    metadata: group ? { name: group, creationTimestamp: null } : { creationTimestamp: null },
    versions: versionsOf(group).map((v) => ({
      version: v,
      resources: RESOURCES.filter((d) => d.group === group && d.version === v).map(aggregatedResource),
      freshness: 'Current',
    })),
  };
}

export function aggregatedDiscovery(root: 'api' | 'apis', version: 'v2' | 'v2beta1') {
  const groups = root === 'api' ? [''] : apiGroups().filter((g) => g !== '');
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items: groups.map(aggregatedGroup) };
}

export function apiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(group: string) {
  const versions = versionsOf(group).map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function apiGroupList() {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: apiGroups().filter((g) => g !== '').map(apiGroup) };
}

export function apiGroupDoc(group: string) {
  if (!apiGroups().includes(group) || group === '') return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group) };
}

export function apiResourceList(group: string, version: string) {
  const defs = RESOURCES.filter((d) => d.group === group && d.version === version);
  if (defs.length === 0) return undefined;
  const resources: unknown[] = [];
  for (const d of defs) {
    resources.push({
      name: d.resource,
      singularName: d.singular,
      namespaced: d.namespaced,
      kind: d.kind,
      verbs: verbsOf(d),
      ...(d.shortNames?.length ? { shortNames: d.shortNames } : {}),
      ...(d.categories?.length ? { categories: d.categories } : {}),
      storageVersionHash: hash(`${d.group}/${d.version}/${d.kind}`),
    });
    for (const s of d.subresources ?? [])
      resources.push({
        name: `${d.resource}/${s.name}`,
        singularName: '',
        namespaced: d.namespaced,
        kind: s.kind,
        verbs: s.verbs,
        ...(s.group ? { group: s.group, version: s.version } : {}),
      });
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}
