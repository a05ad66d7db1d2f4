// The StorageClasses each cluster starts with.
// - kops 1.7 on AWS: its bootstrap channel applies `storage-aws.addons.k8s.io/v1.6.0.yaml`
//   (kubernetes/kops upup/models/cloudup/resources/addons/storage-aws.addons.k8s.io/v1.6.0.yaml):
//   `default` and `gp2`, both kubernetes.io/aws-ebs with parameters type gp2, gp2 the default
//   through the beta annotation of the day. The in-tree aws-ebs provisioner is gone in 1.32 and the
//   lab has no EBS: a claim on them stays Pending (what a 1.32 cluster without the EBS CSI driver does).
// - kind: its local-path-provisioner's `standard` (kind's manifests/default-storage.yaml, which
//   `kind create cluster` applies with `kubectl apply -f -`): default, rancher.io/local-path,
//   WaitForFirstConsumer, Delete. The last-applied annotation that apply leaves is not reproduced,
//   nor the local-path-storage namespace and provisioner Deployment of the same manifest.
// - minikube: its storage-provisioner addon's `standard` (deploy/addons/storageclass/storageclass.yaml):
//   default, k8s.io/minikube-hostpath, Immediate, Delete.
import type { KubeObject } from '../contracts.ts';
import type { Seeded } from './apiserver.ts';
import type { ClusterProfile } from './profiles.ts';

const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const BETA_DEFAULT_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';

const sc = (obj: Record<string, unknown>, fieldManager: string): Seeded => ({
  resource: 'storageclasses.storage.k8s.io',
  fieldManager,
  obj: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', ...obj } as KubeObject,
});

export function storageClasses(profile: ClusterProfile): Seeded[] {
  if (profile === 'kind')
    return [sc({
      metadata: { name: 'standard', annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } },
      provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer',
    }, 'kubectl-client-side-apply')];
  if (profile === 'minikube')
    return [sc({
      metadata: { name: 'standard', labels: { 'addonmanager.kubernetes.io/mode': 'EnsureExists' }, annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } },
      provisioner: 'k8s.io/minikube-hostpath', reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate',
    }, 'kubectl-client-side-apply')];
  const labels = { 'k8s-addon': 'storage-aws.addons.k8s.io' };
  return [
    sc({ metadata: { name: 'default', labels }, provisioner: 'kubernetes.io/aws-ebs', parameters: { type: 'gp2' } }, 'kubectl-client-side-apply'),
    sc({ metadata: { name: 'gp2', labels, annotations: { [BETA_DEFAULT_ANNOTATION]: 'true' } }, provisioner: 'kubernetes.io/aws-ebs', parameters: { type: 'gp2' } }, 'kubectl-client-side-apply'),
  ];
}
