// One probe of a running container, as the kubelet's prober (pkg/kubelet/prober/prober.go and
// pkg/probe/{http,tcp,exec}) runs it: httpGet and tcpSocket from the node to the pod's
// listeners (the ports its runtime registered under the pod IP), exec inside the container.
// The failure output is the prober's own text, which the kubelet puts in the Unhealthy event.
import http from 'node:http';
import net from 'node:net';
import { Writable } from 'node:stream';
import type { ProbeResult, ProbeSpec, ProcessStreams } from '../contracts.ts';
import type { ContainerSpec, PodView } from './pod-spec.ts';
import type { RuntimeContext } from './runtime-context.ts';

/** exec a command in the container with these streams; rejects when the binary is missing */
export type ContainerExec = (command: string[], io: ProcessStreams) => Promise<number>;

function resolvePort(spec: ContainerSpec, port: number | string): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return spec.ports?.find((p) => p.name === port)?.containerPort;
}

function timeoutMs(probe: ProbeSpec): number {
  return (probe.timeoutSeconds ?? 1) * 1000;
}

async function httpProbe(ctx: RuntimeContext, pod: PodView, spec: ContainerSpec, probe: ProbeSpec): Promise<ProbeResult> {
  const get = probe.httpGet!;
  const port = resolvePort(spec, get.port);
  if (port === undefined) return { ok: false, output: `unable to find port "${get.port}" in container ${spec.name}` };
  const host = get.host || pod.podIP;
  const path = get.path ? (get.path.startsWith('/') ? get.path : `/${get.path}`) : '/';
  const url = `${(get.scheme ?? 'HTTP').toLowerCase()}://${host}:${port}${path}`;
  const real = ctx.proxy.backends.lookup(host, port, 'TCP');
  if (!real) return { ok: false, output: `Get "${url}": dial tcp ${host}:${port}: connect: connection refused` };
  const headers: Record<string, string> = { Host: `${host}:${port}`, 'User-Agent': `kube-probe/1.32`, Accept: '*/*', Connection: 'close' };
  for (const h of get.httpHeaders ?? []) headers[h.name] = h.value;
  return new Promise<ProbeResult>((resolve) => {
    let forget: (() => void) | undefined;
    const done = (r: ProbeResult) => {
      forget?.();
      clearTimeout(timer);
      resolve(r);
    };
    const req = http.get({ host: real.host, port: real.port, path, headers }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      // pkg/probe/http: 2xx and 3xx succeed (redirects to other hosts are not followed here)
      done(code >= 200 && code < 400 ? { ok: true, output: '' } : { ok: false, output: `HTTP probe failed with statuscode: ${code}` });
    });
    // the kubelet probes from the node: the listener sees the node's IP
    req.on('socket', (sock) => sock.once('connect', () => {
      if (pod.hostIP && sock.localPort) forget = ctx.proxy.clients.register(sock.localPort, 'tcp', pod.hostIP);
    }));
    req.on('error', (err) => done({ ok: false, output: `Get "${url}": read tcp ${pod.hostIP ?? ''}->${host}:${port}: ${err.message}` }));
    const timer = setTimeout(() => {
      req.destroy();
      done({ ok: false, output: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` });
    }, timeoutMs(probe));
  });
}

async function tcpProbe(ctx: RuntimeContext, pod: PodView, spec: ContainerSpec, probe: ProbeSpec): Promise<ProbeResult> {
  const t = probe.tcpSocket!;
  const port = resolvePort(spec, t.port);
  if (port === undefined) return { ok: false, output: `unable to find port "${t.port}" in container ${spec.name}` };
  const host = t.host || pod.podIP;
  const real = ctx.proxy.backends.lookup(host, port, 'TCP');
  if (!real) return { ok: false, output: `dial tcp ${host}:${port}: connect: connection refused` };
  return new Promise<ProbeResult>((resolve) => {
    const sock = net.connect(real.port, real.host);
    const timer = setTimeout(() => {
      sock.destroy();
      resolve({ ok: false, output: `dial tcp ${host}:${port}: i/o timeout` });
    }, timeoutMs(probe));
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ ok: true, output: '' });
    });
    sock.once('error', () => {
      clearTimeout(timer);
      resolve({ ok: false, output: `dial tcp ${host}:${port}: connect: connection refused` });
    });
  });
}

async function execProbe(probe: ProbeSpec, exec: ContainerExec | undefined): Promise<ProbeResult> {
  const command = probe.exec?.command ?? [];
  let output = '';
  const sink = new Writable({ write(chunk, _enc, cb) { output += String(chunk); cb(); } });
  if (!exec) return { ok: false, output: `OCI runtime exec failed: exec failed: unable to start container process: exec: "${command[0] ?? ''}": executable file not found in $PATH: unknown` };
  const ctl = new AbortController();
  const io: ProcessStreams = { stdout: sink, stderr: sink, tty: false };
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), timeoutMs(probe)); });
  try {
    const code = await Promise.race([exec(command, io), timedOut]);
    if (code === 'timeout') {
      ctl.abort();
      sink.destroy();
      return { ok: false, output: `command "${command.join(' ')}" timed out` };
    }
    return code === 0 ? { ok: true, output } : { ok: false, output };
  } catch (err) {
    // the runtime could not start the command: pkg/probe/exec reports the runtime's error
    return { ok: false, output: (err as Error).message.replace(/^error executing command in container: /, '') };
  } finally {
    clearTimeout(timer);
  }
}

export async function runProbe(
  ctx: RuntimeContext,
  pod: PodView,
  spec: ContainerSpec,
  probe: ProbeSpec,
  exec?: ContainerExec,
): Promise<ProbeResult> {
  if (probe.httpGet) return httpProbe(ctx, pod, spec, probe);
  if (probe.tcpSocket) return tcpProbe(ctx, pod, spec, probe);
  if (probe.exec) return execProbe(probe, exec);
  // gRPC probes are not emulated: the kubelet's own default for a probe without a handler
  return { ok: true, output: '' };
}
