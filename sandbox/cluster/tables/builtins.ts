// The printers of the kinds served since the hres batch, as 1.32's printers.go defines their
// columns and cells: ReplicationController, PodTemplate, ComponentStatus, PersistentVolume(Claim),
// StorageClass, CSIDriver, CSINode, VolumeAttachment, NetworkPolicy, Ingress, IngressClass,
// PodDisruptionBudget, HorizontalPodAutoscaler, PriorityClass, RuntimeClass,
// CertificateSigningRequest, the webhook configurations, FlowSchema, PriorityLevelConfiguration.
import type { KubeObject } from '../contracts.ts';
import { age, humanDuration } from './age.ts';
import { builtinDoc as d } from './builtin-descriptions.ts';
import { ageColumn, col, nameColumn } from './columns.ts';
import { containerCells, formatLabels, formatLabelSelector } from './format.ts';
import type { KindPrinter } from './types.ts';

// the objects as the printers read them: loose on purpose (any served object may reach a printer)
type Loose = KubeObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> } & Record<string, unknown>;
type Dict = Record<string, unknown>;
const o = (obj: KubeObject) => obj as Loose;
const dict = (v: unknown): Dict => (typeof v === 'object' && v !== null ? (v as Dict) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const ageOf = (obj: KubeObject, now: Date) => age(obj.metadata.creationTimestamp, now);

const wideTemplate = (selectorDoc: string) => [
  col('Containers', 'string', 'Names of each container in the template.', 1),
  col('Images', 'string', 'Images referenced by each container in the template.', 1),
  col('Selector', 'string', selectorDoc, 1),
];

export const replicationControllerPrinter: KindPrinter = {
  columns: [nameColumn, col('Desired', 'integer', d.rcReplicas), col('Current', 'integer', d.rcStatusReplicas), col('Ready', 'integer', d.rcReady), ageColumn, ...wideTemplate(d.rcSelector)],
  cells(obj, now) {
    const rc = o(obj);
    const spec = dict(rc.spec);
    const [names, images] = containerCells(dict(dict(spec.template).spec).containers as Array<{ name?: string; image?: string }>);
    return [
      rc.metadata.name, Number(spec.replicas ?? 0), Number(rc.status?.replicas ?? 0), Number(rc.status?.readyReplicas ?? 0), ageOf(rc, now),
      names, images, formatLabels(spec.selector as Record<string, string>),
    ];
  },
};

export const podTemplatePrinter: KindPrinter = {
  columns: [nameColumn, col('Containers', 'string', 'Names of each container in the template.'), col('Images', 'string', 'Images referenced by each container in the template.'),
    col('Pod Labels', 'string', 'The labels for the pod template.')],
  cells(obj) {
    const t = dict(o(obj).template);
    const [names, images] = containerCells(dict(t.spec).containers as Array<{ name?: string; image?: string }>);
    return [obj.metadata.name, names, images, formatLabels(dict(t.metadata).labels as Record<string, string>)];
  },
};

export const componentStatusPrinter: KindPrinter = {
  columns: [nameColumn, col('Status', 'string', 'Status of the component conditions'), col('Message', 'string', 'Message of the component conditions'),
    col('Error', 'string', 'Error of the component conditions')],
  cells(obj) {
    let [status, message, error] = ['Unknown', '', ''];
    for (const c of arr(o(obj).conditions).map(dict)) {
      if (c.type !== 'Healthy') continue;
      status = c.status === 'True' ? 'Healthy' : 'Unhealthy';
      message = str(c.message);
      error = str(c.error);
      break;
    }
    return [obj.metadata.name, status, message, error];
  },
};

/** GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order */
export function accessModes(modes: unknown): string {
  const m = arr(modes);
  const out: string[] = [];
  for (const [mode, short] of [['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP']])
    if (m.includes(mode)) out.push(short!);
  return out.join(',');
}

const storageClassOf = (obj: Loose): string =>
  str(obj.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? obj.spec?.storageClassName);

export const persistentVolumePrinter: KindPrinter = {
  columns: [
    nameColumn, col('Capacity', 'string', d.pvCapacity), col('Access Modes', 'string', d.pvAccessModes), col('Reclaim Policy', 'string', d.pvReclaim),
    col('Status', 'string', d.pvPhase), col('Claim', 'string', d.pvClaimRef), col('StorageClass', 'string', 'StorageClass of the pv'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'), col('Reason', 'string', d.pvReason), ageColumn,
    col('VolumeMode', 'string', d.pvVolumeMode, 1),
  ],
  cells(obj, now) {
    const pv = o(obj);
    const s = dict(pv.spec);
    const ref = dict(s.claimRef);
    const claim = ref.name ? `${str(ref.namespace)}/${str(ref.name)}` : '';
    const phase = pv.metadata.deletionTimestamp ? 'Terminating' : str(pv.status?.phase);
    return [pv.metadata.name, str(dict(s.capacity).storage), accessModes(s.accessModes), str(s.persistentVolumeReclaimPolicy), phase, claim,
      storageClassOf(pv), str(s.volumeAttributesClassName) || '<unset>', str(pv.status?.reason), ageOf(pv, now), str(s.volumeMode) || '<unset>'];
  },
};

export const persistentVolumeClaimPrinter: KindPrinter = {
  columns: [
    nameColumn, col('Status', 'string', d.pvcPhase), col('Volume', 'string', d.pvcVolumeName), col('Capacity', 'string', d.pvcCapacity),
    col('Access Modes', 'string', d.pvcAccessModes), col('StorageClass', 'string', 'StorageClass of the pvc'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'), ageColumn, col('VolumeMode', 'string', d.pvcVolumeMode, 1),
  ],
  cells(obj, now) {
    const pvc = o(obj);
    const s = dict(pvc.spec);
    const phase = pvc.metadata.deletionTimestamp ? 'Terminating' : str(pvc.status?.phase);
    const bound = Boolean(s.volumeName);
    const capacity = bound ? str(dict(pvc.status?.capacity).storage) : '';
    const modes = bound ? accessModes(pvc.status?.accessModes) : '';
    return [pvc.metadata.name, phase, str(s.volumeName), capacity, modes, storageClassOf(pvc),
      str(s.volumeAttributesClassName) || '<unset>', ageOf(pvc, now), str(s.volumeMode) || '<unset>'];
  },
};

const isDefaultClass = (obj: KubeObject) => {
  const a = obj.metadata.annotations ?? {};
  return a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
};

export const storageClassPrinter: KindPrinter = {
  columns: [nameColumn, col('Provisioner', 'string', d.scProvisioner), col('ReclaimPolicy', 'string', d.scReclaim), col('VolumeBindingMode', 'string', d.scBinding),
    col('AllowVolumeExpansion', 'string', d.scExpansion), ageColumn],
  cells(obj, now) {
    const sc = o(obj);
    const name = isDefaultClass(sc) ? `${sc.metadata.name} (default)` : sc.metadata.name;
    return [name, str(sc.provisioner), str(sc.reclaimPolicy) || 'Delete', str(sc.volumeBindingMode) || 'Immediate', String(sc.allowVolumeExpansion === true), ageOf(sc, now)];
  },
};

export const csiDriverPrinter: KindPrinter = {
  columns: [nameColumn, col('AttachRequired', 'boolean', d.csiAttach), col('PodInfoOnMount', 'boolean', d.csiPodInfo), col('StorageCapacity', 'boolean', d.csiCapacity),
    col('TokenRequests', 'string', d.csiToken), col('RequiresRepublish', 'boolean', d.csiRepublish), col('Modes', 'string', d.csiModes), ageColumn],
  cells(obj, now) {
    const s = dict(o(obj).spec);
    const tokens = arr(s.tokenRequests).map((t) => str(dict(t).audience)).join(',') || '<unset>';
    const modes = arr(s.volumeLifecycleModes).map(str).join(',') || '<none>';
    return [
      obj.metadata.name, s.attachRequired === true, s.podInfoOnMount === true, s.storageCapacity === true,
      tokens, s.requiresRepublish === true, modes, ageOf(obj, now),
    ];
  },
};

export const csiNodePrinter: KindPrinter = {
  columns: [nameColumn, col('Drivers', 'integer', 'Drivers indicates the number of CSI drivers registered on the node'), ageColumn],
  cells: (obj, now) => [obj.metadata.name, arr(dict(o(obj).spec).drivers).length, ageOf(obj, now)],
};

export const volumeAttachmentPrinter: KindPrinter = {
  columns: [nameColumn, { ...col('Attacher', 'string', d.vaAttacher), format: 'name' }, col('PV', 'string', d.vaPV), col('Node', 'string', d.vaNode),
    col('Attached', 'boolean', d.vaAttached), ageColumn],
  cells(obj, now) {
    const s = dict(o(obj).spec);
    const pv = str(dict(s.source).persistentVolumeName);
    return [obj.metadata.name, str(s.attacher), pv, str(s.nodeName), o(obj).status?.attached === true, ageOf(obj, now)];
  },
};

export const networkPolicyPrinter: KindPrinter = {
  columns: [nameColumn, col('Pod-Selector', 'string', d.npPodSelector), ageColumn],
  cells: (obj, now) => {
    const selector = dict(o(obj).spec).podSelector as Parameters<typeof formatLabelSelector>[0];
    return [obj.metadata.name, formatLabelSelector(selector), ageOf(obj, now)];
  },
};

/** formatHosts: the rules' hosts, "*" when none has one, three at most then " + N more..." */
function ingressHosts(rules: unknown[]): string {
  const hosts = rules.map((r) => str(dict(r).host)).filter(Boolean);
  if (hosts.length === 0) return '*';
  return hosts.length > 3 ? `${hosts.slice(0, 3).join(',')} + ${hosts.length - 3} more...` : hosts.join(',');
}

export const ingressPrinter: KindPrinter = {
  columns: [
    nameColumn,
    col('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    col('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'string', 'Ports of TLS configurations that open'),
    ageColumn,
  ],
  cells(obj, now) {
    const ing = o(obj);
    const s = dict(ing.spec);
    const lb = arr(dict(ing.status?.loadBalancer).ingress).map((i) => str(dict(i).ip) || str(dict(i).hostname)).filter(Boolean);
    const ports = arr(s.tls).length > 0 ? '80, 443' : '80';
    return [ing.metadata.name, str(s.ingressClassName) || '<none>', ingressHosts(arr(s.rules)), lb.join(','), ports, ageOf(ing, now)];
  },
};

export const ingressClassPrinter: KindPrinter = {
  columns: [
    nameColumn,
    col('Controller', 'string', 'Controller that is responsible for handling this class'),
    col('Parameters', 'string', 'A reference to a resource with additional parameters'),
    ageColumn,
  ],
  cells(obj, now) {
    const s = dict(o(obj).spec);
    const p = s.parameters ? dict(s.parameters) : undefined;
    const params = !p ? '<none>' : `${str(p.kind)}${p.apiGroup ? `.${str(p.apiGroup)}` : ''}/${str(p.name)}`;
    return [obj.metadata.name, str(s.controller), params, ageOf(obj, now)];
  },
};

export const podDisruptionBudgetPrinter: KindPrinter = {
  columns: [
    nameColumn,
    col('Min Available', 'string', 'The minimum number of pods that must be available.'),
    col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    col('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageColumn,
  ],
  cells(obj, now) {
    const pdb = o(obj);
    const s = dict(pdb.spec);
    return [pdb.metadata.name, s.minAvailable === undefined ? 'N/A' : str(s.minAvailable), s.maxUnavailable === undefined ? 'N/A' : str(s.maxUnavailable),
      Number(pdb.status?.disruptionsAllowed ?? 0), ageOf(pdb, now)];
  },
};

/** formatHPAMetrics (1.32): "cpu: <unknown>/80%", the first four then " + N more..." */
export function hpaTargets(metrics: unknown[], statuses: unknown[]): string {
  const list: string[] = [];
  metrics.forEach((m, i) => {
    const spec = dict(m);
    const st = dict(statuses[i]);
    const pair = (source: string): [Dict, Dict] => [dict(spec[source]), dict(st[source])];
    switch (spec.type) {
      case 'Resource':
      case 'ContainerResource': {
        const [r, cur] = pair(spec.type === 'Resource' ? 'resource' : 'containerResource');
        const target = dict(r.target);
        const current = dict(cur.current);
        if (target.averageValue !== undefined) list.push(`${str(r.name)}: ${current.averageValue !== undefined ? str(current.averageValue) : '<unknown>'}/${str(target.averageValue)}`);
        else {
          const now = current.averageUtilization !== undefined ? `${str(current.averageUtilization)}%` : '<unknown>';
          const want = target.averageUtilization !== undefined ? `${str(target.averageUtilization)}%` : '<auto>';
          list.push(`${str(r.name)}: ${now}/${want}`);
        }
        break;
      }
      case 'Pods': {
        const [p, cur] = pair('pods');
        list.push(`${cur.current ? str(dict(cur.current).averageValue) : '<unknown>'}/${str(dict(p.target).averageValue)}`);
        break;
      }
      case 'Object':
      case 'External': {
        const [x, cur] = pair(spec.type === 'Object' ? 'object' : 'external');
        const target = dict(x.target);
        const current = dict(cur.current);
        if (target.averageValue !== undefined) list.push(`${cur.current ? str(current.averageValue) : '<unknown>'}/${str(target.averageValue)} (avg)`);
        else list.push(`${cur.current ? str(current.value) : '<unknown>'}/${str(target.value)}`);
        break;
      }
      default:
        list.push('<unknown type>');
    }
  });
  if (list.length === 0) return '<none>';
  return list.length > 4 ? `${list.slice(0, 4).join(', ')} + ${list.length - 4} more...` : list.join(', ');
}

export const horizontalPodAutoscalerPrinter: KindPrinter = {
  columns: [nameColumn, col('Reference', 'string', d.hpaRef), col('Targets', 'string', d.hpaMetrics), col('MinPods', 'string', d.hpaMin),
    col('MaxPods', 'string', d.hpaMax), col('Replicas', 'string', d.hpaCurrent), ageColumn],
  cells(obj, now) {
    const h = o(obj);
    const s = dict(h.spec);
    const ref = dict(s.scaleTargetRef);
    const min = s.minReplicas === undefined ? '<unset>' : str(s.minReplicas);
    return [h.metadata.name, `${str(ref.kind)}/${str(ref.name)}`, hpaTargets(arr(s.metrics), arr(h.status?.currentMetrics)), min,
      Number(s.maxReplicas ?? 0), Number(h.status?.currentReplicas ?? 0), ageOf(h, now)];
  },
};

export const priorityClassPrinter: KindPrinter = {
  columns: [nameColumn, col('Value', 'integer', d.pcValue), col('Global-Default', 'boolean', d.pcGlobal), ageColumn, col('PreemptionPolicy', 'string', d.pcPreemption)],
  cells(obj, now) {
    const pc = o(obj);
    return [pc.metadata.name, Number(pc.value ?? 0), pc.globalDefault === true, ageOf(pc, now), str(pc.preemptionPolicy)];
  },
};

export const runtimeClassPrinter: KindPrinter = {
  columns: [nameColumn, col('Handler', 'string', ''), ageColumn],
  cells: (obj, now) => [obj.metadata.name, str(o(obj).handler), ageOf(obj, now)],
};

export const certificateSigningRequestPrinter: KindPrinter = {
  columns: [nameColumn, ageColumn, col('SignerName', 'string', d.csrSigner), col('Requestor', 'string', d.csrRequest),
    col('RequestedDuration', 'string', d.csrExpiration), col('Condition', 'string', d.csrConditions)],
  cells(obj, now) {
    const c = o(obj);
    const s = dict(c.spec);
    const conds = arr(c.status?.conditions).map(dict);
    const has = (t: string) => conds.some((x) => x.type === t);
    // extractCSRStatus: Denied over Approved over Pending, then ",Failed", then ",Issued"
    let status = has('Denied') ? 'Denied' : has('Approved') ? 'Approved' : 'Pending';
    if (has('Failed')) status += ',Failed';
    if (c.status?.certificate) status += ',Issued';
    const duration = typeof s.expirationSeconds === 'number' ? humanDuration(s.expirationSeconds * 1000) : '<none>';
    return [c.metadata.name, ageOf(c, now), str(s.signerName) || '<none>', str(s.username), duration, status];
  },
};

export const webhookConfigurationPrinter: KindPrinter = {
  columns: [nameColumn, col('Webhooks', 'integer', 'Webhooks indicates the number of webhooks registered in this configuration'), ageColumn],
  cells: (obj, now) => [obj.metadata.name, arr(o(obj).webhooks).length, ageOf(obj, now)],
};

export const flowSchemaPrinter: KindPrinter = {
  columns: [nameColumn, col('PriorityLevel', 'string', d.fsPL), col('MatchingPrecedence', 'string', d.fsPrecedence),
    col('DistinguisherMethod', 'string', d.fsDistinguisher), ageColumn, col('MissingPL', 'string', 'references a broken or non-existent PriorityLevelConfiguration')],
  cells(obj, now) {
    const f = o(obj);
    const s = dict(f.spec);
    const dm = s.distinguisherMethod ? str(dict(s.distinguisherMethod).type) : '<none>';
    const dangling = arr(f.status?.conditions).map(dict).find((c) => c.type === 'Dangling');
    return [f.metadata.name, str(dict(s.priorityLevelConfiguration).name), str(s.matchingPrecedence), dm, ageOf(f, now), dangling ? str(dangling.status) : '?'];
  },
};

export const priorityLevelConfigurationPrinter: KindPrinter = {
  columns: [nameColumn, col('Type', 'string', d.plType), col('NominalConcurrencyShares', 'string', d.plShares), col('Queues', 'string', d.plQueues),
    col('HandSize', 'string', d.plHand), col('QueueLengthLimit', 'string', d.plQLen), ageColumn],
  cells(obj, now) {
    const s = dict(o(obj).spec);
    const limited = s.limited ? dict(s.limited) : undefined;
    const queuing = limited ? dict(dict(limited.limitResponse).queuing) : {};
    const q = (k: string) => (queuing[k] === undefined ? '<none>' : str(queuing[k]));
    return [obj.metadata.name, str(s.type), limited ? str(limited.nominalConcurrencyShares ?? 0) : '<none>', q('queues'), q('handSize'), q('queueLengthLimit'), ageOf(obj, now)];
  },
};

export const controllerRevisionPrinter: KindPrinter = {
  columns: [nameColumn, col('Controller', 'string', 'Controller of the object'), col('Revision', 'string', d.crRevision), ageColumn],
  cells(obj, now) {
    const owner = (obj.metadata.ownerReferences ?? []).find((r) => r.controller);
    const controller = owner ? `${owner.kind.toLowerCase()}.${owner.apiVersion.includes('/') ? owner.apiVersion.split('/')[0] : ''}/${owner.name}`.replace('./', '/') : '<none>';
    return [obj.metadata.name, controller, Number(o(obj).revision ?? 0), ageOf(obj, now)];
  },
};

export const csiStorageCapacityPrinter: KindPrinter = {
  columns: [nameColumn, col('StorageClassName', 'string', d.cscClass), col('Capacity', 'string', d.cscCapacity)],
  cells: (obj) => [obj.metadata.name, str(o(obj).storageClassName), str(o(obj).capacity)],
};

export const validatingAdmissionPolicyPrinter: KindPrinter = {
  columns: [nameColumn, col('Validations', 'integer', 'Validations indicates the number of validation rules defined in this configuration'),
    col('ParamKind', 'string', 'ParamKind specifies the kind of resources used to parameterize this policy'), ageColumn],
  cells(obj, now) {
    const s = dict(o(obj).spec);
    const pk = s.paramKind ? dict(s.paramKind) : undefined;
    return [obj.metadata.name, arr(s.validations).length, pk ? `${str(pk.apiVersion)}/${str(pk.kind)}` : '<unset>', ageOf(obj, now)];
  },
};

export const validatingAdmissionPolicyBindingPrinter: KindPrinter = {
  columns: [nameColumn, col('PolicyName', 'string', 'PolicyName indicates the policy definition which the policy binding binded to'),
    col('ParamRef', 'string', 'ParamRef indicates the param resource which sets the configration param'), ageColumn],
  cells(obj, now) {
    const s = dict(o(obj).spec);
    const ref = s.paramRef ? dict(s.paramRef) : undefined;
    const paramRef = !ref ? '<unset>' : ref.namespace ? `${str(ref.namespace)}/${str(ref.name) || '*'}` : str(ref.name) || '*';
    return [obj.metadata.name, str(s.policyName), paramRef, ageOf(obj, now)];
  },
};

/** kube-aggregator's table convertor: NAME SERVICE AVAILABLE AGE */
export const apiServicePrinter: KindPrinter = {
  columns: [nameColumn, col('Service', 'string', 'The reference to the service that hosts this API endpoint.'),
    col('Available', 'string', 'Whether this service is available.'), ageColumn],
  cells(obj, now) {
    const svc = dict(o(obj).spec).service ? dict(dict(o(obj).spec).service) : undefined;
    const cond = arr(o(obj).status?.conditions).map(dict).find((c) => c.type === 'Available');
    const available = !cond ? 'Unknown' : cond.status === 'True' ? 'True' : `${str(cond.status)} (${str(cond.reason)})`;
    return [obj.metadata.name, svc ? `${str(svc.namespace)}/${str(svc.name)}` : 'Local', available, ageOf(obj, now)];
  },
};

/** printResourceQuota: "key: used/hard" for each hard key (sorted), limits.* under LIMIT, the rest under REQUEST */
export const resourceQuotaPrinter: KindPrinter = {
  columns: [
    nameColumn, ageColumn,
    col('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    col('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
  ],
  cells(obj, now) {
    const st = dict(o(obj).status);
    const hard = dict(st.hard);
    const used = dict(st.used);
    const request: string[] = [];
    const limit: string[] = [];
    for (const k of Object.keys(hard).sort()) {
      const pieces = k.split('.');
      (pieces.length > 1 && pieces[0] === 'limits' ? limit : request).push(`${k}: ${str(used[k] ?? '0')}/${str(hard[k])}`);
    }
    return [obj.metadata.name, ageOf(obj, now), request.join(', '), limit.join(', ')];
  },
};
