// The DNS panel's data, all from the cluster's API: the kube-dns Service and its endpoints, the
// pods that serve DNS (the Service's endpoints, and pods labelled k8s-app=kube-dns or coredns),
// and their logs, followed as `kubectl logs -f --timestamps` follows them (GET pods/<pod>/log?
// follow=true), so it works on any provider whose API streams pod logs. Query lines become
// lookups (lookups.ts); client IPs become pods through the pods' status.podIP.
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { LogLineParser, splitTimestamp, toQuery } from './log-lines.ts';
import { LookupGrouper } from './lookups.ts';
import type { DnsLookup, DnsPanelPod, DnsPanelState, DnsTopology } from './protocol.ts';

/** labels that mark a pod as a cluster DNS server, whatever the Service selects */
const DNS_APPS = ['kube-dns', 'coredns'];
/** lookups kept for a page that connects later */
const KEEP_LOOKUPS = 50;
/** how far back a log is read when the panel starts following a pod it did not see start */
const HISTORY_SECONDS = 300;
const RETRY_MS = 2000;

export interface DnsFeedOptions {
  namespace?: string;
  service?: string;
}

export interface DnsFeedEvents {
  state: [DnsPanelState];
  topology: [DnsTopology];
  lookup: [DnsLookup];
}

interface Follow {
  abort: AbortController | null;
  /** the last line's timestamp and the lines read at that instant, so a re-follow skips them */
  lastAt: string | null;
  atLast: Set<string>;
  parser: LogLineParser;
  stopped: boolean;
}

const ready = (p: k8s.V1Pod) => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
const matches = (labels: Record<string, string> | undefined, selector: Record<string, string> | undefined) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

export class DnsFeed extends EventEmitter<DnsFeedEvents> {
  private readonly kc = new k8s.KubeConfig();
  private readonly ns: string;
  private readonly svcName: string;
  private readonly pods: k8s.Informer<k8s.V1Pod> & k8s.ObjectCache<k8s.V1Pod>;
  private readonly services: k8s.Informer<k8s.V1Service> & k8s.ObjectCache<k8s.V1Service>;
  private readonly slices: k8s.Informer<k8s.V1EndpointSlice> & k8s.ObjectCache<k8s.V1EndpointSlice>;
  private readonly endpoints: k8s.Informer<k8s.V1Endpoints> & k8s.ObjectCache<k8s.V1Endpoints>;
  private readonly follows = new Map<string, Follow>();
  private readonly grouper = new LookupGrouper();
  private readonly recent: DnsLookup[] = [];
  private readonly loggedQueries = new Set<string>();
  private readonly startedAt = Date.now();
  private topologyText = '';
  private stateNow: DnsPanelState = { state: 'waiting', message: 'connecting to the Kubernetes API' };
  private timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(kubeconfig: string, opts: DnsFeedOptions = {}) {
    super();
    this.kc.loadFromFile(kubeconfig);
    this.ns = opts.namespace ?? 'kube-system';
    this.svcName = opts.service ?? 'kube-dns';
    const core = this.kc.makeApiClient(k8s.CoreV1Api);
    const discovery = this.kc.makeApiClient(k8s.DiscoveryV1Api);
    const ns = this.ns;
    this.pods = k8s.makeInformer(this.kc, '/api/v1/pods', () => core.listPodForAllNamespaces());
    this.services = k8s.makeInformer(this.kc, `/api/v1/namespaces/${ns}/services`, () => core.listNamespacedService({ namespace: ns }));
    this.slices = k8s.makeInformer(this.kc, `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`, () =>
      discovery.listNamespacedEndpointSlice({ namespace: ns }),
    );
    this.endpoints = k8s.makeInformer(this.kc, `/api/v1/namespaces/${ns}/endpoints`, () => core.listNamespacedEndpoints({ namespace: ns }));
  }

  get state(): DnsPanelState {
    return this.stateNow;
  }

