// The ServiceAccount admission plugin, for pods: the pod runs as its ServiceAccount ("default"
// unless it names one), a ServiceAccount that does not exist refuses the pod, and unless
// automountServiceAccountToken is false (on the pod, else on the ServiceAccount) every container
// mounts the projected kube-api-access-xxxxx volume (token, ca.crt, namespace) read-only at
// /var/run/secrets/kubernetes.io/serviceaccount.
import type { Container, PodSpec, Volume, VolumeMount } from 'kubernetes-types/core/v1.js';
import { forbidden } from '../errors.ts';
import { randomSuffix } from '../random-suffix.ts';
import type { KubeObject } from '../contracts.ts';
import type { StrategyContext } from './types.ts';

export const SERVICE_ACCOUNT_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';
export const KUBE_API_ACCESS_PREFIX = 'kube-api-access-';

/** the projected volume as the apiserver writes it (expirationSeconds: the 1 h token plus 7 s of skew) */
export function kubeApiAccessVolume(name: string): Volume {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

/** the kubelet's mark on the API copy of a static pod (kubetypes.ConfigMirrorAnnotationKey) */
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

export function admitServiceAccount(pod: KubeObject, ctx: StrategyContext): void {
  // the object is user input: its fields are checked as they are read
  const spec = pod.spec as PodSpec;
  // the plugin leaves mirror pods alone: the kubelet would delete one whose spec no longer matches its static pod
  if (pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return;
  spec.serviceAccountName ||= 'default';
  spec.serviceAccount = spec.serviceAccountName;
  const ns = pod.metadata.namespace ?? 'default';
  const saName = String(spec.serviceAccountName);
  const sa = ctx.list('serviceaccounts', ns).find((s) => s.metadata.name === saName);
  // "default" is created by the serviceaccounts controller the moment a namespace exists; a
  // store running without controllers (unit tests) still admits pods that use it
  if (!sa && saName !== 'default') {
    const m = pod.metadata;
    // admission runs before the name is generated: the apiserver names a generated pod by its prefix
    const name = m.generateName && m.name?.startsWith(m.generateName) ? m.generateName : m.name ?? '';
    throw forbidden({ group: '', resource: 'pods' }, name, `error looking up service account ${ns}/${saName}: serviceaccount "${saName}" not found`);
  }
  const automount =
    spec.automountServiceAccountToken ??
    (sa as { automountServiceAccountToken?: boolean } | undefined)?.automountServiceAccountToken ??
    true;
  if (automount === false) return;
  const volumes: Volume[] = Array.isArray(spec.volumes) ? spec.volumes : [];
  let volumeName = volumes.find((v) => typeof v?.name === 'string' && v.name.startsWith(KUBE_API_ACCESS_PREFIX) && v.projected)?.name;
  const containers: Container[] = [
    ...(Array.isArray(spec.initContainers) ? spec.initContainers : []),
    ...(Array.isArray(spec.containers) ? spec.containers : []),
  ];
  for (const c of containers) {
    if (!c || typeof c !== 'object') continue;
    const mounts: VolumeMount[] = Array.isArray(c.volumeMounts) ? c.volumeMounts : (c.volumeMounts = []);
    // a container that mounts something there itself keeps its own
    if (mounts.some((m) => m?.mountPath === SERVICE_ACCOUNT_MOUNT)) continue;
    if (!volumeName) {
      volumeName = `${KUBE_API_ACCESS_PREFIX}${randomSuffix()}`;
      volumes.push(kubeApiAccessVolume(volumeName));
      spec.volumes = volumes;
    }
    mounts.push({ name: volumeName, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT });
  }
}
