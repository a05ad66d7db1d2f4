// List+watch of Services, EndpointSlices, Namespaces (and Pods for `pods verified`) through
// @kubernetes/client-node informers (its ListWatch), feeding the ClusterModel. client-node stops
// an informer on the first error, so each one is restarted here with capped backoff: the plugin
// keeps serving its last data while the API is away and catches up when it returns.
// Memory: ListWatch caches every object it is given. It is given entries (objects.ts), never
// API objects: the list function converts each page, and the Watch it reads events from is
// one that converts each event's object before handing it on. The cache and the model then
// share one small entry per object.
// cache.js and watch.js alone: the package index would also load every generated API model
import { ListWatch } from '@kubernetes/client-node/dist/cache.js';
import { Watch } from '@kubernetes/client-node/dist/watch.js';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ApiAccess } from './access.ts';
import { listObjects, ListError } from './list.ts';
import type { ClusterModel } from './model.ts';
import { toNamespace, toPod, toService, toSlice, type Entry, type KubeObject, type PodEntry, type ServiceEntry, type SliceEntry } from './objects.ts';
import type { KubernetesConfig } from './parse.ts';

const BACKOFF_START_MS = 100;
const BACKOFF_MAX_MS = 2000;
/** when the API refuses (403, 401...): client-go's reflector backoff, 800 ms doubling to 30 s */
const REFUSED_BACKOFF_START_MS = 800;
const REFUSED_BACKOFF_MAX_MS = 30_000;
/**
 * the reflector's name as CoreDNS 1.11 logs it (klog through CoreDNS's logger: warnings as
 * [INFO], errors as [ERROR]); the client-go version is the one CoreDNS 1.11.3 was built with
 */
const REFLECTOR = 'pkg/mod/k8s.io/client-go@v0.29.3/tools/cache/reflector.go:229';

interface Resource {
  kind: string;
  /** the Go type client-go names in its messages: *v1.EndpointSlice */
  goType: string;
  path: string;
  labelSelector?: string;
  convert: (o: KubeObject) => Entry;
  put: (e: Entry) => void;
  remove: (e: Entry) => void;
}

interface Running {
  res: Resource;
  informer: ListWatch<Entry>;
  listed: boolean;
  backoff: number;
  timer?: NodeJS.Timeout;
  failing: boolean;
}

/** client-node's Watch, handing on each event's object converted to an entry */
export class ConvertingWatch extends Watch {
  constructor(
    config: KubeConfig,
    private readonly convert: (o: KubeObject) => Entry,
  ) {
    super(config);
  }

  override watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, obj: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    return super.watch(
      path,
      query,
      (phase: string, obj: unknown) => {
        // ERROR carries a Status (410 Gone means relist) and BOOKMARK only a resourceVersion
        const isObject = (phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED') && typeof obj === 'object' && obj !== null;
        callback(phase, isObject ? this.convert(obj as KubeObject) : obj);
      },
      done,
    );
  }
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
    const res = <E extends Entry>(
      kind: string,
      path: string,
      labelSelector: string | undefined,
      convert: (o: KubeObject) => E,
      put: (e: E) => void,
      remove: (e: E) => void,
    ): Resource => ({
      kind,
      goType: `*v1.${kind}`,
      path,
      labelSelector,
      convert,
      put: put as Resource['put'],
      remove: remove as Resource['remove'],
    });
    return [
      res('Namespace', '/api/v1/namespaces', this.cfg.namespaceLabels, toNamespace, (e) => m.putNamespace(e.name), (e) => m.deleteNamespace(e.name)),
      res('Service', '/api/v1/services', sel, toService, (e: ServiceEntry) => m.putService(e), (e) => m.deleteService(e.namespace, e.name)),
      ...(this.cfg.noEndpoints ? [] : [
        res('EndpointSlice', '/apis/discovery.k8s.io/v1/endpointslices', sel, (o) => toSlice(o, this.cfg.endpointPodNames), (e: SliceEntry) => m.putSlice(e), (e) => m.deleteSlice(e.namespace, e.name)),
      ]),
      ...(this.cfg.pods === 'verified' ? [res('Pod', '/api/v1/pods', sel, toPod, (e: PodEntry) => m.putPod(e), (e) => m.deletePod(e.namespace, e.name))] : []),
    ];
  }

  start(): void {
    this.stopped = false;
    for (const res of this.resources()) {
      const run: Running = { res, listed: false, backoff: BACKOFF_START_MS, failing: false } as Running;
      const list = async () => {
        const result = await listObjects(this.api, res.path, res.labelSelector, res.convert);
        this.recovered(run);
        // synced once ListWatch has put the items into the model, which it does in the same
        // tick it receives them
        if (!run.listed) {
          setImmediate(() => {
            run.listed = true;
            if (this.synced) for (const w of this.syncWaiters.splice(0)) w(true);
          });
        }
        return result;
      };
      const watch = new ConvertingWatch(this.api.watchConfig() as KubeConfig, res.convert);
      // ListWatch types its list as client-node's typed list; an EntryList has the fields it reads
      run.informer = new ListWatch<Entry>(res.path, watch, list as never, false, res.labelSelector);
      const onPut = (e: Entry): void => {
        res.put(e);
        this.recovered(run);
      };
      run.informer.on('add', onPut);
      run.informer.on('update', onPut);
      run.informer.on('delete', (e) => res.remove(e));
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
    if (err instanceof ListError && err.statusMessage !== undefined) return this.refused(run, err.statusMessage);
    if (!run.failing) {
      run.failing = true;
      const why = err instanceof Error ? err.message : String((err as { message?: string })?.message ?? err);
      this.log(`[ERROR] plugin/kubernetes: Failed to watch ${run.res.kind}: ${why.split('\n')[0]}`);
    }
    this.retryAfterBackoff(run, Math.min(run.backoff * 2, BACKOFF_MAX_MS));
  }

  /**
   * The API answered the list with an error Status (RBAC's forbidden, 401): client-go's
   * reflector logs both lines on every attempt and retries with its own backoff; the informer
   * never syncs, so the plugin never becomes ready.
   */
  private refused(run: Running, message: string): void {
    const failure = `failed to list ${run.res.goType}: ${message}`;
    this.log(`[INFO] plugin/kubernetes: ${REFLECTOR}: ${failure}`);
    this.log(`[ERROR] plugin/kubernetes: ${REFLECTOR}: Failed to watch ${run.res.goType}: ${failure}`);
    if (!run.failing) {
      run.failing = true;
      run.backoff = REFUSED_BACKOFF_START_MS;
    }
    this.retryAfterBackoff(run, Math.min(Math.max(run.backoff * 2, REFUSED_BACKOFF_START_MS), REFUSED_BACKOFF_MAX_MS));
  }

  /** starts the informer again after the current backoff, which then becomes `next` */
  private retryAfterBackoff(run: Running, next: number): void {
    clearTimeout(run.timer);
    run.timer = setTimeout(() => {
      if (this.stopped) return;
      void run.informer.start().catch((e) => this.failed(run, e));
    }, run.backoff);
    run.timer.unref?.();
    run.backoff = next;
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
