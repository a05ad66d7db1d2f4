// Storage as the 1.32 apiserver stores it: core/v1 PersistentVolumes and PersistentVolumeClaims
// (pkg/registry/core/persistentvolume{,claim}/strategy.go: status.phase Pending on create;
// pkg/apis/core/v1/defaults.go: reclaim policy Retain, volumeMode Filesystem), storage.k8s.io/v1
// StorageClasses (reclaimPolicy Delete, volumeBindingMode Immediate), CSIDrivers, CSINodes and
// VolumeAttachments; the common validation of pkg/apis/core/validation and
// pkg/apis/storage/validation, worded as the apiserver words it.
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { CSIDriver, StorageClass, VolumeAttachment } from 'kubernetes-types/storage/v1.js';
import type { KubeObject } from '../contracts.ts';
import { fieldErr, type FieldError } from '../errors.ts';
import { defineResource } from './define.ts';
import { statusSub, type ResourceDef } from './types.ts';
import { isObject, validateObjectMeta } from './validation.ts';

export const STORAGE_CLASSES = 'storageclasses.storage.k8s.io';

/** storageclass.kubernetes.io/is-default-class (or the beta annotation) is "true" */
export function isDefaultStorageClass(obj: KubeObject): boolean {
  const a = obj.metadata.annotations ?? {};
  return a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
}

export const PV_PROTECTION = 'kubernetes.io/pv-protection';
export const PVC_PROTECTION = 'kubernetes.io/pvc-protection';

