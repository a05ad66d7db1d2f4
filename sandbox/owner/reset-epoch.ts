// Resets in place, one at a time, counted: the epoch goes up by one each time the cluster is back
// at the Status Quo, so the page (GET /api/status) and `sandbox reset --in-place` can tell that
// it happened without watching the cluster.
import { ControlError } from './errors.ts';
import { ControlErrorCode, type ResetResult } from './control-protocol.ts';

export class ResetEpoch {
  private epoch = 0;
  private at: string | null = null;
  private running: Promise<ResetResult> | null = null;
  private target: (() => Promise<void>) | null = null;

  /** what a reset runs: the cluster's own reset, or null while there is no cluster */
  setTarget(fn: (() => Promise<void>) | null): void {
    this.target = fn;
  }

  snapshot(): { epoch: number; at: string | null } {
    return { epoch: this.epoch, at: this.at };
  }

  /** reset now; a request during a reset gets that reset's result (the cluster is at the Status Quo either way) */
  run(): Promise<ResetResult> {
    if (this.running) return this.running;
    const target = this.target;
    if (!target) return Promise.reject(new ControlError(ControlErrorCode.NO_CLUSTER, 'there is no cluster to reset: it has not started (see the owner\'s terminal)'));
    this.running = (async () => {
      try {
        await target();
      } catch (err) {
        throw new ControlError(ControlErrorCode.RESET_FAILED, `the reset failed: ${(err as Error).message}`);
      }
      this.epoch += 1;
      this.at = new Date().toISOString();
      return { resetEpoch: this.epoch, at: this.at };
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }
}
