// Which of a pod's volumes cannot be mounted yet. Only ConfigMaps are checked: the runtimes
// read a DNS pod's Corefile from its ConfigMap, so a pod without one must not start.
import type { ClusterStore, KubeObject } from '../contracts.ts';

interface Volume {
  name: string;
  configMap?: { name?: string; optional?: boolean };
  projected?: { sources?: Array<{ configMap?: { name?: string; optional?: boolean } }> };
}

export function missingConfigMap(store: ClusterStore, pod: KubeObject): { volume: string; configMap: string } | undefined {
  const volumes = ((pod.spec as { volumes?: Volume[] }).volumes) ?? [];
  const ns = pod.metadata.namespace;
  for (const v of volumes) {
    const refs = [v.configMap, ...(v.projected?.sources ?? []).map((s) => s.configMap)].filter(Boolean) as Array<{
      name?: string;
      optional?: boolean;
    }>;
    for (const ref of refs) {
      if (ref.optional || !ref.name) continue;
      // kube-root-ca.crt: the publisher may not have reached a new namespace yet, and the runtime fills ca.crt itself
      if (ref.name === 'kube-root-ca.crt') continue;
      if (!store.get('configmaps', ns, ref.name)) return { volume: v.name, configMap: ref.name };
    }
  }
  return undefined;
}
