// What a step's buttons do: Run types a command into the terminal (the page checks the open step
// when the command has finished), Copy puts it on the clipboard, Check asks the server, Solve asks it to bring
// the cluster to this step's state after a confirmation. The server keeps every result as the
// browser's progress; the page (lesson-page.ts) drives the step through the returned handle.
import { checkStep, LessonApiError, solveStep, type StepResult } from './lesson-api.ts';
import { badgeText, el, renderResult } from './lesson-render.ts';
import { typeIntoTerminal } from './terminal-client.ts';

export type StepStatus = StepResult['status'] | 'pending';

export interface StepHooks {
  /** a step's status changed (to update the lesson's progress line); fresh: from a check just run */
  changed(address: string, status: StepStatus, fresh: boolean): void;
}

/** what the page can do with a wired step */
export interface StepHandle {
  address: string;
  el: HTMLElement;
  status(): StepStatus;
  /** a result the page got for this step (the whole-chapter check) */
  show(r: StepResult): void;
  /** the status this browser saw last time, until the cluster has been asked again */
  showSaved(status: StepResult['status'], at: string): void;
  /** nothing is known any more (the sandbox is being reset): back to pending with a note */
  forget(note: string): void;
  /** run this step's check now; auto: because a command just finished, not the Check button */
  check(auto: boolean): Promise<StepResult | null>;
}

export function wireStep(stepEl: HTMLElement, hooks: StepHooks): StepHandle {
  const address = stepEl.dataset.stepId!;
  const title = stepEl.querySelector('h3')?.textContent?.replace(/^\d+\.\s*/, '') ?? address;
  const badge = stepEl.querySelector<HTMLElement>('[data-step-badge]')!;
  const resultBox = stepEl.querySelector<HTMLElement>('[data-step-result]')!;
  const solveBox = stepEl.querySelector<HTMLElement>('[data-solve-output]')!;
  const note = stepEl.querySelector<HTMLElement>('[data-step-note]')!;
  const checkBtn = stepEl.querySelector<HTMLButtonElement>('[data-check]')!;
  const solveBtn = stepEl.querySelector<HTMLButtonElement>('[data-solve]')!;

  let checking = false;
  let solving = false;

  const setStatus = (status: StepStatus, stale: boolean) => {
    stepEl.dataset.checkStatus = status;
    if (stale) stepEl.dataset.checkStale = 'true';
    else delete stepEl.dataset.checkStale;
    badge.textContent = badgeText(status);
    hooks.changed(address, status, !stale);
  };

  const showApiError = (err: unknown) => {
    const message = err instanceof LessonApiError ? err.message : `Something went wrong in the page: ${String(err)}. Reload the page and try again.`;
    resultBox.replaceChildren(el('p', { class: 'result-line result-api-error', role: 'alert' }, message));
    stepEl.dataset.apiError = err instanceof LessonApiError ? err.code : 'LAB_ERR_PAGE';
    // the check did not run, so nothing about the cluster is known: shown, never saved as progress
    setStatus('error', false);
  };

  const showResult = (r: StepResult) => {
    delete stepEl.dataset.apiError;
    resultBox.replaceChildren(...renderResult(r));
    setStatus(r.status, false);
  };

  const busy = () => {
    checkBtn.disabled = checking || solving;
    solveBtn.disabled = solving;
    stepEl.setAttribute('aria-busy', String(checking || solving));
  };

  const runCheck = async (auto: boolean): Promise<StepResult | null> => {
    if (checking || solving) return null;
    checking = true;
    busy();
    note.textContent = auto ? 'Checking after your command…' : 'Checking…';
    try {
      const r = await checkStep(address);
      showResult(r);
      return r;
    } catch (err) {
      showApiError(err);
      return null;
    } finally {
      checking = false;
      note.textContent = '';
      busy();
    }
  };

  checkBtn.addEventListener('click', () => void runCheck(false));

  for (const btn of stepEl.querySelectorAll<HTMLButtonElement>('[data-run]')) {
    btn.addEventListener('click', () => {
      const cmd = btn.dataset.run!;
      if (!typeIntoTerminal(`${cmd}\r`)) {
        note.textContent = 'The terminal is not connected, so nothing was typed. Wait until it says "connected" (or use its button), then press Run again.';
        return;
      }
      note.textContent = 'Sent to the terminal; the step is checked when the command has finished.';
    });
  }

  for (const btn of stepEl.querySelectorAll<HTMLButtonElement>('[data-copy]')) {
    btn.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(btn.dataset.copy!);
        btn.textContent = 'Copied';
      } catch {
        // no clipboard permission: select the text so Ctrl+C works
        const code = btn.closest('.command')?.querySelector('code');
        if (code) window.getSelection()?.selectAllChildren(code);
        btn.textContent = 'Selected; press Ctrl+C';
      }
      window.setTimeout(() => (btn.textContent = 'Copy'), 2_000);
    });
  }

  solveBtn.addEventListener('click', async () => {
    const ok = window.confirm(
      `Solve "${title}"?\n\nThe lab will run kubectl against your cluster to reach the state after this step, doing the earlier steps first where they are not done yet. This changes the cluster.`,
    );
    if (!ok) return;
    solving = true;
    busy();
    const started = Date.now();
    const progress = el('p', { class: 'solve-progress' }, 'Solving: running kubectl against the cluster…');
    solveBox.hidden = false;
    solveBox.replaceChildren(progress);
    const ticker = window.setInterval(() => {
      progress.textContent = `Solving: running kubectl against the cluster… ${Math.round((Date.now() - started) / 1000)} s`;
    }, 1_000);
    try {
      const { log, result } = await solveStep(address);
      solveBox.replaceChildren(el('p', { class: 'solve-progress' }, `Solve finished in ${Math.max(1, Math.round((Date.now() - started) / 1000))} s.`), solveLog(log));
      showResult(result);
    } catch (err) {
      solveBox.replaceChildren(el('p', { class: 'solve-progress' }, 'The solve did not finish.'));
      if (err instanceof LessonApiError && err.log.length) solveBox.append(solveLog(err.log));
      showApiError(err);
    } finally {
      window.clearInterval(ticker);
      solving = false;
      busy();
    }
  });

  return {
    address,
    el: stepEl,
    status: () => (stepEl.dataset.checkStatus ?? 'pending') as StepStatus,
    show: (r) => {
      if (!checking && !solving) showResult(r);
    },
    showSaved(status, at) {
      resultBox.replaceChildren(el('p', { class: 'result-line result-stale' }, `Last checked ${ago(Date.parse(at))}: ${badgeText(status)}. Checking against the cluster…`));
      setStatus(status, true);
    },
    forget(text) {
      delete stepEl.dataset.apiError;
      resultBox.replaceChildren(el('p', { class: 'result-line result-stale' }, text));
      setStatus('pending', false);
    },
    check: (auto) => runCheck(auto),
  };
}

function solveLog(lines: string[]): HTMLElement {
  if (lines.length === 0) return el('p', { class: 'solve-log-empty' }, 'Nothing needed doing: the cluster was already there.');
  return el('pre', { class: 'solve-log', 'aria-label': 'What the solve did' }, lines.join('\n'));
}

function ago(at: number): string {
  const s = Math.round((Date.now() - at) / 1000);
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  if (s < 60) return 'just now';
  if (s < 3_600) return rtf.format(-Math.round(s / 60), 'minute');
  if (s < 86_400) return rtf.format(-Math.round(s / 3_600), 'hour');
  return rtf.format(-Math.round(s / 86_400), 'day');
}
