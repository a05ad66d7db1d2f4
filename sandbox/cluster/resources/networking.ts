// networking.k8s.io/v1 as the 1.32 apiserver stores it: NetworkPolicies (policyTypes defaulted
// from the rules, port protocol TCP: pkg/apis/networking/v1/defaults.go), Ingresses (status
// loadBalancer {}, pathType required, a backend or rules required) and IngressClasses (controller
// required and immutable); messages as pkg/apis/networking/validation words them.
import type { Ingress, IngressClass, NetworkPolicy, NetworkPolicyPort } from 'kubernetes-types/networking/v1.js';
import { fieldErr, type FieldError } from '../errors.ts';
import { defineResource, type Obj } from './define.ts';
import { statusSub } from './types.ts';
import { isObject, PROTOCOLS, validateObjectMeta } from './validation.ts';

const POLICY_TYPES = ['Egress', 'Ingress'];

function defaultPorts(ports: NetworkPolicyPort[] | undefined): void {
  for (const p of Array.isArray(ports) ? ports : []) if (isObject(p)) p.protocol ??= 'TCP';
}

function defaultNetworkPolicy(obj: NetworkPolicy): void {
  const s = (obj.spec ??= { podSelector: {} });
  s.podSelector ??= {};
  for (const r of s.ingress ?? []) defaultPorts(r.ports);
  for (const r of s.egress ?? []) defaultPorts(r.ports);
  if (!s.policyTypes || s.policyTypes.length === 0) s.policyTypes = s.egress && s.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

export const networkpolicies = defineResource<NetworkPolicy>({
  group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies', kind: 'NetworkPolicy', singular: 'networkpolicy', namespaced: true,
  shortNames: ['netpol'],
  hasGeneration: true,
  prepareForCreate: (obj) => defaultNetworkPolicy(obj),
  prepareForUpdate: (obj) => defaultNetworkPolicy(obj),
  validate(obj) {
    const out = validateObjectMeta(obj, 'subdomain');
    const s = obj.spec;
    (s?.policyTypes ?? []).forEach((t, i) => {
      if (!POLICY_TYPES.includes(t)) out.push(fieldErr.notSupported(`spec.policyTypes[${i}]`, t, POLICY_TYPES));
    });
    const rules = [...(s?.ingress ?? []).map((r, i) => [`spec.ingress[${i}]`, r.ports] as const), ...(s?.egress ?? []).map((r, i) => [`spec.egress[${i}]`, r.ports] as const)];
    for (const [path, ports] of rules)
      (ports ?? []).forEach((p, j) => {
        if (p.protocol && !PROTOCOLS.includes(p.protocol)) out.push(fieldErr.notSupported(`${path}.ports[${j}].protocol`, p.protocol, PROTOCOLS));
        if (typeof p.port === 'number' && (p.port < 1 || p.port > 65535)) out.push(fieldErr.invalid(`${path}.ports[${j}].port`, p.port, 'must be between 1 and 65535, inclusive'));
      });
    return out;
  },
});

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

function validateIngress(obj: Obj<Ingress>): FieldError[] {
  const out = validateObjectMeta(obj, 'subdomain');
  const s = obj.spec;
  if (!isObject(s) || (!s.defaultBackend && (!s.rules || s.rules.length === 0))) {
    out.push({ ...fieldErr.invalid('spec', null, 'either `defaultBackend` or `rules` must be specified'), valueText: 'networking.IngressSpec{...}' });
    return out;
  }
  (s.rules ?? []).forEach((r, i) => {
    (r.http?.paths ?? []).forEach((p, j) => {
      const path = `spec.rules[${i}].http.paths[${j}]`;
      if (!p.pathType) out.push(fieldErr.required(`${path}.pathType`, 'pathType must be specified'));
      else if (!PATH_TYPES.includes(p.pathType)) out.push(fieldErr.notSupported(`${path}.pathType`, p.pathType, PATH_TYPES));
      else if (p.pathType !== 'ImplementationSpecific' && !(p.path ?? '').startsWith('/'))
        out.push(fieldErr.invalid(`${path}.path`, p.path ?? '', 'must be an absolute path'));
      const b = p.backend;
      if (!isObject(b) || (!b.service && !b.resource)) out.push(fieldErr.invalid(`${path}.backend`, null, 'one backend (service or resource) must be specified'));
      else if (b.service && !b.service.port?.name && b.service.port?.number === undefined)
        out.push(fieldErr.required(`${path}.backend.service.port`, 'port name or number is required'));
    });
  });
  return out;
}

export const ingresses = defineResource<Ingress>({
  group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', kind: 'Ingress', singular: 'ingress', namespaced: true,
  shortNames: ['ing'],
  hasGeneration: true,
  statusSubresource: true,
  subresources: [statusSub('Ingress')],
  prepareForCreate(obj) {
    obj.status = { loadBalancer: {} };
  },
  validate: (obj) => validateIngress(obj),
  validateUpdate: (obj) => validateIngress(obj),
});

export const ingressclasses = defineResource<IngressClass>({
  group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses', kind: 'IngressClass', singular: 'ingressclass', namespaced: false,
  validate(obj) {
    const out = validateObjectMeta(obj, 'subdomain');
    if (!obj.spec?.controller) out.push(fieldErr.required('spec.controller'));
    return out;
  },
  validateUpdate(obj, old) {
    return obj.spec?.controller !== old.spec?.controller ? [fieldErr.immutable('spec.controller', obj.spec?.controller)] : [];
  },
});
