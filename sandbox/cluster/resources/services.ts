import type { Service, ServicePort, ServiceSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../contracts.ts';
import { defineResource, type Obj } from './define.ts';
import { fieldErr, type FieldError } from '../errors.ts';
import { cidrContains, formatIPv4, parseCidr, parseIPv4 } from './ip-range.ts';
import { statusSub, type StrategyContext } from './types.ts';
import { isObject, PROTOCOLS, validateObjectMeta, validatePort } from './validation.ts';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

/** the services the strategy allocates against: the store only holds Services under this resource */
const servicesIn = (ctx: StrategyContext) => ctx.list('services') as Array<Obj<Service>>;

function usedIPs(ctx: StrategyContext, self?: KubeObject): Set<string> {
  const used = new Set<string>();
  for (const s of servicesIn(ctx)) {
    if (self && s.metadata.uid === self.metadata.uid) continue;
    for (const ip of s.spec?.clusterIPs ?? [s.spec?.clusterIP]) if (ip && ip !== 'None') used.add(ip);
  }
  return used;
}

/** the API server allocates ClusterIPs; a requested one must be in range and free */
function allocateClusterIP(spec: ServiceSpec, ctx: StrategyContext): FieldError[] {
  if (spec.type === 'ExternalName') return [];
  const cidr = parseCidr(ctx.serviceCIDR);
  const requested = spec.clusterIP ?? spec.clusterIPs?.[0];
  if (requested === 'None') {
    spec.clusterIP = 'None';
    spec.clusterIPs = ['None'];
    return [];
  }
  const used = usedIPs(ctx);
  if (requested) {
    const n = parseIPv4(requested);
    if (n === undefined) return [fieldErr.invalid('spec.clusterIPs[0]', requested, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
    if (!cidrContains(cidr, n))
      return [
        fieldErr.invalid(
          'spec.clusterIPs',
          [requested],
          `failed to allocate IP ${requested}: the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${cidr.text}`,
        ),
      ];
    if (used.has(requested)) return [fieldErr.invalid('spec.clusterIPs', [requested], `failed to allocate IP ${requested}: provided IP is already allocated`)];
    spec.clusterIP = requested;
    spec.clusterIPs = [requested];
    return [];
  }
  // dynamic allocations come from the upper part of the range, leaving the lower band for
  // static IPs such as kube-dns's .10, as the real allocator does
  const lowBand = Math.min(Math.max(16, Math.floor(cidr.size / 16)), 256);
  const span = cidr.size - 2 - lowBand;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const ip = formatIPv4(cidr.base + 1 + lowBand + ((start + i) % span));
    if (!used.has(ip)) {
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
      return [];
    }
  }
  return [fieldErr.invalid('spec.clusterIPs', [], `failed to allocate a serviceIP: range is full`)];
}

function allocateNodePorts(spec: ServiceSpec, ctx: StrategyContext): void {
  if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') return;
  const used = new Set<number>();
  for (const s of servicesIn(ctx)) for (const p of s.spec?.ports ?? []) if (p.nodePort) used.add(p.nodePort);
  for (const p of spec.ports ?? []) {
    if (p.nodePort) continue;
    let n = 30000 + Math.floor(Math.random() * 2768);
    while (used.has(n)) n = 30000 + ((n - 30000 + 1) % 2768);
    used.add(n);
    p.nodePort = n;
  }
}

function defaultPorts(spec: ServiceSpec): void {
  for (const p of Array.isArray(spec.ports) ? spec.ports : []) {
    if (!isObject(p)) continue;
    p.protocol ??= 'TCP';
    p.targetPort ??= p.port;
  }
}

function validateSpec(obj: Obj<Service>): FieldError[] {
  const spec = obj.spec;
  const out: FieldError[] = [];
  if (!isObject(spec)) return [fieldErr.required('spec')];
  if (!TYPES.includes(spec.type ?? '')) out.push(fieldErr.notSupported('spec.type', spec.type, TYPES));
  if (spec.type === 'ExternalName') {
    if (!spec.externalName) out.push(fieldErr.required('spec.externalName'));
    return out;
  }
  const ports = Array.isArray(spec.ports) ? spec.ports : [];
  if (ports.length === 0 && spec.clusterIP !== 'None') out.push(fieldErr.required('spec.ports'));
  const names = new Set<string>();
  ports.forEach((p: ServicePort, i: number) => {
    const f = `spec.ports[${i}]`;
    if (ports.length > 1 && !p?.name) out.push(fieldErr.required(`${f}.name`));
    if (p?.name) {
      if (names.has(p.name)) out.push(fieldErr.duplicate(`${f}.name`, p.name));
      names.add(p.name);
    }
    out.push(...validatePort(p?.port, `${f}.port`));
    if (p?.protocol !== undefined && !PROTOCOLS.includes(p.protocol)) out.push(fieldErr.notSupported(`${f}.protocol`, p.protocol, PROTOCOLS));
  });
  const aff = ['ClientIP', 'None'];
  if (spec.sessionAffinity !== undefined && !aff.includes(spec.sessionAffinity)) out.push(fieldErr.notSupported('spec.sessionAffinity', spec.sessionAffinity, aff));
  return out;
}

export const services = defineResource<Service>({
  group: '',
  version: 'v1',
  resource: 'services',
  kind: 'Service',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  statusSubresource: true,
  subresources: [statusSub('Service')],
  prepareForCreate(obj) {
    obj.spec ??= {};
    const s = obj.spec;
    s.type ??= 'ClusterIP';
    s.sessionAffinity ??= 'None';
    if (s.type !== 'ExternalName') {
      s.ipFamilies ??= ['IPv4'];
      s.ipFamilyPolicy ??= 'SingleStack';
      s.internalTrafficPolicy ??= 'Cluster';
    }
    if (s.type === 'NodePort' || s.type === 'LoadBalancer') s.externalTrafficPolicy ??= 'Cluster';
    defaultPorts(s);
    obj.status = { loadBalancer: {} };
  },
  validate(obj, ctx) {
    const errs = [...validateObjectMeta(obj, 'label1035'), ...validateSpec(obj)];
    // allocation happens during validation so an invalid request allocates nothing; on update
    // the allocated ClusterIP is validateUpdate's (it may not change)
    if (errs.length === 0 && obj.spec && ctx.operation === 'create') {
      errs.push(...allocateClusterIP(obj.spec, ctx));
      allocateNodePorts(obj.spec, ctx);
    }
    return errs;
  },
  prepareForUpdate(obj, old) {
    obj.spec ??= {};
    const s = obj.spec;
    // an update that leaves clusterIP out keeps the allocated one (kubectl replace does this)
    if (old.spec?.clusterIP && !s.clusterIP && s.type === old.spec.type) {
      s.clusterIP = old.spec.clusterIP;
      s.clusterIPs ??= old.spec.clusterIPs;
    }
    s.type ??= old.spec?.type ?? 'ClusterIP';
    s.sessionAffinity ??= 'None';
    if (s.type !== 'ExternalName') {
      s.ipFamilies ??= old.spec?.ipFamilies ?? ['IPv4'];
      s.ipFamilyPolicy ??= old.spec?.ipFamilyPolicy ?? 'SingleStack';
      s.internalTrafficPolicy ??= 'Cluster';
    }
    if (s.clusterIP && !s.clusterIPs) s.clusterIPs = [s.clusterIP];
    defaultPorts(s);
    for (const p of s.ports ?? []) {
      const was = (old.spec?.ports ?? []).find((q) => q.port === p.port && q.protocol === p.protocol);
      if (!p.nodePort && was?.nodePort && (s.type === 'NodePort' || s.type === 'LoadBalancer')) p.nodePort = was.nodePort;
    }
  },
  validateUpdate(obj, old, ctx) {
    // the spec's own errors are validate's (the store runs both on update); they only stop allocation here
    const specValid = validateSpec(obj).length === 0;
    const errs: FieldError[] = [];
    const was = old.spec?.clusterIP;
    const now = obj.spec?.clusterIP;
    if (was && now !== was && old.spec?.type !== 'ExternalName' && obj.spec?.type !== 'ExternalName')
      errs.push(fieldErr.invalid('spec.clusterIPs[0]', [now ?? ''].filter(Boolean), 'may not change once set'));
    if (specValid && errs.length === 0 && obj.spec) {
      if (!now && obj.spec.type !== 'ExternalName') errs.push(...allocateClusterIP(obj.spec, ctx));
      allocateNodePorts(obj.spec, ctx);
    }
    return errs;
  },
});
