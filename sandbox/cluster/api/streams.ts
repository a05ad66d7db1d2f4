// pods/exec and pods/attach over WebSocket (v5.channel.k8s.io, v4 for older clients) and
// pods/log as a chunked text stream. The API checks the pod and container the way the real
// one does, then hands the streams to the PodRuntimeHost.
import type { Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import type { Obj } from '../resources/define.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { PassThrough, Writable } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { KubeObject, LogOptions, PodRuntimeHost, ProcessStreams } from '../contracts.ts';
import { badRequest, serviceUnavailable, type Status } from '../errors.ts';
import type { MemoryStore } from '../store.ts';
import { toStatus } from './respond.ts';
import { queryBool } from './query.ts';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const enum Channel {
  Stdin = 0,
  Stdout = 1,
  Stderr = 2,
  Error = 3,
  Resize = 4,
  Close = 255,
}

/** which container a request means: the named one, or the only one */
export function pickContainer(pod: KubeObject, requested: string | null, forLogs: boolean): string {
  const spec: Partial<PodSpec> = (pod as Obj<Pod>).spec ?? {};
  const names = [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])].map((c) => c.name);
  const main = (spec.containers ?? []).map((c) => c.name);
  if (!requested) {
    if (main.length === 1) return main[0];
    throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${main.join(' ')}]`);
  }
  if (!names.includes(requested)) {
    if (forLogs) throw badRequest(`container ${requested} is not valid for pod ${pod.metadata.name}`);
    throw badRequest(`container not found ("${requested}")`);
  }
  return requested;
}

function requireRunning(pod: KubeObject, container: string, forLogs: boolean, verb: 'exec into' | 'attach to' = 'exec into'): void {
  const p = pod as Obj<Pod>;
  const phase = p.status?.phase;
  if (!forLogs && (phase === 'Succeeded' || phase === 'Failed')) throw badRequest(`cannot ${verb} a container in a completed pod; current phase is ${phase}`);
  if (!p.spec?.nodeName) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
  if (forLogs) {
    const s = p.status ?? {};
    const all = [...(s.containerStatuses ?? []), ...(s.initContainerStatuses ?? []), ...(s.ephemeralContainerStatuses ?? [])];
    const st = all.find((c) => c.name === container);
    // the kubelet serves a waiting container's last terminated run (CrashLoopBackOff shows why)
    if (!st || (st.state?.waiting && !st.lastState?.terminated)) {
      const reason = st?.state?.waiting?.reason ?? 'ContainerCreating';
      throw badRequest(`container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${reason}`);
    }
    return;
  }
  const statuses = [...(p.status?.containerStatuses ?? []), ...(p.status?.ephemeralContainerStatuses ?? [])];
  const st = statuses.find((c) => c.name === container);
  if (phase !== 'Running' || !st?.state?.running) throw badRequest(`container not found ("${container}")`);
}

/** the non-101 answer to an upgrade, so kubectl prints "unable to upgrade connection: ..." */
function refuseUpgrade(socket: Duplex, status: Status): void {
  const body = JSON.stringify(status);
  const text = status.code === 404 ? 'Not Found' : status.code === 503 ? 'Service Unavailable' : 'Bad Request';
  socket.end(`HTTP/1.1 ${status.code} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function exitStatus(code: number): Status {
  if (code === 0) return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 } as Status;
  return {
    metadata: {}, status: 'Failure', message: `command terminated with non-zero exit code: exit status ${code}`, reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  } as unknown as Status;
}

/**
 * kubectl 1.32's WebSocket client starts reading frames before it has created its stream readers
 * and drops frames for a stream it does not know yet (fixed upstream in kubernetes#131203). A real
 * kubelet's process start hides that race; here a command can answer within a millisecond, so
 * output is held until the client has shown it is ready (its first frame: a resize or stdin) or
 * CLIENT_READY_MS has passed.
 */
const CLIENT_READY_MS = 150;

class ChannelWriter extends Writable {
  constructor(private readonly ws: WebSocket, private readonly channel: number, private readonly clientReady: Promise<void>) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.clientReady.then(() => {
      if (this.ws.readyState !== this.ws.OPEN) return cb();
      this.ws.send(Buffer.concat([Buffer.from([this.channel]), Buffer.from(chunk)]), { binary: true }, () => cb());
    });
  }
}

export interface StreamEnv {
  store: MemoryStore;
  runtime?: PodRuntimeHost;
}

export class ExecGateway {
  private readonly wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  private readonly open = new Set<WebSocket>();

  constructor(private readonly env: StreamEnv) {}

