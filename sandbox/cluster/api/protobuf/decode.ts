// Kubernetes protobuf bodies ("k8s\0" + runtime.Unknown) to the JSON form the store takes.
import { StatusError } from '../../errors.ts';
import { lookupSchema } from '../../schemas/upstream.ts';
import { kubeDescriptors, type MessageDesc } from './descriptors.ts';
import { fields, readVarint, utf8 } from './wire.ts';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

const unsupported = (why: string) =>
  new StatusError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'UnsupportedMediaType', code: 415,
    message: `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (${why})`,
  });

/**
 * Go's generated Marshal writes every non-pointer scalar, zero or not, and a pointer only when it
 * is set; JSON then omits the non-pointer zeros (omitempty) and keeps a set pointer even at zero.
 * The descriptors cannot tell the two apart, so zero scalars are dropped except in these pointer
 * fields, where a zero (or false) means something: `*int32`, `*int64` and `*bool` fields of the
 * kinds kubectl sends as protobuf, from k8s.io/api core/v1, apps/v1, batch/v1 and
 * k8s.io/apimachinery meta/v1 types.go.
 */
const ZERO_MEANS_SET = new Set([
  'core.v1.PodSpec.terminationGracePeriodSeconds', 'core.v1.PodSpec.activeDeadlineSeconds', 'core.v1.PodSpec.automountServiceAccountToken',
  'core.v1.PodSpec.shareProcessNamespace', 'core.v1.PodSpec.priority', 'core.v1.PodSpec.enableServiceLinks', 'core.v1.PodSpec.setHostnameAsFQDN',
  'core.v1.PodSpec.hostUsers',
  'core.v1.SecurityContext.privileged', 'core.v1.SecurityContext.runAsUser', 'core.v1.SecurityContext.runAsGroup', 'core.v1.SecurityContext.runAsNonRoot',
  'core.v1.SecurityContext.readOnlyRootFilesystem', 'core.v1.SecurityContext.allowPrivilegeEscalation',
  'core.v1.PodSecurityContext.runAsUser', 'core.v1.PodSecurityContext.runAsGroup', 'core.v1.PodSecurityContext.runAsNonRoot', 'core.v1.PodSecurityContext.fsGroup',
  'core.v1.SecretVolumeSource.defaultMode', 'core.v1.SecretVolumeSource.optional', 'core.v1.ConfigMapVolumeSource.defaultMode',
  'core.v1.ConfigMapVolumeSource.optional', 'core.v1.ProjectedVolumeSource.defaultMode', 'core.v1.DownwardAPIVolumeSource.defaultMode',
  'core.v1.KeyToPath.mode', 'core.v1.DownwardAPIVolumeFile.mode', 'core.v1.SecretProjection.optional', 'core.v1.ConfigMapProjection.optional',
  'core.v1.ServiceAccountTokenProjection.expirationSeconds', 'core.v1.ConfigMapKeySelector.optional', 'core.v1.SecretKeySelector.optional',
  'core.v1.ConfigMapEnvSource.optional', 'core.v1.SecretEnvSource.optional', 'core.v1.Probe.terminationGracePeriodSeconds',
  'core.v1.Toleration.tolerationSeconds', 'core.v1.ServiceSpec.allocateLoadBalancerNodePorts', 'core.v1.ClientIPConfig.timeoutSeconds',
  'core.v1.ServiceAccount.automountServiceAccountToken', 'core.v1.ConfigMap.immutable', 'core.v1.Secret.immutable',
  'apps.v1.DeploymentSpec.replicas', 'apps.v1.DeploymentSpec.revisionHistoryLimit', 'apps.v1.DeploymentSpec.progressDeadlineSeconds',
  'apps.v1.ReplicaSetSpec.replicas', 'apps.v1.DaemonSetSpec.revisionHistoryLimit',
  'batch.v1.JobSpec.parallelism', 'batch.v1.JobSpec.completions', 'batch.v1.JobSpec.activeDeadlineSeconds', 'batch.v1.JobSpec.backoffLimit',
  'batch.v1.JobSpec.manualSelector', 'batch.v1.JobSpec.ttlSecondsAfterFinished', 'batch.v1.JobSpec.suspend',
  'batch.v1.CronJobSpec.startingDeadlineSeconds', 'batch.v1.CronJobSpec.suspend', 'batch.v1.CronJobSpec.successfulJobsHistoryLimit',
  'batch.v1.CronJobSpec.failedJobsHistoryLimit',
  'meta.v1.ObjectMeta.deletionGracePeriodSeconds', 'meta.v1.OwnerReference.controller', 'meta.v1.OwnerReference.blockOwnerDeletion',
].map((f) => (f.startsWith('meta.') ? `k8s.io.apimachinery.pkg.apis.${f}` : `k8s.io.api.${f}`)));