/** the StorageObjectInUseProtection admission plugin: a PV or PVC is created with its protection finalizer */
function protect(obj: KubeObject, finalizer: string): void {
  const f = obj.metadata.finalizers ?? [];
  if (!f.includes(finalizer)) obj.metadata.finalizers = [...f, finalizer];
}

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function validateAccessModes(modes: unknown, path: string, requiredDetail?: string): FieldError[] {
  if (!Array.isArray(modes) || modes.length === 0) return [fieldErr.required(path, requiredDetail)];
  const out: FieldError[] = [];
  for (const m of modes) if (!ACCESS_MODES.includes(m as string)) out.push(fieldErr.notSupported(path, m, ACCESS_MODES));
  if (modes.includes('ReadWriteOncePod') && modes.length > 1)
    out.push(fieldErr.forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return out;
}

/** the volume sources a PersistentVolume may name (one of them must be set) */
const PV_SOURCES = [
  'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'csi', 'fc', 'flexVolume', 'flocker', 'gcePersistentDisk',
  'glusterfs', 'hostPath', 'iscsi', 'local', 'nfs', 'photonPersistentDisk', 'portworxVolume', 'quobyte', 'rbd', 'scaleIO',
  'storageos', 'vsphereVolume',
];

export const persistentvolumes = defineResource<PersistentVolume>({
  group: '', version: 'v1', resource: 'persistentvolumes', kind: 'PersistentVolume', singular: 'persistentvolume', namespaced: false,
  shortNames: ['pv'],
  statusSubresource: true,
  subresources: [statusSub('PersistentVolume')],
  prepareForCreate(obj, ctx) {
    obj.spec ??= {};
    obj.spec.persistentVolumeReclaimPolicy ??= 'Retain';
    obj.spec.volumeMode ??= 'Filesystem';
    // PersistentVolumeLastPhaseTransitionTime (GA in 1.31): the strategy stamps the first phase
    obj.status = { phase: 'Pending', lastPhaseTransitionTime: ctx.now.toISOString().replace(/\.\d+Z$/, 'Z') };
    protect(obj, PV_PROTECTION);
  },
  prepareForUpdate(obj, old) {
    obj.spec ??= {};
    obj.spec.persistentVolumeReclaimPolicy ??= old.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
    obj.spec.volumeMode ??= old.spec?.volumeMode ?? 'Filesystem';
  },
  validate(obj) {
    const out = validateObjectMeta(obj, 'subdomain');
    const s = obj.spec;
    if (!isObject(s)) return [...out, fieldErr.required('spec')];
    out.push(...validateAccessModes(s.accessModes, 'spec.accessModes'));
    const cap = s.capacity;
    if (!isObject(cap) || Object.keys(cap).length === 0) out.push(fieldErr.required('spec.capacity'));
    else if (cap.storage === undefined || Object.keys(cap).length > 1) out.push(fieldErr.notSupported('spec.capacity', cap, ['storage']));
    const sources = PV_SOURCES.filter((k) => s[k as keyof typeof s] !== undefined);
    if (sources.length === 0) out.push(fieldErr.required('spec', 'must specify a volume type'));
    else if (sources.length > 1) out.push(fieldErr.forbidden(`spec.${sources[1]}`, 'may not specify more than 1 volume type'));
    const policies = ['Delete', 'Recycle', 'Retain'];
    if (s.persistentVolumeReclaimPolicy && !policies.includes(s.persistentVolumeReclaimPolicy))
      out.push(fieldErr.notSupported('spec.persistentVolumeReclaimPolicy', s.persistentVolumeReclaimPolicy, policies));
    if (isObject(s.hostPath) && !s.hostPath.path) out.push(fieldErr.required('spec.hostPath.path'));
    return out;
  },
  validateUpdate(obj, old) {
    const out: FieldError[] = [];
    const src = (pv: PersistentVolume) => PV_SOURCES.map((k) => pv.spec?.[k as keyof typeof pv.spec]);
    if (!same(src(obj), src(old))) out.push(fieldErr.forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
    if (!same(obj.spec?.volumeMode, old.spec?.volumeMode)) out.push(fieldErr.immutable('spec.volumeMode', obj.spec?.volumeMode));
    return out;
  },
});

export const persistentvolumeclaims = defineResource<PersistentVolumeClaim>({
  group: '', version: 'v1', resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', singular: 'persistentvolumeclaim', namespaced: true,
  shortNames: ['pvc'],
  statusSubresource: true,
  subresources: [statusSub('PersistentVolumeClaim')],
  prepareForCreate(obj, ctx) {
    obj.spec ??= {};
    obj.spec.volumeMode ??= 'Filesystem';
    // the DefaultStorageClass admission plugin: no storageClassName (not even "") gets the default class, the newest if several
    if (obj.spec.storageClassName === undefined || obj.spec.storageClassName === null) {
      const defaults = ctx.list(STORAGE_CLASSES).filter(isDefaultStorageClass)
        .sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)));
      if (defaults[0]) obj.spec.storageClassName = defaults[0].metadata.name;
    }
    obj.status = { phase: 'Pending' };
    protect(obj, PVC_PROTECTION);
  },
  prepareForUpdate(obj, old) {
    obj.spec ??= {};
    obj.spec.volumeMode ??= old.spec?.volumeMode ?? 'Filesystem';
  },
  validate(obj) {
    const out = validateObjectMeta(obj, 'subdomain');
    const s = obj.spec;
    if (!isObject(s)) return [...out, fieldErr.required('spec')];
    out.push(...validateAccessModes(s.accessModes, 'spec.accessModes', 'at least 1 access mode is required'));
    const storage = s.resources?.requests?.storage;
    if (storage === undefined) out.push(fieldErr.required('spec.resources[storage]'));
    else if (/^0+(\.0*)?[a-zA-Z]*$/.test(String(storage)))
      out.push(fieldErr.invalid('spec.resources[storage]', storage, 'must be greater than zero'));
    return out;
  },
  validateUpdate(obj, old) {
    // everything in spec but resources.requests is frozen once the claim is bound (volumeName set once by the binder)
    const frozen = (c: PersistentVolumeClaim) => {
      const s = { ...c.spec, resources: { ...c.spec?.resources, requests: undefined } };
      if (!old.spec?.volumeName) delete s.volumeName;
      return s;
    };
    if (!same(frozen(obj), frozen(old)))
      return [fieldErr.forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims')];
    return [];
  },
});

