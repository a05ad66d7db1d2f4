// A DNS container: the real dns-server, in-process, started the way the container's image would
// start it (CoreDNS flags and the Corefile from the mounted ConfigMap, or, for the kube-dns
// images, the Corefile equivalent to kube-dns). It is confined to the pod: every file it reads
// resolves in the container's own view (container-fs.ts) and every upstream it sends to is
// routed on the emulated network (pod-network.ts). Its listeners get loopback ports registered
// with the service proxy under the pod IP; its log lines go to the container log, with pod IPs
// for clients. With credentials, its kubernetes plugin uses the in-cluster config (the mounted
// ServiceAccount token, KUBERNETES_SERVICE_HOST/PORT). A start failure (bad Corefile) is an exit
// with code 1 and the error in the log, which the kubelet turns into CrashLoopBackOff.
import type { ContainerLog } from '../container-log.ts';
import { COREDNS_IMAGE, PodFiles } from '../pod-files.ts';
import { podRoute } from '../pod-network.ts';
import { serviceVIP } from '../../proxy/service-endpoints.ts';
import { containerFiles } from './container-fs.ts';
import type { ContainerSpec, PodView } from '../pod-spec.ts';
import { ProcessHandle } from '../process-handle.ts';
import type { RuntimeContext } from '../runtime-context.ts';
import type { Protocol } from '../../proxy/index.ts';
import { CorednsArgsError, parseCorednsArgs } from './coredns-args.ts';
import { kubeDnsCorefile, kubeDnsPort, kubeDnsReply } from './kube-dns-corefile.ts';
import { dnsmasqNannyLines, endpointHandler, idleHttpEndpoints, idleLogLines } from '../idle-container.ts';
import { imageRepository } from '../image-kind.ts';
import { startHttpListener } from '../http-listener.ts';
import { freePorts } from './port-pool.ts';
import { startServer, type RunningServer } from './server-api.ts';

export type DnsFlavor = 'coredns' | 'kube-dns';

type ListenKind = 'dns' | 'health' | 'ready' | 'metrics';

/** CoreDNS's image has ENTRYPOINT ["/coredns"]: a command replaces it, args follow it */
export function corednsFlags(spec: ContainerSpec): string[] {
  if (spec.command?.length) return [...spec.command.slice(1), ...(spec.args ?? [])];
  return spec.args ?? [];
}

