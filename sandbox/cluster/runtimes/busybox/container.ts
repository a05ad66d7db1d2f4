// A busybox container: its main process (command/args, or the image's `sh`), whose output goes
// to the container log and to attached clients, plus any number of exec sessions.
import { PassThrough, Writable } from 'node:stream';
import type { ProcessStreams } from '../../contracts.ts';
import { execNotFound, startNotFound } from '../exec-errors.ts';
import type { Protocol, ServiceProxy } from '../../proxy/index.ts';
import { podRoute } from '../pod-network.ts';
import type { ContainerLog } from '../container-log.ts';
import { containerEnv } from '../container-env.ts';
import { kernelHostname, parseResolvConf, PodFiles, type ImageFiles } from '../pod-files.ts';
import type { ContainerSpec, PodView } from '../pod-spec.ts';
import { KILLED, ProcessHandle, reasonFor } from '../process-handle.ts';
import { PidNamespace } from '../pid-namespace.ts';
import type { RuntimeContext } from '../runtime-context.ts';
import { appletName, binEntries } from './applets.ts';
import type { ShellState, Toolbox } from './context.ts';
import { DnsClient, type Libc } from './dns-client.ts';
import { runBusyboxProcess } from './process.ts';
import type { ShellEnvironment } from './shell.ts';

/** kubectl run -it starts the pod and only then attaches: the main process waits this long for it */
const FIRST_ATTACH_WAIT_MS = 10_000;

/** argv of the main process: command replaces the image's ENTRYPOINT (none), args its CMD (sh) */
export function mainArgv(spec: ContainerSpec): string[] {
  if (spec.command?.length) return [...spec.command, ...(spec.args ?? [])];
  return spec.args?.length ? [...spec.args] : ['sh'];
}

/** an image other than busybox run by this shell: its commands, files, C library and entrypoint */
export interface ImageProfile {
  toolbox: Toolbox;
  files: ImageFiles;
  libc: Libc;
  /** argv of the main process, from the image's ENTRYPOINT/CMD and the container's command/args */
  mainArgv(spec: ContainerSpec): string[];
  /**
   * the exit code of a main process with this argv that SIGTERM ends at once (a Go server); undefined:
   * it ignores SIGTERM as PID 1 (sh, sleep) and the kubelet kills it after the grace period
   */
  termExit?(argv: string[]): number | undefined;
}

export class BusyboxContainer {
  readonly #pod: PodView;
  readonly #spec: ContainerSpec;
  readonly #ctx: RuntimeContext;
  readonly #log: ContainerLog;
  readonly #env: ShellEnvironment;
  readonly #profile: ImageProfile | undefined;
  readonly #stop = new AbortController();
  readonly #attached = new Set<ProcessStreams>();
  readonly #stdin: PassThrough | undefined;
  /** the PID namespace its processes run in (its own, the pod's shared one, or a debug target's) */
  readonly #pids: PidNamespace;
  /** PIDs of the execs running ps directly: ps lists itself then, not as a shell's child */
  readonly #psExecs = new Set<number>();
  /** the container's writable layer: what any of its processes wrote, seen by all of them (nginx's server too) */
  readonly #written: Map<string, string>;
  #firstAttach!: () => void;
  readonly #firstAttached: Promise<void>;
  readonly handle = new ProcessHandle();

