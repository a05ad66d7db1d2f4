// Defaulting and validation of a PodSpec, shared by Pods and every pod template
// (Deployments, ReplicaSets, DaemonSets), as the API server's defaulters do it.
import { fieldErr, type FieldError } from '../errors.ts';
import { isObject, PROTOCOLS, validateName, validatePort } from './validation.ts';
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';

/** image without a tag, or tagged latest, is pulled Always; anything else IfNotPresent */
export function defaultPullPolicy(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  if (colon < 0) return 'Always';
  return last.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: unknown): void {
  if (!isObject(p)) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (isObject(p.httpGet)) p.httpGet.scheme ??= 'HTTP';
}

function defaultContainer(c: Container): void {
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  c.imagePullPolicy ??= defaultPullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  for (const p of Array.isArray(c.ports) ? c.ports : []) if (isObject(p)) p.protocol ??= 'TCP';
  for (const e of Array.isArray(c.env) ? c.env : []) {
    const ref = e?.valueFrom?.fieldRef;
    if (isObject(ref)) ref.apiVersion ??= 'v1';
  }
}

/** ephemeral containers get a container's defaults (SetDefaults_EphemeralContainer leaves them to the same code) */
export function defaultEphemeralContainers(list: unknown): void {
  for (const c of Array.isArray(list) ? list : []) if (isObject(c)) defaultContainer(c as Container);
}

export function defaultPodSpec(spec: PodSpec, isPod: boolean): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const c of Array.isArray(spec.containers) ? spec.containers : []) if (isObject(c)) defaultContainer(c);
  for (const c of Array.isArray(spec.initContainers) ? spec.initContainers : []) if (isObject(c)) defaultContainer(c);
  for (const v of Array.isArray(spec.volumes) ? spec.volumes : []) {
    if (isObject(v?.configMap)) v.configMap.defaultMode ??= 420;
    if (isObject(v?.secret)) v.secret.defaultMode ??= 420;
  }
  if (isPod) {
    // the v1 conversion keeps the deprecated serviceAccount in step; "default" is the ServiceAccount admission's
    if (spec.serviceAccountName ?? spec.serviceAccount) {
      spec.serviceAccountName ??= spec.serviceAccount;
      spec.serviceAccount ??= spec.serviceAccountName;
    }
    spec.enableServiceLinks ??= true;
    // SetDefaults_Pod: a container's limit with no request is its request too
    const list = (v: unknown) => (Array.isArray(v) ? (v as unknown[]) : []);
    const all = [...list(spec.containers), ...list(spec.initContainers)];
    for (const c of all) {
      const r = isObject(c) && isObject(c.resources) ? c.resources : undefined;
      if (!r || !isObject(r.limits)) continue;
      for (const [k, v] of Object.entries(r.limits))
        if (!isObject(r.requests) || r.requests[k] === undefined) r.requests = { ...r.requests, [k]: v };
    }
    spec.priority ??= 0;
    spec.preemptionPolicy ??= 'PreemptLowerPriority';
    defaultTolerationSeconds(spec);
  }
}

/**
 * The DefaultTolerationSeconds admission plugin (plugin/pkg/admission/defaulttolerationseconds):
 * a pod that does not already tolerate node.kubernetes.io/not-ready (or unreachable) with effect
 * NoExecute (an empty key or effect tolerates any) gets a 300 s toleration of it appended.
 */
function defaultTolerationSeconds(spec: PodSpec): void {
  const list = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  const tolerates = (key: string) => list.some((t) => isObject(t) && (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute'));
  const added = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'].filter((key) => !tolerates(key));
  if (added.length === 0) return;
  spec.tolerations = [...list, ...added.map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }))];
}