  topology(): DnsTopology {
    const svc = this.services.get(this.svcName, this.ns);
    const selector = svc?.spec?.selector ?? {};
    const endpointIps = this.endpointIps();
    const pods: DnsPanelPod[] = this.dnsPods(svc).map((p) => ({
      namespace: p.metadata!.namespace!,
      name: p.metadata!.name!,
      ip: p.status?.podIP ?? null,
      phase: p.status?.phase ?? 'Unknown',
      ready: ready(p),
      labels: p.metadata?.labels ?? {},
      images: (p.spec?.containers ?? []).map((c) => c.image ?? ''),
      endpoint: !!p.status?.podIP && endpointIps.has(p.status.podIP),
      loggedQueries: this.loggedQueries.has(`${p.metadata!.namespace}/${p.metadata!.name}`),
    }));
    pods.sort((a, b) => Number(b.endpoint) - Number(a.endpoint) || a.name.localeCompare(b.name));
    return {
      service: svc
        ? {
            namespace: this.ns,
            name: this.svcName,
            clusterIP: svc.spec?.clusterIP ?? null,
            selector,
            ports: (svc.spec?.ports ?? []).map((p) => `${p.port}/${p.protocol ?? 'TCP'}${p.name ? ` (${p.name})` : ''}`),
          }
        : null,
      pods,
    };
  }

  /** the lookups still kept, oldest first */
  lookups(): DnsLookup[] {
    return [...this.recent];
  }

