// Resources whose strategy is only "name must be valid": one declaration each.
import { admitBindingWrite, admitRoleWrite } from '../auth/escalation.ts';
import { fieldErr } from '../errors.ts';
import { defaultLimitRange } from './limit-ranger.ts';
import type { ConfigMap, Event, Secret } from 'kubernetes-types/core/v1.js';
import type { Event as EventV1 } from 'kubernetes-types/events/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { RoleBinding } from 'kubernetes-types/rbac/v1.js';
import type { KubeObject } from '../contracts.ts';
import { defineResource, type Obj } from './define.ts';
import type { ResourceDef } from './types.ts';
import { validateObjectMeta, isObject } from './validation.ts';

const meta = (obj: KubeObject) => validateObjectMeta(obj, 'subdomain');

export const configmaps = defineResource<ConfigMap>({
  group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', singular: 'configmap', namespaced: true, shortNames: ['cm'],
  validate(obj) {
    const out = meta(obj);
    for (const [k, v] of Object.entries(isObject(obj.data) ? obj.data : {}))
      if (typeof v !== 'string') out.push(fieldErr.invalid(`data[${k}]`, v, 'must be a string'));
    return out;
  },
});

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;
export const secrets = defineResource<Secret>({
  group: '', version: 'v1', resource: 'secrets', kind: 'Secret', singular: 'secret', namespaced: true,
  fieldLabels: { type: (o) => o.type ?? 'Opaque' },
  prepareForCreate(obj) {
    obj.type ??= 'Opaque';
    foldStringData(obj);
  },
  prepareForUpdate(obj, old) {
    obj.type ??= old.type ?? 'Opaque';
    foldStringData(obj);
  },
  validate(obj) {
    const out = meta(obj);
    for (const [k, v] of Object.entries(isObject(obj.data) ? obj.data : {}))
      if (typeof v !== 'string' || !B64.test(v)) out.push(fieldErr.invalid(`data[${k}]`, '<secret contents redacted>', 'must be base64 encoded'));
    return out;
  },
  validateUpdate(obj, old) {
    return obj.type !== old.type ? [fieldErr.immutable('type', obj.type)] : [];
  },
});

/** stringData is write-only: the API folds it into data as base64 */
function foldStringData(obj: Obj<Secret>): void {
  if (!isObject(obj.stringData)) return;
  const data: Record<string, string> = { ...obj.data };
  for (const [k, v] of Object.entries(obj.stringData)) data[k] = Buffer.from(String(v)).toString('base64');
  obj.data = data;
  delete obj.stringData;
}

export const serviceaccounts: ResourceDef = {
  group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', singular: 'serviceaccount', namespaced: true, shortNames: ['sa'],
  validate: meta,
};

export const endpoints: ResourceDef = {
  group: '', version: 'v1', resource: 'endpoints', kind: 'Endpoints', singular: 'endpoints', namespaced: true, shortNames: ['ep'],
  validate: meta,
};

const involved = (f: keyof Event['involvedObject']) => (o: Obj<Event>) => String(o.involvedObject?.[f] ?? '');
export const events = defineResource<Event>({
  group: '', version: 'v1', resource: 'events', kind: 'Event', singular: 'event', namespaced: true, shortNames: ['ev'],
  fieldLabels: {
    'involvedObject.kind': involved('kind'),
    'involvedObject.namespace': involved('namespace'),
    'involvedObject.name': involved('name'),
    'involvedObject.uid': involved('uid'),
    'involvedObject.apiVersion': involved('apiVersion'),
    'involvedObject.resourceVersion': involved('resourceVersion'),
    'involvedObject.fieldPath': involved('fieldPath'),
    reason: (o) => o.reason ?? '',
    reportingComponent: (o) => o.reportingComponent ?? '',
    source: (o) => o.source?.component ?? '',
    type: (o) => o.type ?? '',
  },
  validate(obj) {
    const out = meta(obj);
    if (!isObject(obj.involvedObject)) out.push(fieldErr.required('involvedObject'));
    return out;
  },
});

