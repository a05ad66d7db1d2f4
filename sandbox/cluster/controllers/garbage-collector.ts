// The garbage collector of kube-controller-manager: it follows ownerReferences. The store only
// records a deletion (deletionTimestamp, and the `orphan` or `foregroundDeletion` finalizer that
// the propagation policy asks for); this controller does the rest:
// - an object whose owners are all gone is deleted (Background), and one whose remaining owners
//   wait on foreground deletion is deleted in the foreground too;
// - an owner deleted with Orphan loses its ownerReferences from every dependent, then its
//   `orphan` finalizer;
// - an owner deleted with Foreground keeps its `foregroundDeletion` finalizer until no dependent
//   with blockOwnerDeletion is left.
// Its graph (uid -> owners, owner uid -> dependents) is fed by watches, which the store delivers
// synchronously with each write, so it never lags the store.
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER, type ClusterStore, type KubeObject } from '../contracts.ts';
import type { OwnerReference } from './owners.ts';
import { WorkQueue } from './queue.ts';
import { queueController, type Controller } from './types.ts';

interface Node {
  resource: string;
  namespace?: string;
  name: string;
  owners: OwnerReference[];
  deleting: boolean;
  finalizers: string[];
}

const MANAGER = { fieldManager: 'garbage-collector' };

/** `resources`: every stored resource (plural.group), as the real collector finds them through discovery */
export function startGarbageCollector(store: ClusterStore, resources: readonly string[]): Controller {
  const graph = new Map<string, Node>();
  const dependents = new Map<string, Set<string>>();
  const queue = new WorkQueue({ name: 'garbage-collector', reconcile });

  const link = (uid: string, owners: OwnerReference[], add: boolean) => {
    for (const o of owners) {
      let set = dependents.get(o.uid);
      if (add) {
        if (!set) dependents.set(o.uid, (set = new Set()));
        set.add(uid);
      } else if (set) {
        set.delete(uid);
        if (set.size === 0) dependents.delete(o.uid);
      }
    }
  };
  const enqueueDependents = (uid: string) => { for (const d of dependents.get(uid) ?? []) queue.add(d); };
  const enqueueOwners = (owners: OwnerReference[]) => { for (const o of owners) queue.add(o.uid); };

  function observe(resource: string, type: string, obj: KubeObject): void {
    const uid = obj.metadata.uid;
    if (!uid) return;
    const prev = graph.get(uid);
    if (prev) link(uid, prev.owners, false);
    if (type === 'DELETED') {
      graph.delete(uid);
      enqueueDependents(uid);
      enqueueOwners(prev?.owners ?? []);
      return;
    }
    const m = obj.metadata;
    const node: Node = {
      resource, namespace: m.namespace, name: m.name!, owners: m.ownerReferences ?? [],
      deleting: Boolean(m.deletionTimestamp), finalizers: m.finalizers ?? [],
    };
    graph.set(uid, node);
    link(uid, node.owners, true);
    const ownersChanged = JSON.stringify(prev?.owners ?? []) !== JSON.stringify(node.owners);
    if (ownersChanged) enqueueOwners(prev?.owners ?? []);
    if (node.owners.length > 0 && (ownersChanged || node.deleting !== prev?.deleting)) queue.add(uid);
    if (node.deleting && (node.finalizers.includes(ORPHAN_FINALIZER) || node.finalizers.includes(FOREGROUND_FINALIZER))) queue.add(uid);
    if (node.deleting && !prev?.deleting) enqueueDependents(uid);
  }

  const unwatch = resources.map((r) => store.watch(r, {}, (e) => observe(r, e.type, e.object)));
  for (const r of resources) for (const o of store.list(r).items) observe(r, 'ADDED', o);

  function reconcile(uid: string): void {
    const node = graph.get(uid);
    if (!node) return;
    if (node.deleting && node.finalizers.includes(ORPHAN_FINALIZER)) return orphanDependents(uid, node);
    if (node.deleting && node.finalizers.includes(FOREGROUND_FINALIZER)) return deleteDependentsFirst(uid, node);
    if (!node.deleting && node.owners.length > 0) attemptToDelete(uid, node);
  }

  function orphanDependents(uid: string, node: Node): void {
    for (const d of [...(dependents.get(uid) ?? [])]) {
      const dep = graph.get(d);
      if (!dep) continue;
      store.mutate(dep.resource, dep.namespace, dep.name, (o) => {
        const refs = (o.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
        if (refs.length === (o.metadata.ownerReferences ?? []).length) return undefined;
        if (refs.length > 0) o.metadata.ownerReferences = refs;
        else delete o.metadata.ownerReferences;
        return o;
      }, MANAGER);
    }
    removeFinalizer(node, ORPHAN_FINALIZER);
  }

  function deleteDependentsFirst(uid: string, node: Node): void {
    const deps = [...(dependents.get(uid) ?? [])];
    // each dependent decides for itself (attemptToDelete): it goes in the foreground, or loses
    // its reference to this owner when another owner still holds it
    for (const d of deps) queue.add(d);
    const blocking = deps.some((d) => graph.get(d)?.owners.some((r) => r.uid === uid && r.blockOwnerDeletion));
    if (!blocking) removeFinalizer(node, FOREGROUND_FINALIZER);
  }

  function attemptToDelete(uid: string, node: Node): void {
    const dangling: string[] = [];
    const waiting: string[] = [];
    let solid = false;
    for (const ref of node.owners) {
      const owner = graph.get(ref.uid);
      if (!owner) dangling.push(ref.uid);
      else if (owner.deleting && owner.finalizers.includes(FOREGROUND_FINALIZER)) waiting.push(ref.uid);
      else solid = true;
    }
    if (solid) {
      // still owned: only the references to owners that are gone or going are dropped
      const drop = new Set([...dangling, ...waiting]);
      if (drop.size === 0) return;
      store.mutate(node.resource, node.namespace, node.name, (o) => {
        o.metadata.ownerReferences = (o.metadata.ownerReferences ?? []).filter((r) => !drop.has(r.uid));
        return o;
      }, MANAGER);
      return;
    }
    const policy = waiting.length > 0 && (dependents.get(uid)?.size ?? 0) > 0 ? 'Foreground' : 'Background';
    try {
      store.delete(node.resource, node.namespace, node.name, { ...MANAGER, propagationPolicy: policy });
    } catch (err) {
      if ((err as { reason?: string }).reason !== 'NotFound') throw err;
    }
  }

  function removeFinalizer(node: Node, finalizer: string): void {
    store.mutate(node.resource, node.namespace, node.name, (o) => {
      if (!o.metadata.finalizers?.includes(finalizer)) return undefined;
      o.metadata.finalizers = o.metadata.finalizers.filter((f) => f !== finalizer);
      return o;
    }, MANAGER);
  }

  return queueController('garbage-collector', queue, unwatch);
}
