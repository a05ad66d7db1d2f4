// kube-controller-manager's PersistentVolume binder, with the two dynamic provisioners the lab's
// profiles ship (kind's rancher.io/local-path, minikube's k8s.io/minikube-hostpath), cheap but
// with the real names and messages:
// - a claim binds to an Available PV that fits (class, size, access modes), else its class's
//   provisioner makes `pvc-<claim uid>` (a hostPath on the node) and both turn Bound;
// - a WaitForFirstConsumer class waits, with the event `WaitForFirstConsumer` "waiting for first
//   consumer to be created before binding", until a pod that uses the claim is on a node;
// - a provisioner the lab does not run (kops's kubernetes.io/aws-ebs, migrated to ebs.csi.aws.com)
//   leaves the claim Pending with `ExternalProvisioning`, as on a cluster without that driver;
// - a claim's deletion releases its PV (reclaim Delete: the PV goes; Retain: Released);
// - the pvc-protection and pv-protection controllers: a claim being deleted keeps its
//   kubernetes.io/pvc-protection finalizer (and shows Terminating) while a pod that is not
//   finished uses it; a PV being deleted keeps kubernetes.io/pv-protection while it is Bound.
import type { ClusterStore, KubeObject } from '../contracts.ts';
import type { EventRecorder } from './events.ts';
import { nowIso } from './pod-status.ts';
import { nsKey, splitKey, WorkQueue } from './queue.ts';
import { queueController, type Controller } from './types.ts';

const PVC = 'persistentvolumeclaims';
const PV = 'persistentvolumes';
const SC = 'storageclasses.storage.k8s.io';
const BINDER = { component: 'persistentvolume-controller' };
const PV_PROTECTION = 'kubernetes.io/pv-protection';
const PVC_PROTECTION = 'kubernetes.io/pvc-protection';

/** the provisioners the lab runs, and where each puts a volume */
const PROVISIONERS: Record<string, { hostPath: (pvName: string, claim: KubeObject) => Record<string, unknown>; nodeAffinity: boolean }> = {
  'rancher.io/local-path': {
    hostPath: (pv, c) => ({ path: `/var/local-path-provisioner/${pv}_${c.metadata.namespace}_${c.metadata.name}`, type: 'DirectoryOrCreate' }),
    nodeAffinity: true,
  },
  'k8s.io/minikube-hostpath': {
    hostPath: (_pv, c) => ({ path: `/tmp/hostpath-provisioner/${c.metadata.namespace}/${c.metadata.name}`, type: '' }),
    nodeAffinity: false,
  },
};

/** CSI migration: the in-tree names the 1.32 controller hands to a CSI driver */
const MIGRATED: Record<string, string> = {
  'kubernetes.io/aws-ebs': 'ebs.csi.aws.com',
  'kubernetes.io/gce-pd': 'pd.csi.storage.gke.io',
  'kubernetes.io/azure-disk': 'disk.csi.azure.com',
  'kubernetes.io/cinder': 'cinder.csi.openstack.org',
};

type Claim = KubeObject & {
  spec?: {
    storageClassName?: string; volumeName?: string; accessModes?: string[]; volumeMode?: string;
    resources?: { requests?: { storage?: string } };
  };
  status?: { phase?: string };
};
type Volume = KubeObject & {
  spec?: {
    storageClassName?: string; accessModes?: string[]; capacity?: { storage?: string };
    claimRef?: { namespace?: string; name?: string; uid?: string }; persistentVolumeReclaimPolicy?: string;
  };
  status?: { phase?: string; lastPhaseTransitionTime?: string };
};
type Class = KubeObject & { provisioner?: string; reclaimPolicy?: string; volumeBindingMode?: string };

const UNITS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };
/** a storage quantity in bytes ("1Gi", "500M"); NaN when unreadable */
export function quantityBytes(q: unknown): number {
  const m = /^(\d+(?:\.\d+)?)([a-zA-Z]*)$/.exec(String(q ?? ''));
  return m && UNITS[m[2]!] !== undefined ? Number(m[1]) * UNITS[m[2]!]! : NaN;
}