export async function startDnsContainer(
  pod: PodView,
  spec: ContainerSpec,
  flavor: DnsFlavor,
  ctx: RuntimeContext,
  log: ContainerLog,
): Promise<ProcessHandle> {
  const h = new ProcessHandle();
  const files = new PodFiles(pod, spec, ctx.store, ctx.dns, { image: COREDNS_IMAGE, credentials: ctx.credentials });
  // the node resolver must be up before the server routes its first query there
  await ctx.upstream();
  const unregister: Array<() => void> = [];
  let server: RunningServer | undefined;

  const finish = (exitCode: number, message?: string) => {
    for (const u of unregister.splice(0)) u();
    log.close();
    h.exit({ exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', message });
  };

  let conf: string | undefined;
  let corefile: string | undefined;
  let dnsPort: number | undefined;
  // the kube-dns images log in their own formats (glog, dnsmasq), never CoreDNS's banner
  let ownLines: string[] | undefined;
  try {
    if (flavor === 'coredns') {
      const flags = parseCorednsArgs(corednsFlags(spec));
      if (flags.version || flags.plugins) {
        // these print and exit 0; a Deployment running them restarts them forever, as on a real cluster
        log.line(flags.version ? 'CoreDNS-1.11.3\nlinux/amd64, coredns-lab-dns-server' : 'Server types:\n  dns\n');
        finish(0);
        return h;
      }
      dnsPort = flags.dnsPort;
      conf = flags.conf;
    } else {
      // dnsmasq forwarded everything else to the node's nameserver
      const nodeNameserver = ctx.dns.nodeResolvConf(pod).nameservers[0] ?? '127.0.0.1';
      ownLines = /dnsmasq/.test(imageRepository(spec.image ?? '')) ? dnsmasqNannyLines(spec, nodeNameserver) : idleLogLines(pod, spec);
      corefile = kubeDnsCorefile({
        clusterDomain: ctx.dns.clusterDomain,
        port: kubeDnsPort(spec.args ?? []),
        upstream: `${nodeNameserver}:53`,
      });
    }
  } catch (err) {
    if (!(err instanceof CorednsArgsError)) throw err;
    log.line(err.message);
    finish(2, err.message);
    return h;
  }

  const pool = await freePorts(6);
  // one loopback port per Corefile address for the container's life: a reload asks again for the
  // addresses it keeps (health, ready, metrics are acquired before the old ones are released) and
  // must get the same one, or the pod's :8080 would point at a port nobody listens on
  const mapped = new Map<string, { host: string; port: number }>();
  const mapListen = (kind: ListenKind, _host: string, port: number) => {
    const key = `${kind === 'dns' ? 'dns' : 'http'}/${port}`;
    const known = mapped.get(key);
    if (known) return known;
    const real = { host: '127.0.0.1', port: pool.shift() ?? 0 };
    if (pool.length < 2)
      void freePorts(2).then(
        (more) => pool.push(...more),
        () => undefined,
      );
    const protocols: Protocol[] = kind === 'dns' ? ['UDP', 'TCP'] : ['TCP'];
    if (real.port !== 0) {
      mapped.set(key, real);
      // the kube-dns images' HTTP ports are their own (idleHttpEndpoints: kubedns's 8081
      // /readiness, the sidecar's 10054): the stand-in Corefile's health/ready/metrics stay
      // inside the container, or they would shadow the ports the pod's probes ask
      const published = flavor === 'coredns' || kind === 'dns';
      if (published) for (const p of protocols) unregister.push(ctx.proxy.backends.register(pod.podIP, port, p, real));
    }
    return real;
  };

  const env: Record<string, string | undefined> = {
    POD_IP: pod.podIP,
    HOSTNAME: pod.name,
    POD_NAMESPACE: pod.namespace,
    HOME: '/',
    PATH: '/',
  };
  const apiVIP = serviceVIP(ctx.store, 'default', 'kubernetes');
  if (ctx.credentials && apiVIP) {
    // what the kubelet puts in every container: the in-cluster config's address
    env.KUBERNETES_SERVICE_HOST = apiVIP;
    env.KUBERNETES_SERVICE_PORT = '443';
  }
  try {
    server = await startServer({
      conf,
      corefile,
      dnsPort,
      hooks: {
        mapListen,
        mapClient: (address, port, transport) => ctx.proxy.clients.mapClient(address, port, transport),
        // DNS pods use the in-cluster config (their ServiceAccount's bindings; the kube-dns
        // stand-in's extra reads are granted by coredns-lab:kube-dns-stand-in). Without
        // credentials (unit tests) the plugin reads the sandbox's own kubeconfig
        kubeconfig: ctx.credentials ? undefined : ctx.kubeconfig,
        files: containerFiles(files, spec.workingDir || '/'),
        // kube-dns's wire details (RA, SRV priority 10, names compressed as dnsmasq and SkyDNS's
        // miekg/dns sent them): CoreDNS's own replies stay untouched
        ...(flavor === 'kube-dns' ? { mapReply: kubeDnsReply, compressAll: true } : {}),
        mapUpstream: (host, port, transport) => {
          const r = podRoute(ctx, pod, host, port, transport === 'udp' ? 'UDP' : 'TCP');
          return typeof r === 'string' ? 'unreachable' : r;
        },
      },
      log: (line) => {
        if (!ownLines) log.line(line);
      },
      env,
    });
  } catch (err) {
    log.line((err as Error).message);
    finish(1, (err as Error).message);
    return h;
  }

  const running = server;
  for (const line of ownLines ?? []) log.line(line);
  // a kube-dns container on its own (no dnsmasq beside it) still answers its image's probe ports
  const own = flavor === 'kube-dns' && pod.podIP
    ? await Promise.all(idleHttpEndpoints(spec).map((ep) => startHttpListener(ctx, pod, ep.port, endpointHandler(ep.paths))))
    : [];
  h.setReady(() => running.ready());
  h.onStop(() => {
    void Promise.all(own.map((l) => l.close())).then(() => running.stop()).then(() => finish(0), () => finish(0));
  });
  running.onFatal((message) => {
    log.line(message);
    running
      .stop()
      .catch(() => undefined)
      .then(() => finish(1, message));
  });
  return h;
}
