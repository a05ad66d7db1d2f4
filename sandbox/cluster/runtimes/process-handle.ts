// The ContainerProcess every runtime returns: an exit that settles once, a readiness answer,
// and a stop that asks the runtime to terminate and then waits for the exit.
import type { ContainerProcess } from '../contracts.ts';

export interface ExitStatus { exitCode: number; reason: string; message?: string }

export class ProcessHandle implements ContainerProcess {
  readonly exited: Promise<ExitStatus>;
  #settle!: (s: ExitStatus) => void;
  #done = false;
  #ready: () => boolean = () => false;
  #terminate: (graceMs: number) => void = () => undefined;

  constructor() {
    this.exited = new Promise((resolve) => { this.#settle = resolve; });
  }

  get done(): boolean {
    return this.#done;
  }

  setReady(fn: () => boolean): void {
    this.#ready = fn;
  }

  /** what stop() does before waiting: SIGTERM, and SIGKILL after graceMs, in the runtime's terms */
  onStop(fn: (graceMs: number) => void): void {
    this.#terminate = fn;
  }

  exit(status: ExitStatus): void {
    if (this.#done) return;
    this.#done = true;
    this.#settle(status);
  }

  ready(): boolean {
    return !this.#done && this.#ready();
  }

  async stop(graceMs: number): Promise<void> {
    if (!this.#done) this.#terminate(graceMs);
    await this.exited;
  }
}

/** the exit of a process killed after its grace period, as the kubelet reports it */
export const KILLED: ExitStatus = { exitCode: 137, reason: 'Error' };

export function reasonFor(exitCode: number): string {
  return exitCode === 0 ? 'Completed' : 'Error';
}