  async start(): Promise<void> {
    const informers = [this.pods, this.services, this.slices, this.endpoints];
    const listen = <T extends k8s.KubernetesObject>(inf: k8s.Informer<T>) => {
      inf.on('add', () => this.changed());
      inf.on('update', () => this.changed());
      inf.on('delete', () => this.changed());
      inf.on('error', (err) => {
        this.setState('error', `the Kubernetes API at ${this.kc.getCurrentCluster()?.server} does not answer (${(err as Error)?.message ?? err}); retrying`);
        this.later(() => void inf.start().then(() => this.changed(), () => {}), RETRY_MS);
      });
    };
    listen(this.pods);
    listen(this.services);
    listen(this.slices);
    listen(this.endpoints);
    await Promise.all(informers.map((i) => i.start()));
    this.changed();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const f of this.follows.values()) this.endFollow(f);
    this.follows.clear();
    await Promise.all([this.pods, this.services, this.slices, this.endpoints].map((i) => i.stop()));
  }

  private later(fn: () => void, ms: number): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped) fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  private setState(state: DnsPanelState['state'], message: string): void {
    if (this.stateNow.state === state && this.stateNow.message === message) return;
    this.stateNow = { state, message };
    this.emit('state', this.stateNow);
  }

  private endpointIps(): Set<string> {
    const ips = new Set<string>();
    const slices = this.slices.list(this.ns).filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === this.svcName);
    for (const s of slices)
      for (const e of s.endpoints ?? []) if (e.conditions?.ready !== false) for (const a of e.addresses ?? []) ips.add(a);
    if (!slices.length) {
      const ep = this.endpoints.get(this.svcName, this.ns);
      for (const sub of ep?.subsets ?? []) for (const a of sub.addresses ?? []) ips.add(a.ip);
    }
    return ips;
  }

  /** the Service's endpoints' pods, the pods its selector picks, and the pods labelled as DNS servers */
  private dnsPods(svc: k8s.V1Service | undefined): k8s.V1Pod[] {
    const endpointIps = this.endpointIps();
    return this.pods.list(this.ns).filter((p) => {
      const labels = p.metadata?.labels;
      return (
        DNS_APPS.includes(labels?.['k8s-app'] ?? '') ||
        matches(labels, svc?.spec?.selector) ||
        (!!p.status?.podIP && !p.spec?.hostNetwork && endpointIps.has(p.status.podIP))
      );
    });
  }

  private changed(): void {
    if (this.stopped) return;
    const topo = this.topology();
    const text = JSON.stringify(topo);
    if (text !== this.topologyText) {
      this.topologyText = text;
      this.emit('topology', topo);
    }
    this.syncFollows();
  }

  /** follows every running container of every DNS pod; ends the follows of pods that went */
  private syncFollows(): void {
    const want = new Map<string, { pod: k8s.V1Pod; container: string; restarts: number }>();
    for (const pod of this.dnsPods(this.services.get(this.svcName, this.ns))) {
      for (const cs of pod.status?.containerStatuses ?? []) {
        if (!cs.state?.running) continue;
        want.set(`${pod.metadata!.uid}/${cs.name}/${cs.restartCount}`, { pod, container: cs.name, restarts: cs.restartCount });
      }
    }
    for (const [key, f] of this.follows) {
      if (!want.has(key)) {
        this.endFollow(f);
        this.follows.delete(key);
      }
    }
    for (const [key, w] of want) if (!this.follows.has(key)) this.follow(key, w.pod, w.container);
    if (!this.services.get(this.svcName, this.ns)) this.setState('waiting', `there is no Service ${this.svcName} in ${this.ns} yet`);
    else if (!want.size) this.setState('waiting', `no DNS pod is running in ${this.ns}`);
    else this.setState('following', `following the logs of ${new Set([...want.values()].map((w) => w.pod.metadata!.name)).size} DNS pod(s)`);
  }

  private endFollow(f: Follow): void {
    f.stopped = true;
    f.abort?.abort();
    f.abort = null;
  }

  private follow(key: string, pod: k8s.V1Pod, container: string): void {
    const f: Follow = { abort: null, lastAt: null, atLast: new Set(), parser: new LogLineParser(), stopped: false };
    this.follows.set(key, f);
    const namespace = pod.metadata!.namespace!;
    const name = pod.metadata!.name!;
    // a pod that started before the panel: its last minutes; one that started since: all of it
    const started = Date.parse(pod.status?.startTime ? String(pod.status.startTime) : '') || 0;
    const first: k8s.LogOptions = started && started < this.startedAt ? { sinceSeconds: HISTORY_SECONDS } : {};
    const run = (opts: k8s.LogOptions): void => {
      if (f.stopped || this.stopped) return;
      let rest = '';
      const sink = new Writable({
        write: (chunk: Buffer, _enc, done) => {
          rest += chunk.toString('utf8');
          const lines = rest.split('\n');
          rest = lines.pop() ?? '';
          for (const line of lines) this.line(f, { namespace, pod: name, container }, line.replace(/\r$/, ''));
          done();
        },
      });
      const again = () => {
        f.abort = null;
        // the stream ended (the container stopped, or the API closed it): go on from the last line read
        this.later(() => run(f.lastAt ? { sinceTime: f.lastAt } : opts), RETRY_MS);
      };
      sink.on('finish', again);
      sink.on('error', () => {});
      new k8s.Log(this.kc).log(namespace, name, container, sink, { ...opts, follow: true, timestamps: true }).then(
        (abort) => {
          if (f.stopped || this.stopped) abort.abort();
          else f.abort = abort;
        },
        () => again(),
      );
    };
    run(first);
  }

  private line(f: Follow, server: { namespace: string; pod: string; container: string }, raw: string): void {
    if (!raw) return;
    const { at, text } = splitTimestamp(raw);
    if (at && f.lastAt) {
      if (at < f.lastAt) return;
      if (at === f.lastAt && f.atLast.has(text)) return;
    }
    if (at && at !== f.lastAt) {
      f.lastAt = at;
      f.atLast.clear();
    }
    f.atLast.add(text);
    for (const parsed of f.parser.push(text)) {
      const q = toQuery(parsed, at ?? new Date().toISOString(), server);
      const client = this.pods.list().find((p) => p.status?.podIP === q.clientIp && !p.spec?.hostNetwork);
      q.client = client ? { namespace: client.metadata!.namespace!, name: client.metadata!.name! } : null;
      const podKey = `${server.namespace}/${server.pod}`;
      if (!this.loggedQueries.has(podKey)) {
        this.loggedQueries.add(podKey);
        this.changed();
      }
      const lookup = this.grouper.add(q);
      if (!this.recent.includes(lookup)) {
        this.recent.push(lookup);
        if (this.recent.length > KEEP_LOOKUPS) this.recent.shift();
      }
      this.grouper.prune(Date.parse(q.at));
      this.emit('lookup', lookup);
    }
  }
}