const isZero = (v: unknown) => v === '' || v === 0 || v === false || v === undefined || v === null;

/**
 * A field that Go embeds with `json:",inline"` (Volume's VolumeSource, Probe's ProbeHandler,
 * ConfigMapVolumeSource's LocalObjectReference, EphemeralContainer's EphemeralContainerCommon...)
 * is a message field in protobuf, named after the Go field, but its fields sit in the parent in
 * JSON. The OpenAPI schema of the parent lists the JSON names, so a message field it does not
 * list is an inline one.
 */
const inlineCache = new Map<string, boolean>();
function isInline(message: string, field: string): boolean {
  const key = `${message}.${field}`;
  let hit = inlineCache.get(key);
  if (hit === undefined) {
    const schema = lookupSchema(message.replace(/^k8s\.io\./, 'io.k8s.'));
    const props = schema?.properties;
    hit = props !== undefined && !(field in props);
    inlineCache.set(key, hit);
  }
  return hit;
}

function scalar(type: number, f: { num?: number; bytes?: Uint8Array }): unknown {
  switch (type) {
    case 8:
      return Boolean(f.num);
    case 9:
      return utf8(f.bytes);
    case 12:
      return Buffer.from(f.bytes ?? []).toString('base64');
    case 17:
    case 18: {
      const n = f.num ?? 0;
      return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
    }
    case 1: {
      const b = f.bytes!;
      return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
    }
    case 5:
    case 3:
      // negative int32/int64 arrive as 10-byte varints
      return (f.num ?? 0) >= 2 ** 63 ? (f.num ?? 0) - 2 ** 64 : f.num;
    default:
      return f.num;
  }
}

function decodeSpecial(typeName: string, buf: Uint8Array, all: Map<string, MessageDesc>): { value: unknown } | undefined {
  switch (typeName) {
    case `${META}.Time`:
    case `${META}.MicroTime`: {
      let seconds = 0;
      let nanos = 0;
      for (const f of fields(buf)) {
        if (f.number === 1) seconds = f.num!;
        if (f.number === 2) nanos = f.num!;
      }
      if (seconds === 0 && nanos === 0) return { value: undefined };
      return { value: new Date(seconds * 1000 + Math.floor(nanos / 1e6)).toISOString().replace(/\.\d+Z$/, 'Z') };
    }
    case 'k8s.io.apimachinery.pkg.util.intstr.IntOrString': {
      let type = 0;
      let intVal = 0;
      let strVal = '';
      for (const f of fields(buf)) {
        if (f.number === 1) type = f.num!;
        if (f.number === 2) intVal = f.num!;
        if (f.number === 3) strVal = utf8(f.bytes);
      }
      return { value: type === 1 ? strVal : intVal };
    }
    case 'k8s.io.apimachinery.pkg.api.resource.Quantity':
      for (const f of fields(buf)) if (f.number === 1) return { value: utf8(f.bytes) };
      return { value: '0' };
    case 'k8s.io.apimachinery.pkg.runtime.RawExtension':
      for (const f of fields(buf))
        if (f.number === 1) {
          try {
            return { value: JSON.parse(utf8(f.bytes)) };
          } catch {
            return { value: undefined };
          }
        }
      return { value: undefined };
    case `${META}.Duration`:
      for (const f of fields(buf)) if (f.number === 1) return { value: `${f.num! / 1e9}s` };
      return { value: '0s' };
    case `${META}.FieldsV1`:
      for (const f of fields(buf)) if (f.number === 1) return { value: JSON.parse(utf8(f.bytes)) };
      return { value: {} };
  }
  void all;
  return undefined;
}

