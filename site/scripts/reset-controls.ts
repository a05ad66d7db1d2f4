// The page's two resets: "Reset the sandbox" (back to the chapter's Status Quo) and each
// lesson's "Reset this lesson" (back to where that lesson starts). Each asks first, then shows a
// progress line while the lab server resets through the sandbox's owner, as
// `coredns-lab sandbox reset --in-place` does; the terminals keep running.
import { LessonApiError, resetSandbox } from './lesson-api.ts';
import { acknowledgeReset } from './cluster-status.ts';

export interface ResetHooks {
  /** the reset is about to start: statuses are no longer known */
  before(what: 'sandbox' | 'lesson'): void;
  /** the reset finished: check every step again */
  after(): Promise<void>;
}

export function wireResets(root: HTMLElement, hooks: ResetHooks): void {
  const buttons = [...root.querySelectorAll<HTMLButtonElement>('[data-reset-sandbox], [data-reset-lesson]')];
  for (const btn of buttons) {
    btn.addEventListener('click', async () => {
      const lesson = btn.dataset.resetLesson;
      const title = lesson ? (btn.closest('[data-section-id]')?.querySelector('[data-lesson-toggle]')?.textContent ?? lesson) : '';
      const question = lesson
        ? `Reset the lesson "${title}"?\n\nThe sandbox goes back to the Status Quo, then the lab redoes every earlier lesson, so this lesson starts as new. Your terminal stays open.`
        : 'Reset the sandbox?\n\nEverything you created goes away and the cluster is back at the chapter\'s Status Quo. Your terminal stays open.';
      if (!window.confirm(question)) return;
      const line = btn.parentElement?.querySelector<HTMLElement>('[data-reset-progress]') ?? null;
      const say = (text: string) => {
        if (line) line.textContent = text;
      };
      const started = Date.now();
      const seconds = () => Math.max(1, Math.round((Date.now() - started) / 1000));
      const doing = lesson ? `Resetting to the start of "${title}"` : 'Resetting the sandbox';
      for (const b of buttons) b.disabled = true;
      root.dataset.resetState = 'running';
      say(`${doing}…`);
      const ticker = window.setInterval(() => say(`${doing}… ${seconds()} s`), 1_000);
      hooks.before(lesson ? 'lesson' : 'sandbox');
      try {
        const answer = await resetSandbox(lesson);
        acknowledgeReset(answer.reset.resetEpoch);
        window.clearInterval(ticker);
        say(`${lesson ? `At the start of "${title}"` : 'Back at the Status Quo'} after ${seconds()} s; checking every step…`);
        await hooks.after();
        say(`Reset done in ${seconds()} s${answer.log.length > 1 ? ` (${answer.log.length - 1} earlier actions redone)` : ''}; every step was checked again.`);
        root.dataset.resetState = 'done';
      } catch (err) {
        window.clearInterval(ticker);
        say(err instanceof LessonApiError ? err.message : `The reset failed in the page: ${String(err)}`);
        root.dataset.resetState = 'error';
        await hooks.after();
      } finally {
        window.clearInterval(ticker);
        for (const b of buttons) b.disabled = false;
      }
    });
  }
}