  /** handle an upgrade on pods/<name>/exec|attach; anything wrong is refused with a Status */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, ns: string, name: string, kind: 'exec' | 'attach'): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const q = url.searchParams;
    const isWs = (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
    try {
      const pod = this.env.store.getOrThrow('pods', ns, name);
      const container = pickContainer(pod, q.get('container'), false);
      requireRunning(pod, container, false, kind === 'exec' ? 'exec into' : 'attach to');
      const command = q.getAll('command');
      if (kind === 'exec' && command.length === 0) throw badRequest('you must specify at least 1 command');
      if (!this.env.runtime) throw serviceUnavailable('this cluster has no pod runtime attached, so exec and attach are unavailable; start the sandbox with `coredns-lab sandbox up`');
      if (!isWs) throw badRequest('this API server speaks only WebSocket streaming (v5.channel.k8s.io): use kubectl 1.30 or newer, without KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false');
      const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
      if (!offered.some((p) => PROTOCOLS.includes(p))) throw badRequest(`unable to upgrade: none of the offered subprotocols (${offered.join(', ')}) is supported; supported: ${PROTOCOLS.join(', ')}`);
      this.wss.handleUpgrade(req, socket, head, (ws) => this.run(ws, pod, container, kind, command, q));
    } catch (e) {
      refuseUpgrade(socket, toStatus(e));
    }
  }

  private run(ws: WebSocket, pod: KubeObject, container: string, kind: 'exec' | 'attach', command: string[], q: URLSearchParams): void {
    this.open.add(ws);
    const v5 = ws.protocol === 'v5.channel.k8s.io';
    const tty = queryBool(q, 'tty');
    const wantStdin = queryBool(q, 'stdin');
    const stdin = wantStdin ? new PassThrough() : undefined;
    const resize = new EventEmitter();
    let markReady!: () => void;
    const clientReady = new Promise<void>((r) => (markReady = r));
    setTimeout(markReady, CLIENT_READY_MS).unref();
    const stdout = new ChannelWriter(ws, Channel.Stdout, clientReady);
    // a TTY has one output stream
    const stderr = tty ? stdout : new ChannelWriter(ws, Channel.Stderr, clientReady);
    const io: ProcessStreams = { stdin, stdout, stderr, tty, resize };
    ws.on('message', (data: Buffer) => {
      markReady();
      const buf = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      if (buf.length === 0) return;
      const ch = buf[0];
      const payload = buf.subarray(1);
      if (ch === Channel.Stdin) stdin?.write(payload);
      else if (ch === Channel.Resize) {
        try {
          const { Width, Height } = JSON.parse(payload.toString('utf8'));
          if (Width > 0 && Height > 0) resize.emit('resize', { cols: Width, rows: Height });
        } catch {
          // a malformed resize frame is ignored, as the kubelet does
        }
      } else if (v5 && ch === Channel.Close && payload[0] === Channel.Stdin) stdin?.end();
    });
    ws.on('close', () => {
      this.open.delete(ws);
      stdin?.end();
    });
    const runtime = this.env.runtime!;
    const started = kind === 'exec' ? runtime.exec(pod, container, command, io) : runtime.attach(pod, container, io);
    // the status goes after every byte of output, so kubectl never exits before printing it all
    const drained = () =>
      Promise.all([
        clientReady,
        ...[stdout, stderr].map((w) => new Promise<void>((r) => (w.writableLength === 0 ? r() : w.write(Buffer.alloc(0), () => r())))),
      ]);
    started.then(
      async (code) => {
        await drained();
        this.finish(ws, exitStatus(code));
      },
      async (e) => {
        await drained();
        this.finish(ws, { ...toStatus(e), code: 500 });
      },
    );
  }

  private finish(ws: WebSocket, status: Status): void {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(Buffer.concat([Buffer.from([Channel.Error]), Buffer.from(JSON.stringify(status))]), { binary: true }, () => ws.close(1000));
  }

  close(): void {
    for (const ws of this.open) ws.terminate();
    this.open.clear();
    this.wss.close();
  }
}

function logOptions(q: URLSearchParams, container: string): LogOptions {
  const num = (name: string): number | undefined => {
    const v = q.get(name);
    if (v === null) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}: it must be an integer`);
    if (n < 0 || (name === 'limitBytes' && n === 0)) throw badRequest(`PodLogOptions "" is invalid: ${name}: Invalid value: ${n}: must be greater than 0`);
    return n;
  };
  const flag = (name: string) => queryBool(q, name);
  return {
    container, follow: flag('follow'), previous: flag('previous'), timestamps: flag('timestamps'),
    tailLines: num('tailLines'), sinceSeconds: num('sinceSeconds'), limitBytes: num('limitBytes'),
  };
}

/** GET pods/<name>/log */
export function serveLogs(
  env: StreamEnv,
  req: IncomingMessage,
  res: ServerResponse,
  ns: string,
  name: string,
  onClose: (fn: () => void) => () => void,
): void {
  const q = new URL(req.url ?? '/', 'http://localhost').searchParams;
  const pod = env.store.getOrThrow('pods', ns, name);
  const container = pickContainer(pod, q.get('container'), true);
  const opts = logOptions(q, container);
  requireRunning(pod, container, true);
  if (!env.runtime)
    throw serviceUnavailable(
      'this cluster has no pod runtime attached, so logs are unavailable; start the sandbox with `coredns-lab sandbox up`',
    );
  const stream = env.runtime.logs(pod, opts);
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  let sent = 0;
  let detach = () => {};
  const end = () => {
    detach();
    stream.destroy();
    if (!res.writableEnded) res.end();
  };
  stream.on('data', (chunk: Buffer | string) => {
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    if (opts.limitBytes !== undefined) {
      buf = buf.subarray(0, Math.max(0, opts.limitBytes - sent));
      sent += buf.length;
    }
    if (buf.length && !res.writableEnded) res.write(buf);
    if (opts.limitBytes !== undefined && sent >= opts.limitBytes) end();
  });
  stream.on('end', end);
  stream.on('error', end);
  req.on('close', end);
  detach = onClose(end);
}
