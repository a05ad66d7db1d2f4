// Seeds a fresh store with the chapter's Status Quo: the kops cluster's nodes, the `kubernetes`
// Service and its endpoints (the masters), service accounts, the autoscaler's ConfigMap, and
// kops's addons applied as `kubectl apply` applies them. Controllers create the rest
// (ReplicaSets, pods, kube-dns's endpoints) once they start.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { ClusterStore, KubeObject } from '../contracts.ts';
import { canonicalJson } from '../controllers/names.ts';
import { KUBERNETES_SERVICE_IP } from './network.ts';
import { NODES, nodeName, nodeObject } from './nodes.ts';
import { mirrorPods } from './static-pods.ts';
import { copyJson } from '../json-copy.ts';
import { reconcileBootstrapPolicy } from '../auth/bootstrap-policy.ts';
import { kubeadmObjects, kubeadmProfileOf } from './kubeadm.ts';
import { defaultServiceAccounts, ensureApiserverObjects, kubernetesServiceObjects, serviceAccount, type Seeded } from './apiserver.ts';
import { storageClasses } from './storage-classes.ts';
import { seedNodeImages } from '../controllers/node-images.ts';
import { imageSizeBytes } from '../runtimes/image-kind.ts';

export { ensureApiserverObjects } from './apiserver.ts';
import type { ClusterProfile } from './profiles.ts';

export { CLUSTER_PROFILES, isClusterProfile, KUBEADM_NODES, LAB_CLUSTER_NAME, NETWORKS, type ClusterNetwork, type ClusterProfile } from './profiles.ts';

export { CLUSTER_DOMAIN, DNS_SERVICE_IP, KUBERNETES_SERVICE_IP, POD_CIDR, SERVICE_CIDR } from './network.ts';
/** kops 1.7 ran the API server on 443 on each master */
const APISERVER_PORT = 443;

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** the addon manifests kops's channels tool applied, parsed once */
export function kopsAddons(): KubeObject[] {
  const text = readFileSync(new URL('./kops-addons.yaml', import.meta.url), 'utf8');
  return parseAllDocuments(text).map((d) => d.toJS() as KubeObject).filter(Boolean);
}

/**
 * What `kubectl apply` sends for a manifest: the manifest plus the last-applied annotation,
 * whose value is the manifest as JSON with sorted keys (Go's encoding of a map) and an
 * `annotations: {}` left where the annotation itself was removed, and a trailing newline.
 */
export function asApplied(manifest: KubeObject): KubeObject {
  const recorded = copyJson(manifest);
  recorded.metadata = { ...recorded.metadata, annotations: { ...recorded.metadata.annotations } };
  const out = copyJson(manifest);
  out.metadata.annotations = { ...out.metadata.annotations, [LAST_APPLIED]: canonicalJson(recorded) + '\n' };
  return out;
}

function masters() {
  return NODES.filter((n) => n.role === 'master');
}

function clusterObjects(): Seeded[] {
  const out: Seeded[] = [
    ...kubernetesServiceObjects(KUBERNETES_SERVICE_IP, masters().map((m) => m.ip), APISERVER_PORT),
    {
      resource: 'configmaps',
      fieldManager: 'cluster-proportional-autoscaler',
      obj: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'kube-dns-autoscaler', namespace: 'kube-system' },
        data: { linear: '{"coresPerReplica":256,"nodesPerReplica":16,"preventSinglePointFailure":true}' },
      },
    },
  ];
  // protokube made kube-dns's and kube-proxy's service accounts
  out.push(...defaultServiceAccounts(), ...['kube-dns', 'kube-proxy'].map((name) => serviceAccount(name, 'kube-system', 'protokube')));
  return out;
}

const RESOURCE_OF: Record<string, string> = {
  Service: 'services',
  Deployment: 'deployments.apps',
  ServiceAccount: 'serviceaccounts',
  ClusterRole: 'clusterroles.rbac.authorization.k8s.io',
  ClusterRoleBinding: 'clusterrolebindings.rbac.authorization.k8s.io',
  ConfigMap: 'configmaps',
};

/** true when the store holds no nodes yet: a fresh or reset state dir */
export function needsSeed(store: ClusterStore): boolean {
  return store.list('nodes').items.length === 0;
}

/** the profile a seeded store plays (kubeadm-config tells kind and minikube apart); undefined when fresh */
export function seededProfile(store: ClusterStore): ClusterProfile | undefined {
  if (needsSeed(store)) return undefined;
  const cm = store.get('configmaps', 'kube-system', 'kubeadm-config') as { data?: Record<string, string> } | undefined;
  return kubeadmProfileOf(cm?.data?.ClusterConfiguration) ?? 'kops';
}

/** a fresh store seeded with the starting state of the profile's cluster (default: the chapter's) */
export function seedStatusQuo(store: ClusterStore, profile: ClusterProfile = 'kops'): void {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  ensureApiserverObjects(store);
  for (const { resource, obj, fieldManager } of storageClasses(profile)) createOnce(store, resource, obj, fieldManager);
  if (profile !== 'kops') {
    for (const { resource, obj, fieldManager } of kubeadmObjects(profile, now)) createOnce(store, resource, obj, fieldManager);
    // kubeadm pulled its images on the node before `init` (kind's node image ships them)
    seedNodeImages(store, imageSizeBytes);
    reconcileBootstrapPolicy(store);
    return;
  }
  for (const row of NODES) {
    if (store.get('nodes', undefined, nodeName(row))) continue;
    store.create('nodes', nodeObject(row, now) as unknown as KubeObject, { fieldManager: 'kubelet' });
  }
  for (const { resource, obj, fieldManager } of clusterObjects()) createOnce(store, resource, obj, fieldManager);
  for (const manifest of kopsAddons()) {
    const resource = RESOURCE_OF[manifest.kind];
    if (!resource) throw new Error(`status-quo: no resource for kind ${manifest.kind} in kops-addons.yaml`);
    createOnce(store, resource, asApplied(manifest), 'kubectl-client-side-apply');
  }
  // the kubelets post their static pods' mirrors once their Nodes exist
  const uidOf = (node: string) => store.get('nodes', undefined, node)?.metadata.uid;
  for (const pod of mirrorPods(uidOf, now)) createOnce(store, 'pods', pod, 'kubelet');
  // the cluster has run these for months: their images are on the nodes they run on
  seedNodeImages(store, imageSizeBytes);
  // the apiserver's own roles and bindings (cluster-admin for system:masters, system:kube-dns, ...)
  reconcileBootstrapPolicy(store);
}

function createOnce(store: ClusterStore, resource: string, obj: KubeObject, fieldManager: string): void {
  if (store.get(resource, obj.metadata.namespace, obj.metadata.name!)) return;
  store.create(resource, obj, { fieldManager });
}
