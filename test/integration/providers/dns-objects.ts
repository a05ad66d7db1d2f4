// kube-system's DNS objects as a test compares them before and after the lab: the kube-dns
// Service and kubeadm's CoreDNS objects, without what the API server writes (uid, versions,
// timestamps, status, the Deployment's revision).
import { Kubectl } from '../sandbox/sandbox-process.ts';
import { COREDNS_OBJECTS } from '../../../sandbox/providers/kubeadm/chapter-start.ts';

export const DNS_REFS = ['service/kube-dns', ...COREDNS_OBJECTS];

export type Obj = { kind: string; metadata: Record<string, unknown> & { name: string }; status?: unknown } & Record<string, unknown>;

export async function dnsObjects(k: Kubectl): Promise<Obj[]> {
  const list = JSON.parse(await k.ok(['get', ...DNS_REFS, '-n', 'kube-system', '-o', 'json', '--ignore-not-found'])) as { items: Obj[] };
  return list.items
    .map((o) => {
      const { status: _status, ...rest } = o;
      const {
        uid: _u,
        resourceVersion: _r,
        creationTimestamp: _c,
        managedFields: _m,
        generation: _g,
        annotations,
        ...meta
      } = o.metadata as Record<string, unknown>;
      const kept = Object.fromEntries(Object.entries((annotations ?? {}) as Record<string, string>).filter(([key]) => key !== 'deployment.kubernetes.io/revision'));
      return { ...rest, metadata: { ...meta, ...(Object.keys(kept).length ? { annotations: kept } : {}) } } as Obj;
    })
    .sort((a, b) => `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`));
}
