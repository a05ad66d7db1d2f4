// The separator between the lesson column and the terminal: drag it, or focus it and use the
// arrow keys (Home and End for the limits). The lesson column's share of the width is kept in
// localStorage. Below 900 px the columns stack and the separator is hidden (lab.css).
const KEY = 'coredns-lab:lesson-share';
const MIN = 25;
const MAX = 70;
const DEFAULT = 42;
const STEP = 2;

function clamp(n: number): number {
  return Math.min(MAX, Math.max(MIN, Math.round(n)));
}

function stored(): number {
  try {
    const n = Number(localStorage.getItem(KEY));
    return Number.isFinite(n) && n > 0 ? clamp(n) : DEFAULT;
  } catch {
    return DEFAULT;
  }
}

export function mountSplit(splitter: HTMLElement): void {
  const lab = splitter.parentElement!;
  const set = (share: number, save: boolean) => {
    const v = clamp(share);
    lab.style.setProperty('--lesson-share', `${v}%`);
    splitter.setAttribute('aria-valuenow', String(v));
    splitter.setAttribute('aria-valuetext', `lessons ${v}% of the width, terminal ${100 - v}%`);
    if (save) {
      try {
        localStorage.setItem(KEY, String(v));
      } catch {
        // storage disabled: the split just is not remembered
      }
    }
  };
  splitter.setAttribute('aria-valuemin', String(MIN));
  splitter.setAttribute('aria-valuemax', String(MAX));
  set(stored(), false);

  const shareAt = (clientX: number) => {
    const box = lab.getBoundingClientRect();
    return ((clientX - box.left) / box.width) * 100;
  };
  splitter.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    e.preventDefault();
    splitter.setPointerCapture(e.pointerId);
    splitter.dataset.dragging = '';
  });
  splitter.addEventListener('pointermove', (e) => {
    if (splitter.hasPointerCapture(e.pointerId)) set(shareAt(e.clientX), false);
  });
  const end = (e: PointerEvent) => {
    if (!splitter.hasPointerCapture(e.pointerId)) return;
    splitter.releasePointerCapture(e.pointerId);
    delete splitter.dataset.dragging;
    set(shareAt(e.clientX), true);
  };
  splitter.addEventListener('pointerup', end);
  splitter.addEventListener('pointercancel', end);
  splitter.addEventListener('keydown', (e) => {
    const now = Number(splitter.getAttribute('aria-valuenow'));
    const next = { ArrowLeft: now - STEP, ArrowRight: now + STEP, Home: MIN, End: MAX }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    set(next, true);
  });
}