export function startPersistentVolumeController(store: ClusterStore, events: EventRecorder): Controller {
  const queue = new WorkQueue({ name: 'persistentvolume-binder', reconcile });
  const claimsIn = (namespace?: string) => store.list(PVC, { namespace }).items;
  const enqueueClaim = (c: KubeObject) => queue.add(nsKey(c.metadata.namespace, c.metadata.name));
  const unwatch = [
    store.watch(PVC, {}, (e) => {
      if (e.type === 'DELETED') queue.add(`released/${e.object.metadata.uid}`);
      else enqueueClaim(e.object);
    }),
    store.watch(PV, {}, (e) => {
      if (e.type !== 'DELETED') queue.add(`pv/${e.object.metadata.name}`);
      for (const c of claimsIn()) if ((c as Claim).status?.phase !== 'Bound') enqueueClaim(c);
    }),
    // a consumer appearing (or getting its node) is what a WaitForFirstConsumer claim waits for;
    // one finishing or going is what a claim being deleted waits for
    store.watch('pods', {}, (e) => {
      for (const name of claimNames(e.object)) queue.add(nsKey(e.object.metadata.namespace, name));
    }),
    store.watch(SC, {}, () => { for (const c of claimsIn()) if ((c as Claim).status?.phase !== 'Bound') enqueueClaim(c); }),
  ];
  for (const c of claimsIn()) enqueueClaim(c);
  for (const v of store.list(PV).items) queue.add(`pv/${v.metadata.name}`);

  function reconcile(key: string): void {
    if (key.startsWith('pv/')) return reconcileVolume(key.slice(3));
    if (key.startsWith('released/')) return releaseVolumesOf(key.slice(9));
    const { namespace, name } = splitKey(key);
    const claim = store.get(PVC, namespace, name) as Claim | undefined;
    if (!claim) return;
    if (claim.metadata.deletionTimestamp) return unprotectClaim(claim);
    if (claim.status?.phase === 'Bound') return;
    const className = claim.spec?.storageClassName ?? '';
    if (claim.spec?.volumeName) {
      const pv = store.get(PV, undefined, claim.spec.volumeName) as Volume | undefined;
      if (pv) bind(claim, pv);
      return;
    }
    const fit = store.list(PV).items.map((v) => v as Volume).find((v) => fits(v, claim, className));
    if (fit) return bind(claim, fit);
    if (!className) return;
    const sc = store.get(SC, undefined, className) as Class | undefined;
    if (!sc) {
      events.record(BINDER, claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
      return;
    }
    let node: string | undefined;
    if (sc.volumeBindingMode === 'WaitForFirstConsumer') {
      node = consumerNode(claim);
      if (!node) {
        events.record(BINDER, claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
        return;
      }
    }
    const provisioner = sc.provisioner ?? '';
    const own = PROVISIONERS[provisioner];
    if (!own) {
      const driver = MIGRATED[provisioner] ?? provisioner;
      events.record(BINDER, claim, 'Normal', 'ExternalProvisioning',
        `Waiting for a volume to be created either by the external provisioner '${driver}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`);
      return;
    }
    provision(claim, sc, own, node);
  }

  /** the node of a pod that uses the claim (the scheduler's selected node) */
  function consumerNode(claim: Claim): string | undefined {
    const pods = store.list('pods', { namespace: claim.metadata.namespace }).items;
    const users = pods.filter((p) => !p.metadata.deletionTimestamp && claimNames(p).includes(claim.metadata.name!));
    return users.map((p) => (p.spec as { nodeName?: string } | undefined)?.nodeName).find(Boolean);
  }

  function provision(claim: Claim, sc: Class, how: (typeof PROVISIONERS)[string], node: string | undefined): void {
    const source = { component: sc.provisioner! };
    const pvName = `pvc-${claim.metadata.uid}`;
    const claimKey = `${claim.metadata.namespace}/${claim.metadata.name}`;
    events.record(source, claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${claimKey}"`);
    let pv = store.get(PV, undefined, pvName) as Volume | undefined;
    if (!pv) {
      pv = store.create(PV, {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: {
          name: pvName,
          annotations: { 'pv.kubernetes.io/provisioned-by': sc.provisioner!, ...(node && how.nodeAffinity ? { 'local.path.provisioner/selected-node': node } : {}) },
        },
        spec: {
          accessModes: claim.spec?.accessModes ?? ['ReadWriteOnce'],
          capacity: { storage: claim.spec?.resources?.requests?.storage ?? '0' },
          claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, resourceVersion: claim.metadata.resourceVersion },
          hostPath: how.hostPath(pvName, claim),
          ...(node && how.nodeAffinity
            ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } } }
            : {}),
          persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
          storageClassName: sc.metadata.name,
          volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
        },
      }, { fieldManager: sc.provisioner! }) as Volume;
    }
    events.record(source, claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`);
    bind(claim, pv, sc.provisioner, node);
  }

  function bind(claim: Claim, pv: Volume, provisioner?: string, node?: string): void {
    store.mutate(PV, undefined, pv.metadata.name!, (v) => {
      const spec = ((v as Volume).spec ??= {});
      spec.claimRef ??= { namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid };
      v.metadata.annotations = { ...v.metadata.annotations, 'pv.kubernetes.io/bound-by-controller': 'yes' };
      return v;
    }, { fieldManager: 'kube-controller-manager' });
    store.mutate(PV, undefined, pv.metadata.name!, (v) => {
      (v as Volume).status = { phase: 'Bound', lastPhaseTransitionTime: nowIso() };
      return v;
    }, { status: true, fieldManager: 'kube-controller-manager' });
    const bound = store.mutate(PVC, claim.metadata.namespace, claim.metadata.name!, (c) => {
      (c as Claim).spec!.volumeName = pv.metadata.name;
      c.metadata.annotations = {
        ...c.metadata.annotations,
        'pv.kubernetes.io/bind-completed': 'yes',
        'pv.kubernetes.io/bound-by-controller': 'yes',
        ...(provisioner ? { 'volume.beta.kubernetes.io/storage-provisioner': provisioner, 'volume.kubernetes.io/storage-provisioner': provisioner } : {}),
        // the scheduler's pick for a WaitForFirstConsumer claim
        ...(node ? { 'volume.kubernetes.io/selected-node': node } : {}),
      };
      return c;
    }, { fieldManager: 'kube-controller-manager' });
    if (!bound) return;
    store.mutate(PVC, claim.metadata.namespace, claim.metadata.name!, (c) => {
      c.status = { phase: 'Bound', accessModes: pv.spec?.accessModes ?? [], capacity: { storage: pv.spec?.capacity?.storage ?? '' } };
      return c;
    }, { status: true, fieldManager: 'kube-controller-manager' });
  }

  /** pvc-protection: the finalizer goes once no unfinished pod uses the claim */
  function unprotectClaim(claim: Claim): void {
    if (!(claim.metadata.finalizers ?? []).includes(PVC_PROTECTION)) return;
    const inUse = store.list('pods', { namespace: claim.metadata.namespace }).items
      .some((p) => claimNames(p).includes(claim.metadata.name!) && !['Succeeded', 'Failed'].includes(String((p.status as { phase?: string } | undefined)?.phase)));
    if (inUse) return;
    dropFinalizer(PVC, claim.metadata.namespace, claim.metadata.name!, PVC_PROTECTION);
  }

  function dropFinalizer(resource: string, namespace: string | undefined, name: string, finalizer: string): void {
    store.mutate(resource, namespace, name, (o) => {
      if (!(o.metadata.finalizers ?? []).includes(finalizer)) return undefined;
      o.metadata.finalizers = o.metadata.finalizers!.filter((f) => f !== finalizer);
      return o;
    }, { fieldManager: 'kube-controller-manager' });
  }

  /** a new static PV is Available; one whose claim is gone is Released (or deleted, reclaim Delete) */
  function reconcileVolume(name: string): void {
    const pv = store.get(PV, undefined, name) as Volume | undefined;
    if (!pv) return;
    if (pv.metadata.deletionTimestamp) {
      // pv-protection: a Bound volume stays until its claim lets it go
      if (pv.status?.phase !== 'Bound') dropFinalizer(PV, undefined, name, PV_PROTECTION);
      return;
    }
    const ref = pv.spec?.claimRef;
    if (!ref?.name) {
      if (pv.status?.phase !== 'Available') setPhase(name, 'Available');
      return;
    }
    const claim = store.get(PVC, ref.namespace, ref.name);
    if (claim && (!ref.uid || claim.metadata.uid === ref.uid)) {
      if (pv.status?.phase === 'Pending' || pv.status?.phase === 'Available') enqueueClaim(claim);
      return;
    }
    if (pv.status?.phase === 'Bound' || pv.status?.phase === 'Released') release(pv);
  }

  function releaseVolumesOf(claimUid: string): void {
    for (const v of store.list(PV).items as Volume[]) if (v.spec?.claimRef?.uid === claimUid) release(v);
  }

  function release(pv: Volume): void {
    if (pv.spec?.persistentVolumeReclaimPolicy === 'Delete') {
      // Released, then deleted: pv-protection lets a volume that is no longer Bound go
      setPhase(pv.metadata.name!, 'Released');
      store.delete(PV, undefined, pv.metadata.name!);
      return;
    }
    if (pv.status?.phase !== 'Released') setPhase(pv.metadata.name!, 'Released');
  }

  function setPhase(name: string, phase: string): void {
    store.mutate(PV, undefined, name, (v) => {
      (v as Volume).status = { phase, lastPhaseTransitionTime: nowIso() };
      return v;
    }, { status: true, fieldManager: 'kube-controller-manager' });
  }

  return queueController('persistentvolume-binder', queue, unwatch);
}

/** the claims a pod's volumes name */
function claimNames(pod: KubeObject): string[] {
  const volumes = (pod.spec as { volumes?: Array<{ persistentVolumeClaim?: { claimName?: string } }> } | undefined)?.volumes ?? [];
  return volumes.map((v) => v.persistentVolumeClaim?.claimName).filter((n): n is string => Boolean(n));
}

/** an Available PV of the claim's class, big enough, offering every access mode the claim asks */
function fits(pv: Volume, claim: Claim, className: string): boolean {
  if (pv.metadata.deletionTimestamp || pv.status?.phase !== 'Available' || pv.spec?.claimRef?.name) return false;
  if ((pv.spec?.storageClassName ?? '') !== className) return false;
  if (!(claim.spec?.accessModes ?? []).every((m) => (pv.spec?.accessModes ?? []).includes(m))) return false;
  return quantityBytes(pv.spec?.capacity?.storage) >= quantityBytes(claim.spec?.resources?.requests?.storage);
}
