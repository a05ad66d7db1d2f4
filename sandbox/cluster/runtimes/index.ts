// The pod runtimes of the embedded cluster: the kubelet starts containers here, the API server
// serves exec, attach and logs from here. Each container gets a runtime chosen by its image
// (image-kind.ts); every container keeps a bounded log, and the previous one across a restart.
import { preloadDnsServer } from './dns/server-api.ts';
import { Readable } from 'node:stream';
import type { ClusterStore, ContainerProcess, ContainerRuntimeHost, KubeObject, LogOptions, ProcessStreams } from '../contracts.ts';
import { badRequest } from '../errors.ts';
import { execNotFound } from './exec-errors.ts';
import type { ServiceProxy } from '../proxy/index.ts';
import { serviceVIP } from '../proxy/service-endpoints.ts';
import { ContainerLog, DEFAULT_LOG_MAX_BYTES, type LogLine } from './container-log.ts';
import { BusyboxContainer } from './busybox/container.ts';
import { imageProfile } from './tools/images.ts';
import { startDnsContainer } from './dns/dns-container.ts';
import { startNodeResolver, type NodeResolver, type UpstreamNameserver } from './dns/node-resolver.ts';
import { glog, startIdleContainer, startNginxContainer } from './idle-container.ts';
import { startGoproxyContainer } from './goproxy.ts';
import { runProbe } from './prober.ts';
import { dialPodPort } from './port-forward.ts';
import { runtimeKind, imageRepository, pullError, imageSizeBytes, pullTiming } from './image-kind.ts';
import { nodeDomain, type DnsSettings, type NodeResolvConf } from './pod-files.ts';
import { findContainer, podView, type PodView } from './pod-spec.ts';
import type { ProcessHandle } from './process-handle.ts';
import { mainProcesses, PodPidNamespaces, registerMain } from './pid-namespace.ts';
import type { RuntimeContext } from './runtime-context.ts';
import type { PodCredentials } from '../auth/types.ts';
import type { RealAddress } from '../proxy/index.ts';

export { runtimeKind, LAB_DNS_IMAGE, IMAGE_CATALOGUE, catalogueEntry } from './image-kind.ts';
export { resolvConfNameservers, type UpstreamNameserver } from './dns/node-resolver.ts';

export interface RuntimeHostOptions {
  store: ClusterStore;
  proxy: ServiceProxy;
  /** the sandbox kubeconfig, for the kubernetes plugin of DNS pods when there are no credentials */
  kubeconfig?: string;
  /**
   * ServiceAccount tokens and the CA for the pods' /var/run/secrets/kubernetes.io/serviceaccount,
   * and the API server in-cluster clients reach through the kubernetes Service; absent (unit
   * tests), DNS pods use `kubeconfig` and the volume holds only the namespace
   */
  credentials?: PodCredentials;
  clusterDomain?: string;
  /** the cluster DNS Service VIP, for pods' resolv.conf; default: kube-system/kube-dns's ClusterIP */
  dnsVIP?: () => string | undefined;
  /** the node's resolv.conf; default: the VPC resolver (x.y.0.2 of the node's /16) and the node's domain */
  nodeResolvConf?: (pod: PodView) => NodeResolvConf;
  /** every log line of every container, as it is written */
  onLog?: (pod: { namespace: string; name: string; uid: string }, container: string, line: LogLine) => void;
  logMaxBytes?: number;
  /** the pod and service CIDRs (default: the chapter's 100.96.0.0/11 and 100.64.0.0/13) */
  clusterCIDRs?: string[];
  dnsTimeoutMs?: number;
  /**
   * the host's nameservers, where the node resolver forwards names that are not the nodes' (cluster.ts
   * reads them from the host's /etc/resolv.conf); default none: those names are NXDOMAIN at once
   */
  nodeUpstreams?: UpstreamNameserver[];
  /** how long the node resolver waits for nodeUpstreams before it answers SERVFAIL */
  nodeUpstreamTimeoutMs?: number;
}

interface ContainerEntry {
  pod: PodView;
  name: string;
  log: ContainerLog;
  previous?: ContainerLog;
  handle?: ProcessHandle;
  busybox?: BusyboxContainer;
  /** what kubectl exec runs in an image whose main process is not the busybox shell's (nginx) */
  exec?: BusyboxContainer;
}

/** an AWS node's (the chapter's kops cluster): the VPC's resolver at its base address plus two, and the region's domain */
function defaultNodeResolvConf(pod: PodView): NodeResolvConf {
  const hostIP = pod.hostIP && /^\d+\.\d+\./.test(pod.hostIP) ? pod.hostIP : '172.20.0.0';
  const [a, b] = hostIP.split('.');
  const domain = nodeDomain(pod.spec.nodeName);
  return { nameservers: [`${a}.${b}.0.2`], searches: domain ? [domain] : [] };
}

