// Which lists merge item by item, and by which keys. Upstream declares these in the Go types
// (patchMergeKey / listMapKeys); the lab's resources only need these few.

/** strategic-merge-patch keys: one field per list */
export function strategicMergeKey(field: string, sample: unknown[]): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'volumes':
    case 'env':
    case 'imagePullSecrets':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'conditions':
      return 'type';
    case 'ownerReferences':
      return 'uid';
    case 'hostAliases':
      return 'ip';
    case 'ports': {
      const first = sample.find((x) => typeof x === 'object' && x !== null) as Record<string, unknown> | undefined;
      return first && 'containerPort' in first ? 'containerPort' : 'port';
    }
    default:
      return undefined;
  }
}

/** lists of scalars merged as sets by strategic merge patch (rather than replaced) */
export function isMergedPrimitiveList(field: string): boolean {
  return field === 'finalizers';
}

/** server-side apply list-map keys (x-kubernetes-list-map-keys) */
export function listMapKeys(field: string, sample: unknown[]): string[] | undefined {
  if (field === 'ports') {
    const first = sample.find((x) => typeof x === 'object' && x !== null) as Record<string, unknown> | undefined;
    return first && 'containerPort' in first ? ['containerPort', 'protocol'] : ['port', 'protocol'];
  }
  const k = strategicMergeKey(field, sample);
  return k ? [k] : undefined;
}

/** list-map keys with defaults filled in, so {"port":53} and {"port":53,"protocol":"TCP"} match */
export function keyOfItem(item: Record<string, unknown>, keys: string[]): string {
  const k: Record<string, unknown> = {};
  for (const name of [...keys].sort()) {
    let v = item[name];
    if (v === undefined && name === 'protocol') v = 'TCP';
    if (v !== undefined) k[name] = v;
  }
  return `k:${JSON.stringify(k)}`;
}
