// Containers whose image the lab does not emulate (dns-controller, the autoscaler, kube-dns's
// sidecar): Running, doing nothing, with the first log lines their real image prints, so
// `kubectl logs` looks like the 2017 cluster rather than empty.
import type { ContainerLog } from './container-log.ts';
import type { ContainerSpec, PodView } from './pod-spec.ts';
import { imageRepository } from './image-kind.ts';
import { ProcessHandle } from './process-handle.ts';
import { startHttpListener, type HttpHandler, type HttpListener } from './http-listener.ts';
import { startNginx } from './nginx.ts';
import type { RuntimeContext } from './runtime-context.ts';

/** glog's header: I1103 01:20:12.345678       1 file.go:48] (E for an error line) */
export function glog(file: string, d = new Date(), severity: 'I' | 'E' = 'I'): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${severity}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}${p(Math.floor(Math.random() * 1000), 3)}       1 ${file}]`;
}

function tagOf(image: string | undefined): string {
  const m = /:([^/:@]+)(@.*)?$/.exec(image ?? '');
  return m ? m[1] : 'latest';
}

/**
 * k8s-dns-dnsmasq-nanny 1.14.5: the nanny's glog lines around dnsmasq 2.78's own start-up, as
 * the nanny relays dnsmasq's stderr (nanny.go:108) until the stream ends. `nameserver` is the
 * upstream /etc/resolv.conf gives dnsmasq (dnsPolicy: Default: the node's resolver).
 */
export function dnsmasqNannyLines(spec: ContainerSpec, nameserver: string): string[] {
  const args = spec.args ?? [];
  const sep = args.indexOf('--');
  const dnsmasq = sep >= 0 ? args.slice(sep + 1) : ['-k', '--cache-size=1000', '--log-facility=-'];
  const servers = dnsmasq.map((a) => /^--server=\/([^/]+)\/(.+)$/.exec(a)).filter((m): m is RegExpExecArray => m !== null);
  const cache = /^--cache-size=(\d+)$/.exec(dnsmasq.find((a) => a.startsWith('--cache-size=')) ?? '')?.[1] ?? '150';
  const say = (text: string) => `${glog('nanny.go:108')} dnsmasq[10]: ${text}`;
  const domains = [...servers].reverse().map((m) => say(`using nameserver ${m[2]} for domain ${m[1]}`));
  return [
    `${glog('main.go:76')} opts: {{/usr/sbin/dnsmasq [${dnsmasq.join(' ')}] true} /etc/k8s/dns/dnsmasq-nanny 10000000000}`,
    `${glog('nanny.go:86')} Starting dnsmasq [${dnsmasq.join(' ')}]`,
    `${glog('nanny.go:111')} `,
    `W${glog('nanny.go:112').slice(1)} Got EOF from stdout`,
    say(`started, version 2.78 cachesize ${cache}`),
    say('compile time options: IPv6 GNU-getopt no-DBus no-i18n no-IDN DHCP DHCPv6 no-Lua TFTP no-conntrack ipset auth no-DNSSEC loop-detect inotify'),
    ...domains,
    say('reading /etc/resolv.conf'),
    ...domains,
    say(`using nameserver ${nameserver}#53`),
    say('read /etc/hosts - 7 addresses'),
  ];
}

export function idleLogLines(pod: PodView, spec: ContainerSpec): string[] {
  const repo = imageRepository(spec.image ?? '');
  const last = repo.split('/').pop() ?? '';
  const tag = tagOf(spec.image);
  const ns = pod.namespace;
  if (/k8s-dns-sidecar/.test(last)) {
    return [
      `ERROR: logging before flag.Parse: ${glog('main.go:48')} Version v1.14.4-2-g5584e04`,
      `ERROR: logging before flag.Parse: ${glog('server.go:45')} Starting server (options {DnsMasqPort:53 DnsMasqAddr:127.0.0.1 DnsMasqPollIntervalMs:5000 Probes:[{Label:kubedns Server:127.0.0.1:10053 Name:kubernetes.default.svc.cluster.local. Interval:5s Type:1} {Label:dnsmasq Server:127.0.0.1:53 Name:kubernetes.default.svc.cluster.local. Interval:5s Type:1}] PrometheusAddr:0.0.0.0 PrometheusPort:10054 PrometheusPath:/metrics PrometheusNamespace:kubedns})`,
      `ERROR: logging before flag.Parse: ${glog('dnsprobe.go:75')} Starting dnsProbe {Label:kubedns Server:127.0.0.1:10053 Name:kubernetes.default.svc.cluster.local. Interval:5s Type:1}`,
      `ERROR: logging before flag.Parse: ${glog('dnsprobe.go:75')} Starting dnsProbe {Label:dnsmasq Server:127.0.0.1:53 Name:kubernetes.default.svc.cluster.local. Interval:5s Type:1}`,
    ];
  }
  if (/k8s-dns-kube-dns/.test(last)) {
    return [
      `${glog('dns.go:48')} version: 1.14.4-2-g5584e04`,
      `${glog('server.go:70')} Using configuration read from directory: /kube-dns-config with period 10s`,
      `${glog('server.go:113')} FLAG: --domain="cluster.local."`,
      `${glog('server.go:176')} Starting SkyDNS server (0.0.0.0:10053)`,
      `${glog('server.go:198')} Skydns metrics enabled (/metrics:10055)`,
      `${glog('dns.go:147')} Starting endpointsController`,
      `${glog('dns.go:150')} Starting serviceController`,
      `${glog('logs.go:41')} skydns: ready for queries on cluster.local. for tcp://0.0.0.0:10053 [rcache 0]`,
      `${glog('logs.go:41')} skydns: ready for queries on cluster.local. for udp://0.0.0.0:10053 [rcache 0]`,
      `${glog('dns.go:171')} Initialized services and endpoints from apiserver`,
      `${glog('server.go:129')} Setting up Healthz Handler (/readiness)`,
      `${glog('server.go:134')} Setting up cache handler (/cache)`,
      `${glog('server.go:120')} Status HTTP port 8081`,
    ];
  }
  if (/k8s-dns-dnsmasq/.test(last)) return dnsmasqNannyLines(spec, '127.0.0.1');
  if (/dns-controller/.test(last)) {
    return [
      `dns-controller version ${tag}`,
      `${glog('dnscontroller.go:108')} starting DNS controller`,
      `${glog('dnscontroller.go:170')} scope not yet ready: service`,
      `${glog('pod.go:60')} starting pod controller`,
      `${glog('service.go:59')} starting service controller`,
      `${glog('node.go:60')} starting node controller`,
    ];
  }
  if (/cluster-proportional-autoscaler/.test(last)) {
    const target = (spec.command ?? []).concat(spec.args ?? []).find((a) => a.startsWith('--target='))?.slice(9) ?? 'Deployment/kube-dns';
    return [
      `${glog('autoscaler.go:49')} Scaling Namespace: ${ns}, Target: ${target.toLowerCase()}`,
      `${glog('autoscaler_server.go:133')} ConfigMap not found: configmaps "kube-dns-autoscaler" not found, will create one with default params`,
      `${glog('k8sclient.go:117')} Created ConfigMap kube-dns-autoscaler in namespace ${ns}`,
      `${glog('linear_controller.go:55')} ConfigMap version change (old:  new: 1) - rebuilding params`,
      `${glog('linear_controller.go:56')} Params from apiserver: \n{"coresPerReplica":256,"nodesPerReplica":16,"preventSinglePointFailure":true}`,
    ];
  }
  return [];
}

