// List+watch of Services, EndpointSlices, Namespaces (and Pods for `pods verified`) through
// @kubernetes/client-node informers, feeding the ClusterModel. client-node stops an informer
// on the first error, so each one is restarted here with capped backoff: the plugin keeps
// serving its last data while the API is away and catches up when it returns.
// informer.js alone: the package index would also load every generated API model
import { makeInformer } from '@kubernetes/client-node/dist/informer.js';
import type { KubeConfig, KubernetesObject, KubernetesListObject } from '@kubernetes/client-node';
import type { ApiAccess } from './access.ts';
import { listObjects } from './list.ts';
import type { ClusterModel } from './model.ts';
import { slimInPlace, toPod, toService, toSlice, type KubeObject } from './objects.ts';
import type { KubernetesConfig } from './parse.ts';

const BACKOFF_START_MS = 100;
const BACKOFF_MAX_MS = 2000;

interface Resource {
  kind: string;
  path: string;
  labelSelector?: string;
  list: () => Promise<KubernetesListObject<KubernetesObject>>;
  put: (o: KubeObject) => void;
  remove: (o: KubeObject) => void;
}

interface Running {
  res: Resource;
  informer: ReturnType<typeof makeInformer<KubernetesObject>>;
  listed: boolean;
  backoff: number;
  timer?: NodeJS.Timeout;
  failing: boolean;
}

export class ClusterWatch {
  private running: Running[] = [];
  private stopped = false;
  private syncWaiters: Array<(synced: boolean) => void> = [];

  constructor(
    private readonly api: ApiAccess,
    private readonly cfg: KubernetesConfig,
    private readonly model: ClusterModel,
    private readonly log: (line: string) => void,
  ) {}

  /** true once every informer has completed one list (K35, K56) */
  get synced(): boolean {
    return this.running.length > 0 && this.running.every((r) => r.listed);
  }

  /** resolves at the first sync, or after `ms` with false */
  waitForSync(ms: number): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), ms);
      this.syncWaiters.push((synced) => { clearTimeout(t); resolve(synced); });
    });
  }

  /** what is watched: the resource, its path and selector, and how events change the model */
  private resources(): Resource[] {
    const m = this.model;
    const sel = this.cfg.labels;
    const ns = (o: KubeObject): string => o.metadata?.namespace ?? '';
    const name = (o: KubeObject): string => o.metadata?.name ?? '';
    const res = (kind: string, path: string, labelSelector: string | undefined, put: Resource['put'], remove: Resource['remove']): Resource => ({
      kind, path, labelSelector, put, remove, list: () => listObjects(this.api, path, labelSelector),
    });
    return [
      res('Namespace', '/api/v1/namespaces', this.cfg.namespaceLabels, (o) => m.putNamespace(name(o)), (o) => m.deleteNamespace(name(o))),
      res('Service', '/api/v1/services', sel, (o) => m.putService(toService(o)), (o) => m.deleteService(ns(o), name(o))),
      ...(this.cfg.noEndpoints ? [] : [
        res('EndpointSlice', '/apis/discovery.k8s.io/v1/endpointslices', sel, (o) => m.putSlice(toSlice(o)), (o) => m.deleteSlice(ns(o), name(o))),
      ]),
      ...(this.cfg.pods === 'verified' ? [res('Pod', '/api/v1/pods', sel, (o) => m.putPod(toPod(o)), (o) => m.deletePod(ns(o), name(o)))] : []),
    ];
  }

  start(): void {
    this.stopped = false;
    for (const res of this.resources()) {
      const run: Running = { res, listed: false, backoff: BACKOFF_START_MS, failing: false } as Running;
      const list = async (): Promise<KubernetesListObject<KubernetesObject>> => {
        const result = await res.list();
        this.recovered(run);
        if (!run.listed) {
          run.listed = true;
          if (this.synced) for (const w of this.syncWaiters.splice(0)) w(true);
        }
        return result;
      };
      run.informer = makeInformer<KubernetesObject>(this.api.watchConfig() as KubeConfig, res.path, list, res.labelSelector);
      const onPut = (o: KubernetesObject): void => {
        const obj = o as KubeObject;
        res.put(obj);
        slimInPlace(obj);
        this.recovered(run);
      };
      run.informer.on('add', onPut);
      run.informer.on('update', onPut);
      run.informer.on('delete', (o) => res.remove(o as KubeObject));
      run.informer.on('error', (err) => this.failed(run, err));
      this.running.push(run);
      void run.informer.start().catch((err) => this.failed(run, err));
    }
  }

  private recovered(run: Running): void {
    run.backoff = BACKOFF_START_MS;
    if (run.failing) {
      run.failing = false;
      this.log(`[INFO] plugin/kubernetes: watching ${run.res.kind} again`);
    }
  }

  private failed(run: Running, err: unknown): void {
    if (this.stopped) return;
    if (!run.failing) {
      run.failing = true;
      const why = err instanceof Error ? err.message : String((err as { message?: string })?.message ?? err);
      this.log(`[ERROR] plugin/kubernetes: Failed to watch ${run.res.kind}: ${why.split('\n')[0]}`);
    }
    clearTimeout(run.timer);
    run.timer = setTimeout(() => {
      if (this.stopped) return;
      void run.informer.start().catch((e) => this.failed(run, e));
    }, run.backoff);
    run.timer.unref?.();
    run.backoff = Math.min(run.backoff * 2, BACKOFF_MAX_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.syncWaiters.splice(0)) w(false);
    for (const run of this.running) {
      clearTimeout(run.timer);
      await run.informer.stop().catch(() => {});
    }
    this.running = [];
  }
}
