// The one way a test waits: for a condition it can observe (a line on a screen, a watch request in
// the API server's request hook, a Running pod), never for a fixed time. A timeout here is a
// failure that names what was awaited and the last thing seen, not a pause.

export interface WaitOptions {
  /** what the test waits for, in words: "pod web Running"; the failure message starts with it */
  what: string;
  /** how long before the wait fails (default 15 s: generous for a loaded 2-CPU machine) */
  timeout?: number;
  /**
   * ms before the second check (default 20). The pause then grows by half each round up to
   * 250 ms (1 s once the wait has lasted 5 s: what takes that long waits on a timer of its own,
   * a reload or a poll), and is never shorter than the last check took: a check that spawns
   * kubectl costs ~70 ms of CPU, and polling it back to back kept a core busy while a test waited.
   */
  interval?: number;
  /** what to print on timeout instead of the last value checked, e.g. the output so far */
  show?: () => string;
  /** ends the wait at once with this reason when it returns one, e.g. "the server exited with 1" */
  failIf?: () => string | false | undefined;
}

const MAX_PAUSE_MS = 250;
const LONG_WAIT_MS = 5_000;
const LONG_PAUSE_MS = 1_000;

/**
 * Calls `check` until it returns a truthy value and resolves with that value. A check that throws
 * counts as "not yet"; on timeout the error names `what` and the last value or error seen.
 */
export async function waitFor<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  opts: WaitOptions,
): Promise<T> {
  const { what, timeout = 15_000, interval = 20, show, failIf } = opts;
  const started = Date.now();
  const deadline = started + timeout;
  let last: unknown;
  let pause = interval;
  for (;;) {
    const reason = failIf?.();
    if (reason) throw new Error(`gave up waiting for ${what}: ${reason}`);
    const checkStarted = Date.now();
    try {
      const v = await check();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err instanceof Error ? err.message : err;
    }
    if (Date.now() >= deadline) {
      const seen = show ? show() : String(typeof last === 'string' ? last : JSON.stringify(last)).slice(-2000);
      throw new Error(`timed out after ${timeout} ms waiting for ${what}; last saw: ${seen}`);
    }
    const wait = Math.min(Math.max(pause, Date.now() - checkStarted), deadline - Date.now());
    await new Promise((r) => setTimeout(r, Math.max(wait, 0)));
    const cap = Date.now() - started > LONG_WAIT_MS ? LONG_PAUSE_MS : MAX_PAUSE_MS;
    pause = Math.max(pause, Math.min(Math.round(pause * 1.5), cap));
  }
}