function validateContainers(list: unknown, field: string, required: boolean, names: Set<string>): FieldError[] {
  const out: FieldError[] = [];
  if (list === undefined || list === null || (Array.isArray(list) && list.length === 0)) {
    if (required) out.push(fieldErr.required(field));
    return out;
  }
  if (!Array.isArray(list)) return [fieldErr.invalid(field, list, 'must be a list of containers')];
  list.forEach((c, i) => {
    const f = `${field}[${i}]`;
    if (!isObject(c)) return void out.push(fieldErr.invalid(f, c, 'must be an object'));
    if (!c.name) out.push(fieldErr.required(`${f}.name`));
    else {
      out.push(...validateName(String(c.name), 'label1123', `${f}.name`));
      if (names.has(c.name)) out.push(fieldErr.duplicate(`${f}.name`, c.name));
      names.add(c.name);
    }
    if (!c.image || (typeof c.image === 'string' && c.image.trim() === '')) out.push(fieldErr.required(`${f}.image`));
    if (c.imagePullPolicy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(c.imagePullPolicy))
      out.push(fieldErr.notSupported(`${f}.imagePullPolicy`, c.imagePullPolicy, ['Always', 'IfNotPresent', 'Never']));
    (Array.isArray(c.ports) ? c.ports : []).forEach((p: unknown, j: number) => {
      const port = isObject(p) ? p : {};
      out.push(...validatePort(port.containerPort, `${f}.ports[${j}].containerPort`));
      if (port.protocol !== undefined && !PROTOCOLS.includes(port.protocol))
        out.push(fieldErr.notSupported(`${f}.ports[${j}].protocol`, port.protocol, PROTOCOLS));
    });
    (Array.isArray(c.env) ? c.env : []).forEach((e: unknown, j: number) => {
      if (!isObject(e) || !e.name) out.push(fieldErr.required(`${f}.env[${j}].name`));
    });
  });
  return out;
}

export function validatePodSpec(spec: unknown, field: string): FieldError[] {
  if (!isObject(spec)) return [fieldErr.required(field)];
  const names = new Set<string>();
  const out = [
    ...validateContainers(spec.containers, `${field}.containers`, true, names),
    ...validateContainers(spec.initContainers, `${field}.initContainers`, false, names),
  ];
  const regular = new Set(names);
  out.push(...validateContainers(spec.ephemeralContainers, `${field}.ephemeralContainers`, false, names));
  (Array.isArray(spec.ephemeralContainers) ? spec.ephemeralContainers : []).forEach((c: unknown, i: number) => {
    if (!isObject(c)) return;
    const f = `${field}.ephemeralContainers[${i}]`;
    // validateEphemeralContainers: what only a long-lived container may have
    for (const k of ['ports', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'resizePolicy'])
      if (c[k] !== undefined) out.push(fieldErr.forbidden(`${f}.${k}`, 'cannot be set for an Ephemeral Container'));
    if (isObject(c.resources) && Object.keys(c.resources).length) out.push(fieldErr.forbidden(`${f}.resources`, 'cannot be set for an Ephemeral Container'));
    if (c.targetContainerName !== undefined && !regular.has(c.targetContainerName))
      out.push(fieldErr.notFound(`${f}.targetContainerName`, c.targetContainerName));
  });
  if (spec.restartPolicy !== undefined && !['Always', 'OnFailure', 'Never'].includes(spec.restartPolicy))
    out.push(fieldErr.notSupported(`${field}.restartPolicy`, spec.restartPolicy, ['Always', 'OnFailure', 'Never']));
  const dns = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
  if (spec.dnsPolicy !== undefined && !dns.includes(spec.dnsPolicy)) out.push(fieldErr.notSupported(`${field}.dnsPolicy`, spec.dnsPolicy, dns));
  if (spec.dnsPolicy === 'None' && !isObject(spec.dnsConfig))
    out.push(fieldErr.required(`${field}.dnsConfig`, `must provide \`dnsConfig\` when \`dnsPolicy\` is None`));
  const vols = new Set<string>();
  (Array.isArray(spec.volumes) ? spec.volumes : []).forEach((v: unknown, i: number) => {
    if (!isObject(v) || !v.name) out.push(fieldErr.required(`${field}.volumes[${i}].name`));
    else if (vols.has(v.name)) out.push(fieldErr.duplicate(`${field}.volumes[${i}].name`, v.name));
    else vols.add(v.name);
  });
  return out;
}
