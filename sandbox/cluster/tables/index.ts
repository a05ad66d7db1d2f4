// Table conversion (kubectl's human `get` output) for every kind the embedded API serves,
// with the columns and cell formats of the real API server's printers. The signature of
// buildTable is the contract the API server relies on.
import type { KubeObject, ResourceName } from '../contracts.ts';
import { age } from './age.ts';
import { ageColumn, nameColumn } from './columns.ts';
import {
  apiServicePrinter,
  certificateSigningRequestPrinter,
  controllerRevisionPrinter,
  csiStorageCapacityPrinter,
  componentStatusPrinter,
  csiDriverPrinter,
  csiNodePrinter,
  flowSchemaPrinter,
  horizontalPodAutoscalerPrinter,
  ingressClassPrinter,
  ingressPrinter,
  networkPolicyPrinter,
  persistentVolumeClaimPrinter,
  persistentVolumePrinter,
  podDisruptionBudgetPrinter,
  podTemplatePrinter,
  priorityClassPrinter,
  priorityLevelConfigurationPrinter,
  replicationControllerPrinter,
  resourceQuotaPrinter,
  runtimeClassPrinter,
  storageClassPrinter,
  validatingAdmissionPolicyBindingPrinter,
  validatingAdmissionPolicyPrinter,
  volumeAttachmentPrinter,
  webhookConfigurationPrinter,
} from './builtins.ts';
import { configMapPrinter } from './configmap.ts';
import { daemonSetPrinter } from './daemonset.ts';
import { statefulSetPrinter } from './statefulset.ts';
import { deploymentPrinter } from './deployment.ts';
import { endpointsPrinter } from './endpoints.ts';
import { endpointSlicePrinter } from './endpointslice.ts';
import { eventPrinter } from './event.ts';
import { cronJobPrinter, jobPrinter } from './job.ts';
import { leasePrinter } from './lease.ts';
import { namespacePrinter } from './namespace.ts';
import { nodePrinter } from './node.ts';
import { podPrinter } from './pod.ts';
import { clusterRoleBindingPrinter, roleBindingPrinter, rolePrinter } from './rbac.ts';
import { replicaSetPrinter } from './replicaset.ts';
import { secretPrinter } from './secret.ts';
import { serviceAccountPrinter } from './serviceaccount.ts';
import { servicePrinter } from './service.ts';
import type { IncludeObject, KindPrinter, Table, TableOptions } from './types.ts';

export { age, humanDuration } from './age.ts';
export type { IncludeObject, KindPrinter, Table, TableColumn, TableOptions, TableRow, TableRowCondition } from './types.ts';

const printers: Record<string, KindPrinter> = {
  pods: podPrinter,
  services: servicePrinter,
  endpoints: endpointsPrinter,
  'endpointslices.discovery.k8s.io': endpointSlicePrinter,
  'deployments.apps': deploymentPrinter,
  'replicasets.apps': replicaSetPrinter,
  'daemonsets.apps': daemonSetPrinter,
  'statefulsets.apps': statefulSetPrinter,
  'jobs.batch': jobPrinter,
  'cronjobs.batch': cronJobPrinter,
  nodes: nodePrinter,
  namespaces: namespacePrinter,
  configmaps: configMapPrinter,
  secrets: secretPrinter,
  serviceaccounts: serviceAccountPrinter,
  events: eventPrinter,
  'events.events.k8s.io': eventPrinter,
  'roles.rbac.authorization.k8s.io': rolePrinter,
  'clusterroles.rbac.authorization.k8s.io': rolePrinter,
  'rolebindings.rbac.authorization.k8s.io': roleBindingPrinter,
  'clusterrolebindings.rbac.authorization.k8s.io': clusterRoleBindingPrinter,
  'leases.coordination.k8s.io': leasePrinter,
  replicationcontrollers: replicationControllerPrinter,
  podtemplates: podTemplatePrinter,
  componentstatuses: componentStatusPrinter,
  persistentvolumes: persistentVolumePrinter,
  persistentvolumeclaims: persistentVolumeClaimPrinter,
  'storageclasses.storage.k8s.io': storageClassPrinter,
  'csidrivers.storage.k8s.io': csiDriverPrinter,
  'csinodes.storage.k8s.io': csiNodePrinter,
  'volumeattachments.storage.k8s.io': volumeAttachmentPrinter,
  'networkpolicies.networking.k8s.io': networkPolicyPrinter,
  'ingresses.networking.k8s.io': ingressPrinter,
  'ingressclasses.networking.k8s.io': ingressClassPrinter,
  'poddisruptionbudgets.policy': podDisruptionBudgetPrinter,
  'horizontalpodautoscalers.autoscaling': horizontalPodAutoscalerPrinter,
  'priorityclasses.scheduling.k8s.io': priorityClassPrinter,
  'runtimeclasses.node.k8s.io': runtimeClassPrinter,
  'certificatesigningrequests.certificates.k8s.io': certificateSigningRequestPrinter,
  'validatingwebhookconfigurations.admissionregistration.k8s.io': webhookConfigurationPrinter,
  'mutatingwebhookconfigurations.admissionregistration.k8s.io': webhookConfigurationPrinter,
  'flowschemas.flowcontrol.apiserver.k8s.io': flowSchemaPrinter,
  'prioritylevelconfigurations.flowcontrol.apiserver.k8s.io': priorityLevelConfigurationPrinter,
  'controllerrevisions.apps': controllerRevisionPrinter,
  'csistoragecapacities.storage.k8s.io': csiStorageCapacityPrinter,
  'validatingadmissionpolicies.admissionregistration.k8s.io': validatingAdmissionPolicyPrinter,
  'validatingadmissionpolicybindings.admissionregistration.k8s.io': validatingAdmissionPolicyBindingPrinter,
  'apiservices.apiregistration.k8s.io': apiServicePrinter,
  resourcequotas: resourceQuotaPrinter,
  // no printer of its own in printers.go: the default table convertor's NAME and CREATED AT
  limitranges: rolePrinter,
};

/** kinds without a printer of their own: NAME and AGE */
const fallbackPrinter: KindPrinter = {
  columns: [nameColumn, ageColumn],
  cells: (o, now) => [o.metadata.name, age(o.metadata.creationTimestamp, now)],
};

/** the printer for "pods", "deployments.apps", ...; a bare plural ("deployments") is accepted too */
export function printerFor(resource: ResourceName): KindPrinter {
  if (printers[resource]) return printers[resource];
  const plural = resource.split('.')[0]!;
  const match = Object.keys(printers).find((k) => k.split('.')[0] === plural);
  return match ? printers[match]! : fallbackPrinter;
}

function rowObject(obj: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function buildTable(resource: ResourceName, objects: KubeObject[], opts: TableOptions): Table {
  const printer = printerFor(resource);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: opts.listMeta ?? {},
    columnDefinitions: printer.columns.map((c) => ({ ...c })),
    rows: objects.map((o) => {
      const conditions = printer.conditions?.(o);
      const object = rowObject(o, opts.includeObject);
      return {
        cells: printer.cells(o, opts.now),
        ...(conditions ? { conditions } : {}),
        ...(object === undefined ? {} : { object }),
      };
    }),
  };
}
