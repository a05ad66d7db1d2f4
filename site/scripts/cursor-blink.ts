// The terminal's cursor blinks while the learner is at it and goes steady once nothing has
// happened for a while, as kitty's cursor_stop_blinking_after does. xterm draws the blink as a
// CSS animation that keeps the browser producing frames: measured in headless chromium, an idle
// lab page with a blinking cursor used about 0.9 s of CPU every 10 s, and 0.1 s with a steady one.
// A learner who asked for reduced motion gets a steady cursor from the start.
import type { Terminal } from '@xterm/xterm';

/** how long after the last key, output or focus the cursor keeps blinking */
export const BLINK_STOP_AFTER_MS = 15_000;

export function blinkWhileActive(term: Terminal, stopAfterMs = BLINK_STOP_AFTER_MS): void {
  const reduced = window.matchMedia?.('(prefers-reduced-motion: reduce)');
  let timer: number | undefined;
  const steady = () => {
    timer = undefined;
    if (term.options.cursorBlink) term.options.cursorBlink = false;
  };
  const wake = () => {
    if (reduced?.matches) return steady();
    if (!term.options.cursorBlink) term.options.cursorBlink = true;
    // one timer, pushed back by each event: a busy terminal does not churn timers per byte
    if (timer !== undefined) window.clearTimeout(timer);
    timer = window.setTimeout(steady, stopAfterMs);
  };
  term.onData(wake);
  term.onWriteParsed(wake);
  term.textarea?.addEventListener('focus', wake);
  reduced?.addEventListener?.('change', wake);
  wake();
}
