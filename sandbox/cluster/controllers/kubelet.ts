// The kubelet of every node at once: starts a PodWorker for each pod bound to a node,
// polls readiness, finishes graceful deletions with store.finalizeDelete, and on a sandbox
// restart brings back the pods that were running.
import type { ClusterStore, ContainerRuntimeHost, KubeObject } from '../contracts.ts';
import { EventRecorder } from './events.ts';
import { isTerminal } from './pod-status.ts';
import { PodWorker } from './pod-worker.ts';
import { nsKey, splitKey, WorkQueue } from './queue.ts';
import type { Controller } from './types.ts';

const READINESS_POLL_MS = 250;

export interface KubeletOptions {
  /** how often container readiness is polled (a function call per container; READINESS_POLL_MS by default) */
  readinessPollMs?: number;
  /** first retry delay for a pod waiting on a missing ConfigMap */
  mountRetryMs?: number;
  /** grace given to containers when the sandbox itself stops */
  shutdownGraceMs?: number;
}

export function startKubelet(
  store: ClusterStore,
  runtime: ContainerRuntimeHost,
  events: EventRecorder,
  opts: KubeletOptions = {},
): Controller {
  const workers = new Map<string, PodWorker>();
  const terminating = new Set<string>();
  const queue = new WorkQueue({ name: 'kubelet', reconcile });
  const unwatch = [
    store.watch('pods', {}, (e) => queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name)), true),
    store.watch('configmaps', {}, (e) => {
      if (e.type === 'DELETED') return;
      for (const w of workers.values()) if (w.namespace === e.object.metadata.namespace) w.retryMount();
    }),
  ];
  for (const p of store.list('pods', {}, true).items) queue.add(nsKey(p.metadata.namespace, p.metadata.name));
  // A real kubelet sees a container's state on its PLEG relist (1 s); four times a second keeps
  // Ready prompt without waking every seat of a workshop 50 times a second (at 20 ms an idle
  // sandbox used 1.5% of a core, at 250 ms 0.8%)
  const poller = setInterval(() => {
    for (const w of workers.values()) w.pollReadiness();
  }, opts.readinessPollMs ?? READINESS_POLL_MS);
  poller.unref();

  async function reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = store.get('pods', namespace, name);
    const worker = workers.get(key);
    if (worker && (!pod || pod.metadata.uid !== worker.uid)) {
      // gone without a graceful deletion (force delete, or replaced by a pod of the same name)
      workers.delete(key);
      await worker.terminate(0);
      runtime.forgetPod(worker.uid);
      events.forget(worker.uid);
      if (pod) queue.add(key);
      return;
    }
    if (!pod) return;
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (pod.metadata.deletionTimestamp) {
      void finishDeletion(key, pod, worker);
      return;
    }
    if (!nodeName) return;
    if (worker) {
      worker.update(pod);
      return;
    }
    if (isTerminal(pod)) return;
    const w = new PodWorker({ store, runtime, events, mountRetryMs: opts.mountRetryMs }, pod);
    workers.set(key, w);
    w.start();
  }

  async function finishDeletion(key: string, pod: KubeObject, worker: PodWorker | undefined): Promise<void> {
    const uid = pod.metadata.uid!;
    if (terminating.has(uid)) return;
    terminating.add(uid);
    try {
      if (worker) {
        const grace =
          pod.metadata.deletionGracePeriodSeconds ??
          (pod.spec as { terminationGracePeriodSeconds?: number } | undefined)?.terminationGracePeriodSeconds ??
          30;
        await worker.terminate(grace * 1000);
        workers.delete(key);
      }
      runtime.forgetPod(uid);
      events.forget(uid);
      const current = store.get('pods', pod.metadata.namespace, pod.metadata.name!);
      if (current?.metadata.uid === uid) store.finalizeDelete('pods', pod.metadata.namespace, pod.metadata.name!);
    } finally {
      terminating.delete(uid);
    }
  }

  return {
    name: 'kubelet',
    idle: () => queue.idle(),
    async stop() {
      for (const u of unwatch) u();
      clearInterval(poller);
      queue.stop();
      const all = [...workers.values()];
      workers.clear();
      await Promise.all(all.map((w) => w.shutdown(opts.shutdownGraceMs ?? 2000)));
    },
  };
}
