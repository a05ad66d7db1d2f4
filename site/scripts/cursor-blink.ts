// The terminal's cursor blinks while the learner is at it and goes steady once nothing has
// happened for a while, as kitty's cursor_stop_blinking_after does. The blink is ours, not xterm's:
// xterm's cursorBlink is a CSS animation of the cursor's colours, which the browser recomputes on
// every frame, 60 times a second, for a cursor that changes twice. Here a timer flips an attribute
// on the terminal's host (lab.css hides the cursor while it is set). Measured in headless chromium
// over 20 s: a page typed into every 2 s used 3.5 s of CPU with xterm's blink, 1.9 s with this one
// (as with a steady cursor); an idle page with a blinking cursor 1.3 s, 0.4 s, and 0.2 s steady.
// A learner who asked for reduced motion gets a steady cursor from the start.
import type { Terminal } from '@xterm/xterm';

/** how long after the last key, output or focus the cursor keeps blinking */
export const BLINK_STOP_AFTER_MS = 15_000;
/** the cursor is shown this long, then hidden this long: xterm's own blink is 1 s a cycle */
export const BLINK_HALF_MS = 500;

/** `host` carries data-cursor-blinking while the cursor blinks, and data-cursor-off in its hidden half */
export function blinkWhileActive(term: Terminal, host: HTMLElement, stopAfterMs = BLINK_STOP_AFTER_MS): void {
  term.options.cursorBlink = false;
  const reduced = window.matchMedia?.('(prefers-reduced-motion: reduce)');
  let ticker: number | undefined;
  let stop: number | undefined;
  const steady = () => {
    window.clearInterval(ticker);
    window.clearTimeout(stop);
    ticker = stop = undefined;
    delete host.dataset.cursorOff;
    delete host.dataset.cursorBlinking;
  };
  const wake = () => {
    if (reduced?.matches) return steady();
    // a key or output shows the cursor at once and starts its cycle over, as terminals do
    delete host.dataset.cursorOff;
    host.dataset.cursorBlinking = '';
    window.clearInterval(ticker);
    ticker = window.setInterval(() => host.toggleAttribute('data-cursor-off'), BLINK_HALF_MS);
    window.clearTimeout(stop);
    stop = window.setTimeout(steady, stopAfterMs);
  };
  term.onData(wake);
  term.onWriteParsed(wake);
  term.textarea?.addEventListener('focus', wake);
  reduced?.addEventListener?.('change', wake);
  wake();
}
