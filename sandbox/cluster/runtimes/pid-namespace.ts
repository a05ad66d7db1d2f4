// PID namespaces, for what busybox's ps lists. Each container has its own (its main process is
// PID 1) unless the pod sets spec.shareProcessNamespace: then the pod's containers share one whose
// PID 1 is the sandbox's pause process (`/pause`, uid 65535: the pause image's USER). An
// ephemeral container with targetContainerName joins its target's namespace, as the container
// runtime does for `kubectl debug --target`, so ps there lists the target's processes first.
import type { ProcessEntry } from './busybox/context.ts';
import type { ContainerSpec, PodView } from './pod-spec.ts';
import { imageRepository } from './image-kind.ts';

/** the PIDs after 1 are handed out with gaps, as a real node's fork-heavy start-ups leave them */
const FIRST_PID = 7;
const PID_STEP = 6;

export class PidNamespace {
  readonly #procs = new Map<number, { uid: number; args: string }>();
  #next = FIRST_PID;

  /** starts a process: PID 1 in an empty namespace; its PID */
  spawn(args: string, uid = 0): number {
    const pid = this.#procs.size === 0 && this.#next === FIRST_PID ? 1 : this.#take();
    this.#procs.set(pid, { uid, args });
    return pid;
  }

  /** a process's children started together (nginx's workers): consecutive PIDs */
  spawnChildren(args: string, uid: number, count: number): number[] {
    const first = this.#take();
    const pids = Array.from({ length: count }, (_, i) => first + i);
    for (const pid of pids) this.#procs.set(pid, { uid, args });
    this.#next = Math.max(this.#next, first + count);
    return pids;
  }

  exit(pid: number): void {
    this.#procs.delete(pid);
  }

  /** the PID the next process would get (ps run by a shell, which nothing registered) */
  peek(): number {
    return this.#procs.size === 0 ? 1 : this.#next;
  }

  list(): ProcessEntry[] {
    return [...this.#procs].sort((a, b) => a[0] - b[0]).map(([pid, p]) => ({ pid, uid: p.uid, args: p.args }));
  }

  #take(): number {
    const pid = this.#next;
    this.#next += PID_STEP;
    return pid;
  }
}

/** the pause process of a shared namespace: PID 1 before any container starts */
export function sharedNamespace(): PidNamespace {
  const ns = new PidNamespace();
  ns.spawn('/pause', 65535);
  return ns;
}

/** per pod: the shared namespace (shareProcessNamespace) or each container's own */
export class PodPidNamespaces {
  readonly #pods = new Map<string, { shared?: PidNamespace; own: Map<string, PidNamespace> }>();

  /**
   * the namespace a container starting now runs in: the pod's shared one, its target's (an
   * ephemeral container with targetContainerName), or a new one of its own (a restart's too)
   */
  forContainer(pod: PodView, container: string): PidNamespace {
    let entry = this.#pods.get(pod.uid);
    if (!entry) {
      entry = { own: new Map() };
      this.#pods.set(pod.uid, entry);
    }
    if (pod.spec.shareProcessNamespace) return (entry.shared ??= sharedNamespace());
    const target = pod.spec.ephemeralContainers?.find((c) => c.name === container)?.targetContainerName;
    const targeted = target ? entry.own.get(target) : undefined;
    if (targeted) return targeted;
    const ns = new PidNamespace();
    entry.own.set(container, ns);
    return ns;
  }

  forget(podUid: string): void {
    this.#pods.delete(podUid);
  }
}

export interface MainProcess { args: string; uid: number; count?: number }

/**
 * what a container that is not a shell shows in ps: nginx's master and its workers (one per CPU of
 * the node: 2), CoreDNS as the distroless nonroot user, other images their command line
 */
export function mainProcesses(spec: ContainerSpec, kind: string): MainProcess[] {
  const argv = spec.command?.length ? [...spec.command, ...(spec.args ?? [])] : undefined;
  if (kind === 'nginx') {
    const master = `nginx: master process ${argv?.join(' ') ?? 'nginx -g daemon off;'}`;
    return [{ args: master, uid: 0 }, { args: 'nginx: worker process', uid: 101, count: 2 }];
  }
  if (kind === 'coredns') return [{ args: (argv ?? ['/coredns', ...(spec.args ?? [])]).join(' '), uid: 65532 }];
  const repo = imageRepository(spec.image ?? '');
  return [{ args: (argv ?? [`/${repo.split('/').pop() ?? repo}`, ...(spec.args ?? [])]).join(' '), uid: 0 }];
}

/**
 * registers a container's processes now, in the order the kubelet starts the containers (before
 * the runtime's start-up awaits anything); the returned function removes them when it exits
 */
export function registerMain(ns: PidNamespace, procs: MainProcess[]): (exited: Promise<unknown>) => void {
  const pids: number[] = [];
  for (const p of procs) {
    if (p.count) pids.push(...ns.spawnChildren(p.args, p.uid, p.count));
    else pids.push(ns.spawn(p.args, p.uid));
  }
  return (exited) => { void exited.then(() => { for (const pid of pids) ns.exit(pid); }); };
}
