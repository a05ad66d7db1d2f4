// What every controller gives the assembly: a name, a way to wait until it has caught up, and stop.
import type { WorkQueue } from './queue.ts';

export interface Controller {
  name: string;
  /** resolves when the controller has no queued work (used by tests and the start-up sequence) */
  idle(): Promise<void>;
  /** has queued or running work now (controllers that feed each other wait on each other with it) */
  busy?(): boolean;
  stop(): void | Promise<void>;
}


/** the Controller of a queue fed by store watches: stopping drops the watches, then the queue */
export function queueController(name: string, queue: WorkQueue, unwatch: Array<() => void>): Controller {
  return {
    name,
    idle: () => queue.idle(),
    busy: () => queue.busy(),
    stop() {
      for (const u of unwatch) u();
      queue.stop();
    },
  };
}