export function createRuntimeHost(opts: RuntimeHostOptions): ContainerRuntimeHost {
  // DNS pods are the slowest to start: begin loading their server while the rest comes up
  preloadDnsServer();
  const { store, proxy } = opts;
  const entries = new Map<string, ContainerEntry>();
  const pidNamespaces = new PodPidNamespaces();
  let resolver: Promise<NodeResolver> | undefined;
  let resolverAddress: RealAddress | undefined;

  const dns: DnsSettings = {
    clusterDomain: opts.clusterDomain ?? 'cluster.local',
    dnsVIP: opts.dnsVIP ?? (() => serviceVIP(store, 'kube-system', 'kube-dns')),
    nodeResolvConf: opts.nodeResolvConf ?? defaultNodeResolvConf,
  };

  const nodeAddresses = () => {
    const out = new Map<string, string>();
    for (const n of store.list('nodes').items) {
      const addrs = ((n.status as { addresses?: Array<{ type: string; address: string }> } | undefined)?.addresses ?? []);
      const ip = addrs.find((a) => a.type === 'InternalIP')?.address;
      if (ip && n.metadata.name) out.set(n.metadata.name.toLowerCase(), ip);
    }
    return out;
  };

  const ctx: RuntimeContext = {
    store,
    proxy,
    dns,
    kubeconfig: opts.kubeconfig,
    credentials: opts.credentials,
    clusterCIDRs: opts.clusterCIDRs,
    dnsTimeoutMs: opts.dnsTimeoutMs,
    upstream: async () => {
      resolver ??= startNodeResolver(nodeAddresses, {
        upstreams: opts.nodeUpstreams,
        upstreamTimeoutMs: opts.nodeUpstreamTimeoutMs,
        // a namespace as the last label is a search-list leftover (kubernetes.default.), which the root refuses
        localTlds: (tld) => store.get('namespaces', undefined, tld) !== undefined,
      });
      const r = await resolver;
      resolverAddress = { host: r.host, port: r.port };
      return `${r.host}:${r.port}`;
    },
    nodeResolver: () => resolverAddress,
  };

  const key = (uid: string, name: string) => `${uid}/${name}`;
  const entryOf = (pod: KubeObject, name: string) => entries.get(key(podView(pod).uid, name));
  const defaultContainer = (pod: KubeObject) => podView(pod).spec.containers[0]?.name ?? '';

  return {
    async pullImage(image, pullOpts) {
      const failure = pullError(image, pullOpts?.runtime);
      if (failure) throw new Error(failure);
      return { sizeBytes: imageSizeBytes(image), ...pullTiming(image, pullOpts?.cached ?? false) };
    },

    async startContainer(pod, containerName): Promise<ContainerProcess> {
      const view = podView(pod);
      const spec = findContainer(view, containerName);
      if (!spec) throw badRequest(`container ${containerName} is not valid for pod ${view.name}`);
      const k = key(view.uid, containerName);
      const old = entries.get(k);
      const ident = { namespace: view.namespace, name: view.name, uid: view.uid };
      const log = new ContainerLog(opts.logMaxBytes ?? DEFAULT_LOG_MAX_BYTES, opts.onLog && ((l) => opts.onLog!(ident, containerName, l)));
      const entry: ContainerEntry = { pod: view, name: containerName, log, previous: old ? old.log : undefined };
      entries.set(k, entry);
      if (old?.handle && !old.handle.done) void old.handle.stop(0);

      let kind = runtimeKind(spec.image);
      // a kube-dns pod answers on dnsmasq's port 53; its kubedns container idles beside it
      if (kind === 'kube-dns' && /kube-dns/.test(imageRepository(spec.image ?? '')) &&
          view.spec.containers.some((c) => /dnsmasq/.test(imageRepository(c.image ?? '')))) kind = 'kube-dns-sidecar';
      const pids = pidNamespaces.forContainer(view, containerName);
      if (kind === 'coredns' || kind === 'kube-dns') {
        const release = registerMain(pids, mainProcesses(spec, kind));
        entry.handle = await startDnsContainer(view, spec, kind, ctx, log);
        release(entry.handle.exited);
      } else if (kind === 'busybox') {
        entry.busybox = new BusyboxContainer(view, spec, ctx, log, undefined, pids);
        entry.handle = entry.busybox.start();
      } else if (kind === 'jessie-dnsutils' || kind === 'dnsutils' || kind === 'curl' || kind === 'alpine' || kind === 'agnhost') {
        entry.busybox = new BusyboxContainer(view, spec, ctx, log, imageProfile(kind, spec.image), pids);
        entry.handle = entry.busybox.start();
      } else if (kind === 'nginx') {
        const release = registerMain(pids, mainProcesses(spec, kind));
        // one writable layer: what kubectl exec writes under the docroot, the server serves
        const layer = new Map<string, string>();
        entry.handle = await startNginxContainer(ctx, view, spec, log, layer);
        release(entry.handle.exited);
        // the server is nginx.ts; Debian's shell and coreutils beside it answer kubectl exec
        const shell = new BusyboxContainer(view, spec, ctx, log, imageProfile('nginx', spec.image), pids, layer);
        entry.exec = shell;
        // the container's end ends what kubectl exec runs in it, as the runtime kills the whole cgroup
        void entry.handle.exited.then(() => shell.stopNow());
      } else if (kind === 'goproxy') {
        const release = registerMain(pids, mainProcesses(spec, kind));
        entry.handle = await startGoproxyContainer(ctx, view, log);
        release(entry.handle.exited);
      } else {
        const release = registerMain(pids, mainProcesses(spec, kind));
        entry.handle = await startIdleContainer(ctx, view, spec, log);
        release(entry.handle.exited);
      }
      return entry.handle;
    },

    async probe(pod, container, probe) {
      const e = entryOf(pod, container);
      const view = e?.pod ?? podView(pod);
      const spec = findContainer(view, container);
      if (!spec || !e?.handle || e.handle.done) return { ok: false, output: `container ${container} is not running` };
      const shell = e.busybox ?? e.exec;
      const exec = shell ? (command: string[], io: ProcessStreams) => shell.exec(command, io) : undefined;
      return runProbe(ctx, { ...view, hostIP: view.hostIP ?? podView(pod).hostIP }, spec, probe, exec);
    },

    async exec(pod, container, command, io: ProcessStreams) {
      const e = entryOf(pod, container);
      if (!e?.handle || e.handle.done) throw badRequest(`container ${container} is not running`);
      // DNS and idle images have no shell or other binaries to exec
      const shell = e.busybox ?? e.exec;
      if (!shell) throw execNotFound(command[0] ?? '');
      return shell.exec(command, io);
    },

    async attach(pod, container, io: ProcessStreams) {
      const e = entryOf(pod, container);
      if (!e?.handle || e.handle.done) throw badRequest(`container ${container} is not running`);
      if (e.busybox) return e.busybox.attach(io);
      // images without stdin: attach shows what they print from now on
      const stream = e.log.read({ follow: true, tailLines: 0 });
      stream.pipe(io.stdout, { end: false });
      await Promise.race([e.handle.exited, new Promise<void>((r) => io.stdout.once('close', () => r()))]);
      stream.destroy();
      return 0;
    },

    portForward(pod, port) {
      return dialPodPort(proxy, pod, port);
    },

    logs(pod, lo: LogOptions): Readable {
      const container = lo.container ?? defaultContainer(pod);
      const e = entryOf(pod, container);
      const name = pod.metadata.name ?? '';
      if (lo.previous) {
        // "previous" is the last terminated instance: while the container waits to restart
        // (CrashLoopBackOff) that is the run that just ended
        const last = e?.handle?.done ? e.log : e?.previous;
        if (!last) throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
        return last.read({ ...lo, follow: false });
      }
      if (!e) return Readable.from([]);
      return e.log.read(lo);
    },

    logAs(pod, container, source, message, severity) {
      const e = entryOf(pod, container);
      if (e?.handle && !e.handle.done) e.log.line(`${glog(source, new Date(), severity)} ${message}`);
    },

    forgetPod(podUid) {
      pidNamespaces.forget(podUid);
      for (const [k, e] of entries) {
        if (e.pod.uid !== podUid) continue;
        if (e.handle && !e.handle.done) {
          e.busybox?.stopNow();
          void e.handle.stop(0);
        }
        entries.delete(k);
        if (e.pod.podIP && ![...entries.values()].some((o) => o.pod.podIP === e.pod.podIP)) proxy.backends.removePod(e.pod.podIP);
      }
    },

    async close() {
      const stops: Promise<void>[] = [];
      for (const e of entries.values()) {
        if (e.handle && !e.handle.done) {
          e.busybox?.stopNow();
          stops.push(e.handle.stop(0));
        }
      }
      await Promise.all(stops);
      entries.clear();
      if (resolver) await (await resolver).close();
      resolver = undefined;
      resolverAddress = undefined;
    },
  };
}