export function decodeMessage(typeName: string, buf: Uint8Array, all = kubeDescriptors()): unknown {
  const special = decodeSpecial(typeName, buf, all);
  if (special) return special.value;
  const desc = all.get(typeName);
  if (!desc) throw unsupported(`no protobuf schema for ${typeName}`);
  const out: Record<string, unknown> = {};
  const zeroKept = (name: string) => ZERO_MEANS_SET.has(`${typeName}.${name}`);
  for (const f of fields(buf)) {
    const fd = desc.fields.get(f.number);
    if (!fd) continue;
    let value: unknown;
    if (fd.type === 11 && fd.typeName) {
      const sub = all.get(fd.typeName);
      if (sub?.mapEntry) {
        const entry = decodeMapEntry(sub, f.bytes!, all);
        const m = (out[fd.name] ??= {}) as Record<string, unknown>;
        m[entry.key] = entry.value;
        continue;
      }
      value = decodeMessage(fd.typeName, f.bytes!, all);
      if (!fd.repeated && isInline(typeName, fd.name) && value && typeof value === 'object') {
        Object.assign(out, value);
        continue;
      }
      // a message present on the wire is set, even empty (emptyDir: {}); a zero Time decodes to undefined
      if (value === undefined) continue;
    } else if (fd.repeated && f.wireType === 2 && fd.type !== 9 && fd.type !== 12) {
      // packed repeated varints
      const arr = (out[fd.name] ??= []) as unknown[];
      for (let pos = 0; pos < f.bytes!.length; ) {
        let n: number;
        [n, pos] = readVarint(f.bytes!, pos);
        arr.push(scalar(fd.type, { num: n }));
      }
      continue;
    } else {
      value = scalar(fd.type, f);
      if (!fd.repeated && isZero(value) && !zeroKept(fd.name)) continue;
    }
    if (fd.repeated) ((out[fd.name] ??= []) as unknown[]).push(value);
    else out[fd.name] = value;
  }
  return out;
}

function decodeMapEntry(desc: MessageDesc, buf: Uint8Array, all: Map<string, MessageDesc>): { key: string; value: unknown } {
  let key = '';
  let value: unknown = '';
  const vd = desc.fields.get(2);
  for (const f of fields(buf)) {
    if (f.number === 1) key = utf8(f.bytes);
    else if (f.number === 2 && vd) value = vd.type === 11 && vd.typeName ? decodeMessage(vd.typeName, f.bytes!, all) : scalar(vd.type, f);
  }
  return { key, value };
}

/** the proto package a Kubernetes apiVersion lives in: apps/v1 -> k8s.io.api.apps.v1 */
function packageFor(apiVersion: string): string[] {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === 'meta.k8s.io' || (group === '' && version === 'v1' && false)) return [`${META}`];
  return [`k8s.io.api.${group ? group.split('.')[0] : 'core'}.${version}`, META];
}

export function isProtobuf(buf: Buffer): boolean {
  return buf.length >= 4 && buf.subarray(0, 4).equals(MAGIC);
}

/** decode a protobuf request body into { apiVersion, kind, ...fields } */
export function decodeKubeProtobuf(body: Buffer): Record<string, unknown> {
  if (!isProtobuf(body)) throw unsupported('the body does not start with the k8s protobuf magic');
  let apiVersion = '';
  let kind = '';
  let raw: Uint8Array = new Uint8Array();
  for (const f of fields(body.subarray(4))) {
    if (f.number === 1)
      for (const t of fields(f.bytes!)) {
        if (t.number === 1) apiVersion = utf8(t.bytes);
        if (t.number === 2) kind = utf8(t.bytes);
      }
    else if (f.number === 2) raw = f.bytes!;
  }
  const all = kubeDescriptors();
  if (all.size === 0) throw unsupported('no kubectl binary found to read protobuf schemas from; send JSON');
  const typeName = packageFor(apiVersion).map((p) => `${p}.${kind}`).find((n) => all.has(n));
  if (!typeName) throw unsupported(`no protobuf schema for ${apiVersion} ${kind}`);
  const obj = decodeMessage(typeName, raw, all) as Record<string, unknown>;
  return { apiVersion, kind, ...obj };
}
