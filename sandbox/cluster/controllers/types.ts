// What every controller gives the assembly: a name, a way to wait until it has caught up, and stop.
export interface Controller {
  name: string;
  /** resolves when the controller has no queued work (used by tests and the start-up sequence) */
  idle(): Promise<void>;
  stop(): void | Promise<void>;
}