/**
 * The HTTP endpoints these images serve, for their probes and for wget: kube-dns's readiness
 * (8081 /readiness) and the sidecar's health checks and metrics (10054), as kube-dns 1.14's
 * manifests probe them. The kube-dns stand-in answers DNS, so they report healthy.
 */
export function idleHttpEndpoints(spec: ContainerSpec): Array<{ port: number; paths: Record<string, string> }> {
  const last = imageRepository(spec.image ?? '').split('/').pop() ?? '';
  if (/^k8s-dns-kube-dns/.test(last)) {
    return [{ port: 8081, paths: { '/readiness': 'ok' } }, { port: 10055, paths: { '/metrics': '# HELP kubedns_kubedns_errors_total Number of errors\n' } }];
  }
  if (/^k8s-dns-sidecar/.test(last)) {
    const metrics = ['# HELP kubedns_dnsmasq_errors Number of DNS packets received by dnsmasq that resulted in an error.',
      '# TYPE kubedns_dnsmasq_errors counter', 'kubedns_dnsmasq_errors 0', ''].join('\n');
    return [{ port: 10054, paths: { '/metrics': metrics, '/healthcheck/kubedns': 'ok', '/healthcheck/dnsmasq': 'ok' } }];
  }
  return [];
}

/** Go's net/http mux over fixed bodies: 200 with the body, else its "404 page not found" */
export function endpointHandler(paths: Record<string, string>): HttpHandler {
  return (req, res) => {
    const body = paths[(req.url ?? '/').split('?')[0]];
    res.writeHead(body === undefined ? 404 : 200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(body ?? '404 page not found\n');
  };
}

export async function startIdleContainer(
  ctx: RuntimeContext,
  pod: PodView,
  spec: ContainerSpec,
  log: ContainerLog,
): Promise<ProcessHandle> {
  const h = new ProcessHandle();
  for (const l of idleLogLines(pod, spec)) log.line(l);
  const listeners: HttpListener[] = [];
  if (pod.podIP) {
    for (const ep of idleHttpEndpoints(spec)) {
      listeners.push(await startHttpListener(ctx, pod, ep.port, endpointHandler(ep.paths)));
    }
  }
  // these images handle SIGTERM and exit cleanly
  return servingProcess(h, listeners, log, { exitCode: 0, reason: 'Completed' });
}

/**
 * A container whose main process is its listeners: ready from the start; a stop closes them, then
 * its log, then it exits with `exit` (how the image's process answers SIGTERM).
 */
export function servingProcess(
  h: ProcessHandle, listeners: Array<Pick<HttpListener, 'close'>>, log: ContainerLog, exit: { exitCode: number; reason: string },
): ProcessHandle {
  h.setReady(() => true);
  h.onStop(() => {
    void Promise.all(listeners.map((l) => l.close())).then(() => {
      log.close();
      h.exit(exit);
    });
  });
  return h;
}

/** nginx: its default server on port 80 (nginx.ts); exits 0 on SIGTERM (its quick shutdown) */
export async function startNginxContainer(
  ctx: RuntimeContext,
  pod: PodView,
  spec: ContainerSpec,
  log: ContainerLog,
  layer?: ReadonlyMap<string, string>,
): Promise<ProcessHandle> {
  const h = new ProcessHandle();
  const listener = pod.podIP ? await startNginx(ctx, pod, spec, log, layer) : undefined;
  return servingProcess(h, listener ? [listener] : [], log, { exitCode: 0, reason: 'Completed' });
}