export const eventsV1 = defineResource<EventV1>({
  group: 'events.k8s.io', version: 'v1', resource: 'events', kind: 'Event', singular: 'event', namespaced: true,
  fieldLabels: {
    'regarding.kind': (o) => o.regarding?.kind ?? '',
    'regarding.name': (o) => o.regarding?.name ?? '',
    'regarding.namespace': (o) => o.regarding?.namespace ?? '',
    'regarding.uid': (o) => o.regarding?.uid ?? '',
    reason: (o) => o.reason ?? '',
    type: (o) => o.type ?? '',
  },
  validate: meta,
});

export const endpointslices = defineResource<EndpointSlice>({
  group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice', singular: 'endpointslice', namespaced: true,
  validate(obj) {
    const out = meta(obj);
    const types = ['FQDN', 'IPv4', 'IPv6'];
    if (!obj.addressType) out.push(fieldErr.required('addressType'));
    else if (!types.includes(obj.addressType)) out.push(fieldErr.notSupported('addressType', obj.addressType, types));
    return out;
  },
});

export const leases: ResourceDef = {
  group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', singular: 'lease', namespaced: true,
  validate: meta,
};

// Roles have no roleRef; reading one as a binding finds it absent, which the Binding kinds alone check
const rbac = (resource: 'roles' | 'clusterroles' | 'rolebindings' | 'clusterrolebindings', kind: string, namespaced: boolean): ResourceDef =>
  defineResource<Partial<RoleBinding>>({
    group: 'rbac.authorization.k8s.io', version: 'v1', resource, kind, singular: kind.toLowerCase(), namespaced,
    admitWrite: (obj, review) => (resource === 'roles' || resource === 'clusterroles' ? admitRoleWrite(resource, obj, review) : admitBindingWrite(resource, obj, review)),
    validate(obj) {
      const out = validateObjectMeta(obj, 'path');
      if (kind.endsWith('Binding')) {
        if (!isObject(obj.roleRef)) out.push(fieldErr.required('roleRef'));
        else {
          if (!obj.roleRef.kind) out.push(fieldErr.required('roleRef.kind'));
          if (!obj.roleRef.name) out.push(fieldErr.required('roleRef.name'));
        }
      }
      return out;
    },
    validateUpdate(obj, old) {
      if (kind.endsWith('Binding') && JSON.stringify(obj.roleRef) !== JSON.stringify(old.roleRef))
        return [fieldErr.invalid('roleRef', obj.roleRef, 'cannot change roleRef')];
      return [];
    },
  });
export const roles = rbac('roles', 'Role', true);
export const clusterroles = rbac('clusterroles', 'ClusterRole', false);
export const rolebindings = rbac('rolebindings', 'RoleBinding', true);
export const clusterrolebindings = rbac('clusterrolebindings', 'ClusterRoleBinding', false);

/** read by `kubectl describe namespace` ("No resource quota.") */
export const resourcequotas: ResourceDef = {
  group: '', version: 'v1', resource: 'resourcequotas', kind: 'ResourceQuota', singular: 'resourcequota', namespaced: true, shortNames: ['quota'],
  statusSubresource: true,
  subresources: [{ name: 'status', kind: 'ResourceQuota', verbs: ['get', 'patch', 'update'] }],
  validate: meta,
};

/** read by `kubectl describe namespace` ("No LimitRange resource.") */
export const limitranges: ResourceDef = {
  group: '', version: 'v1', resource: 'limitranges', kind: 'LimitRange', singular: 'limitrange', namespaced: true, shortNames: ['limits'],
  prepareForCreate: (obj) => defaultLimitRange(obj),
  prepareForUpdate: (obj) => defaultLimitRange(obj),
  validate: meta,
};

/**
 * Served read-only and empty: kubectl looks here before saying a manifest's kind is unknown
 * ("no matches for kind ... ensure CRDs are installed first"). The lab has no custom resources.
 */
export const customresourcedefinitions: ResourceDef = {
  group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', kind: 'CustomResourceDefinition', singular: 'customresourcedefinition',
  namespaced: false, shortNames: ['crd', 'crds'], verbs: ['get', 'list', 'watch'],
  validate: meta,
};