  constructor(
    pod: PodView, spec: ContainerSpec, ctx: RuntimeContext, log: ContainerLog, profile?: ImageProfile, pids = new PidNamespace(),
    layer = new Map<string, string>(),
  ) {
    this.#written = layer;
    this.#pod = pod;
    this.#pids = pids;
    this.#profile = profile;
    this.#spec = spec;
    this.#ctx = ctx;
    this.#log = log;
    this.#stdin = spec.stdin ? new PassThrough() : undefined;
    this.#firstAttached = new Promise((r) => { this.#firstAttach = r; });
    const files = new PodFiles(pod, spec, ctx.store, ctx.dns, profile
      ? { image: profile.files, extraDirs: profile.toolbox.dirs, credentials: ctx.credentials }
      : { extraDirs: { '/bin': binEntries() }, credentials: ctx.credentials });
    const proxy: ServiceProxy = ctx.proxy;
    // the node resolver is started on first use, so a route to it waits for it
    const route = async (ip: string, port: number, protocol: Protocol) => {
      await ctx.upstream();
      return podRoute(ctx, pod, ip, port, protocol);
    };
    this.#env = {
      files,
      podIP: pod.podIP,
      hostname: kernelHostname(pod, ctx.dns.clusterDomain),
      dns: new DnsClient({ podIP: pod.podIP, proxy, timeoutMs: ctx.dnsTimeoutMs, route, libc: profile?.libc }),
      toolbox: profile?.toolbox,
      route,
      resolvConf: () => parseResolvConf(files.read('/etc/resolv.conf') ?? ''),
      proxy,
      processes: (psArgs: string) => {
        const list = this.#pids.list();
        // ps run from a shell is that shell's child
        if (!list.some((p) => this.#psExecs.has(p.pid))) list.push({ pid: this.#pids.peek(), uid: 0, args: psArgs });
        return list;
      },
    };
  }

  #state(tty: boolean): ShellState {
    const env = containerEnv(this.#pod, this.#spec, this.#ctx.store);
    if (tty) env.set('TERM', 'xterm');
    env.set('SHLVL', '1');
    env.set('PWD', '/');
    return { env, cwd: '/', written: this.#written, lastStatus: 0, tty, columns: 80 };
  }

  start(): ProcessHandle {
    const argv = this.#profile ? this.#profile.mainArgv(this.#spec) : mainArgv(this.#spec);
    const h = this.handle;
    if (!appletName(argv, this.#profile?.toolbox)) {
      // the runtime cannot start the process: the kubelet shows StartError / RunContainerError
      h.exit({ exitCode: 128, reason: 'StartError', message: startNotFound(argv[0]) });
      this.#log.close();
      return h;
    }
    // busybox readiness is its process running: exec probes would run applets that always succeed here
    h.setReady(() => true);
    const termExit = this.#profile?.termExit?.(argv);
    let terminated = false;
    h.onStop((graceMs) => {
      if (termExit !== undefined) {
        terminated = true;
        this.#stop.abort();
        return;
      }
      // sh and sleep run as PID 1 and ignore SIGTERM, so the kubelet kills them after the grace period
      const t = setTimeout(() => this.#stop.abort(), graceMs);
      t.unref();
    });
    const tty = this.#spec.tty === true;
    const log = this.#log;
    const fanOut = (which: 'stdout' | 'stderr') => new Writable({
      write: (chunk, _enc, cb) => {
        log.write(chunk);
        for (const a of this.#attached) {
          const w = tty || which === 'stdout' ? a.stdout : a.stderr;
          if (!w.destroyed && !w.writableEnded) w.write(chunk);
        }
        cb();
      },
    });
    const mainPid = this.#pids.spawn(argv.join(' '));
    // ps as the main process (`kubectl run -- ps`, `kubectl debug --target -- ps`) lists itself once, as PID 1 or its PID
    if (appletName(argv, this.#profile?.toolbox)?.name === 'ps') this.#psExecs.add(mainPid);
    void h.exited.then(() => { this.#pids.exit(mainPid); this.#psExecs.delete(mainPid); });
    const run = async () => {
      // with stdin open (run -i, with or without -t) the main process waits for its first attach,
      // so the client sees the whole output rather than what came after it connected
      if (this.#stdin) {
        const waited = new Promise<void>((r) => setTimeout(r, FIRST_ATTACH_WAIT_MS).unref());
        await Promise.race([this.#firstAttached, waited, new Promise<void>((r) => this.#stop.signal.addEventListener('abort', () => r(), { once: true }))]);
      }
      const code = await runBusyboxProcess({
        env: this.#env,
        state: this.#state(tty),
        argv,
        io: { stdin: this.#stdin, stdout: fanOut('stdout'), stderr: fanOut('stderr'), tty },
        signal: this.#stop.signal,
      });
      if (terminated && termExit !== undefined) return { exitCode: termExit, reason: reasonFor(termExit) };
      return this.#stop.signal.aborted ? KILLED : { exitCode: code, reason: reasonFor(code) };
    };
    run().then(
      (status) => { log.close(); h.exit(status); },
      (err: Error) => { log.line(`sh: ${err.message}`); log.close(); h.exit({ exitCode: 2, reason: 'Error', message: err.message }); },
    );
    return h;
  }

  /** kubectl exec: a new process in the container; an unknown binary fails as the runtime fails it */
  async exec(command: string[], io: ProcessStreams): Promise<number> {
    if (!appletName(command, this.#profile?.toolbox)) throw execNotFound(command[0] ?? '');
    const ctl = new AbortController();
    const onStop = () => ctl.abort();
    this.#stop.signal.addEventListener('abort', onStop, { once: true });
    const gone = () => ctl.abort();
    io.stdout.once('close', gone);
    const pid = this.#pids.spawn(command.join(' '));
    if (appletName(command, this.#profile?.toolbox)?.name === 'ps') this.#psExecs.add(pid);
    try {
      return await runBusyboxProcess({ env: this.#env, state: this.#state(io.tty), argv: command, io, signal: ctl.signal });
    } finally {
      this.#pids.exit(pid);
      this.#psExecs.delete(pid);
      this.#stop.signal.removeEventListener('abort', onStop);
      io.stdout.off('close', gone);
    }
  }

  /**
   * kubectl attach / run -it: see the main process's output and type into its stdin. Resolves 0
   * when the process ends, whatever its exit code: the kubelet just closes the streams, and
   * kubectl reads the exit from the pod's status ("pod default/bb terminated (Error)").
   */
  attach(io: ProcessStreams): Promise<number> {
    if (this.handle.done) return Promise.resolve(0);
    this.#attached.add(io);
    this.#firstAttach();
    const stdin = this.#stdin;
    const forward = (chunk: Buffer) => stdin?.write(chunk);
    if (stdin && io.stdin) {
      io.stdin.on('data', forward);
      // stdinOnce: the first client's EOF is the process's EOF
      if (this.#spec.stdinOnce) io.stdin.once('end', () => stdin.end());
    }
    return new Promise<number>((resolve) => {
      const detach = (code: number) => {
        this.#attached.delete(io);
        io.stdin?.off('data', forward);
        resolve(code);
      };
      this.handle.exited.then(() => detach(0));
      io.stdout.once('close', () => detach(0));
    });
  }

  stopNow(): void {
    this.#stop.abort();
  }
}