export const storageclasses = defineResource<StorageClass>({
  group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses', kind: 'StorageClass', singular: 'storageclass', namespaced: false,
  shortNames: ['sc'],
  prepareForCreate(obj) {
    obj.reclaimPolicy ??= 'Delete';
    obj.volumeBindingMode ??= 'Immediate';
  },
  prepareForUpdate(obj, old) {
    obj.reclaimPolicy ??= old.reclaimPolicy ?? 'Delete';
    obj.volumeBindingMode ??= old.volumeBindingMode ?? 'Immediate';
  },
  validate(obj) {
    const out = validateObjectMeta(obj, 'subdomain');
    if (!obj.provisioner) out.push(fieldErr.required('provisioner'));
    const policies = ['Delete', 'Retain'];
    if (obj.reclaimPolicy && !policies.includes(obj.reclaimPolicy)) out.push(fieldErr.notSupported('reclaimPolicy', obj.reclaimPolicy, policies));
    const modes = ['Immediate', 'WaitForFirstConsumer'];
    if (obj.volumeBindingMode && !modes.includes(obj.volumeBindingMode)) out.push(fieldErr.notSupported('volumeBindingMode', obj.volumeBindingMode, modes));
    return out;
  },
  validateUpdate(obj, old) {
    const out: FieldError[] = [];
    if (!same(obj.parameters, old.parameters)) out.push(fieldErr.forbidden('parameters', 'updates to parameters are forbidden.'));
    if (obj.provisioner !== old.provisioner) out.push(fieldErr.forbidden('provisioner', 'updates to provisioner are forbidden.'));
    if (obj.reclaimPolicy !== old.reclaimPolicy) out.push(fieldErr.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
    if (obj.volumeBindingMode !== old.volumeBindingMode) out.push(fieldErr.forbidden('volumeBindingMode', 'field is immutable'));
    return out;
  },
});

export const csidrivers = defineResource<CSIDriver>({
  group: 'storage.k8s.io', version: 'v1', resource: 'csidrivers', kind: 'CSIDriver', singular: 'csidriver', namespaced: false,
  prepareForCreate(obj) {
    obj.spec ??= {};
    obj.spec.attachRequired ??= true;
    obj.spec.podInfoOnMount ??= false;
    obj.spec.storageCapacity ??= false;
    obj.spec.fsGroupPolicy ??= 'ReadWriteOnceWithFSType';
    obj.spec.requiresRepublish ??= false;
    obj.spec.seLinuxMount ??= false;
    obj.spec.volumeLifecycleModes ??= ['Persistent'];
  },
  validate: (obj) => validateObjectMeta(obj, 'subdomain'),
});

export const csinodes: ResourceDef = {
  group: 'storage.k8s.io', version: 'v1', resource: 'csinodes', kind: 'CSINode', singular: 'csinode', namespaced: false,
  validate(obj) {
    const out = validateObjectMeta(obj, 'subdomain');
    if (!isObject(obj.spec) || !Array.isArray(obj.spec.drivers)) out.push(fieldErr.required('spec.drivers'));
    return out;
  },
};

export const volumeattachments = defineResource<VolumeAttachment>({
  group: 'storage.k8s.io', version: 'v1', resource: 'volumeattachments', kind: 'VolumeAttachment', singular: 'volumeattachment', namespaced: false,
  statusSubresource: true,
  subresources: [statusSub('VolumeAttachment')],
  validate(obj) {
    const out = validateObjectMeta(obj, 'subdomain');
    if (!obj.spec?.attacher) out.push(fieldErr.required('spec.attacher'));
    if (!obj.spec?.nodeName) out.push(fieldErr.required('spec.nodeName'));
    const src = obj.spec?.source;
    if (!isObject(src) || (!src.persistentVolumeName && !src.inlineVolumeSpec))
      out.push(fieldErr.required('spec.source', 'must specify exactly one of inlineVolumeSpec and persistentVolumeName'));
    return out;
  },
  validateUpdate(obj, old) {
    return same(obj.spec, old.spec) ? [] : [fieldErr.invalid('spec', obj.spec, 'field is immutable')];
  },
});
