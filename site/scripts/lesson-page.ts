// The lesson column: wires the lessons the server rendered into the page (the lessons' markup is
// sandbox/checks/lesson-html.ts's, at build time or per request), opens the lesson the
// address names (/lessons/<lesson>/#<step>) or the one this browser had open, and shows each
// step as the cluster has it: the saved progress fills the first paint, then every step is
// checked again (on load, and after every reset). A finished lesson opens the next; the last
// one shows the chapter's summary.
import { checkChapter, fetchProgress, LessonApiError, saveOpen, type Progress } from './lesson-api.ts';
import { loadMirror, saveMirror } from './lesson-progress.ts';
import { readOutline, type ChapterOutline } from './lesson-render.ts';
import { wireStep, type StepHandle, type StepStatus } from './step-controls.ts';
import { CLUSTER_RESET_EVENT } from './cluster-status.ts';
import { wireResets } from './reset-controls.ts';
import { renderChapterComplete } from './chapter-complete.ts';
import { COMMAND_FINISHED_EVENT } from './terminal-client.ts';

/**
 * After a command, when to check the open step again if it has not passed yet: a pod that was
 * just created needs a moment to be Ready (the embedded cluster: about a second; kind or
 * minikube pulling an image, or a busy workshop machine: tens of seconds). About a minute in
 * all, each wait longer than the last; the next command starts over.
 */
const SETTLE_DELAYS_MS = [2_000, 5_000, 10_000, 15_000, 30_000];

/** the lesson and step an address names: /lessons/<lesson>/#<step> */
function fromLocation(): { lesson: string | null; step: string | null } {
  const m = /^\/lessons\/([a-z0-9-]+)\/?$/.exec(location.pathname);
  const step = /^#([a-z0-9-]+)$/.exec(location.hash)?.[1] ?? null;
  return { lesson: m?.[1] ?? null, step };
}

export const lessonPath = (lesson: string, step?: string | null): string => `/lessons/${lesson}/${step ? `#${step}` : ''}`;

/** wires the lesson column the server rendered (LessonColumn.astro): no fetch before the first paint */
export function mountLessons(root: HTMLElement, opts: { checkAfter?: Promise<void> } = {}): void {
  const message = root.querySelector<HTMLElement>('[data-lessons-message]')!;
  const list = root.querySelector<HTMLOListElement>('[data-lesson-list]')!;
  new LessonPage(root, list, readOutline(root), message).start(opts.checkAfter ?? Promise.resolve());
}

class LessonPage {
  private readonly handles = new Map<string, StepHandle>();
  private readonly sections = new Map<string, HTMLElement>();
  private progress: Progress | null = loadMirror();
  private openId: string | null = null;
  private verifying = false;
  /** a lesson whose last step passed during a whole-chapter check: it opens the next when the check ends */
  private advanceAfterVerify: string | null = null;
  /**
   * The order of events, not the clock (two can fall in the same millisecond): when each step's
   * status last came from a check just run, so that a stale whole-chapter result does not undo it.
   */
  private seq = 0;
  /** the newest whole-chapter check, and whether its results are being shown (they are not a step's own check) */
  private verifyBegan = 0;
  private showingVerify = false;
  private readonly freshAt = new Map<string, number>();
  /** the statuses shown have been checked against the cluster at least once */
  private verified = false;
  private readonly complete: HTMLElement;
  private autoChecking = false;
  private commandAgain = false;
  private settleTimer: number | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly list: HTMLElement,
    private readonly chapter: ChapterOutline,
    private readonly message: HTMLElement,
  ) {
    this.complete = root.querySelector<HTMLElement>('[data-chapter-complete]')!;
  }

  /** checkAfter: when the load's check of every step may start (lab-page.ts: after the first prompt) */
  start(checkAfter: Promise<void>): void {
    for (const section of this.list.querySelectorAll<HTMLElement>('[data-section-id]')) {
      const id = section.dataset.sectionId!;
      this.sections.set(id, section);
      for (const s of section.querySelectorAll<HTMLElement>('[data-step-id]')) {
        const h = wireStep(s, { changed: (address, status, fresh) => this.changed(address, status, fresh) });
        this.handles.set(h.address, h);
      }
      this.countPassed(id);
      // a link to /lessons/<lesson>/ for a page without JavaScript; here it opens the lesson in place
      section.querySelector<HTMLAnchorElement>('[data-lesson-toggle]')!.addEventListener('click', (e) => {
        e.preventDefault();
        const open = section.dataset.open !== 'true';
        this.open(open ? id : null, { push: true, step: null });
        if (open) section.scrollIntoView({ block: 'start', behavior: 'smooth' });
      });
      for (const a of section.querySelectorAll<HTMLAnchorElement>('[data-step-link]')) {
        a.addEventListener('click', (e) => {
          e.preventDefault();
          this.open(id, { push: true, step: a.dataset.stepLink! });
          this.handles.get(`${id}/${a.dataset.stepLink}`)?.el.scrollIntoView({ block: 'start' });
        });
      }
    }
    // a hint's link to an earlier step (its result's `needs`) opens it here, without a reload
    this.list.addEventListener('click', (e) => {
      const a = (e.target as Element).closest<HTMLAnchorElement>('a[data-needs-step]');
      const [lesson, step] = a?.dataset.needsStep?.split('/') ?? [];
      if (!a || !lesson || !step || !this.sections.has(lesson)) return;
      e.preventDefault();
      this.open(lesson, { push: true, step });
    });
    wireResets(this.root, {
      before: (what) => this.forgetAll(`The sandbox is being reset${what === 'sandbox' ? '' : ' to where this lesson starts'}; this step will be checked again.`),
      after: () => this.verify(),
    });

    this.showSaved(this.progress);
    const here = fromLocation();
    const known = (id: string | null | undefined) => !!id && this.sections.has(id);
    const lesson = known(here.lesson)
      ? here.lesson
      : known(this.progress?.open?.lesson)
        ? this.progress!.open!.lesson
        : this.chapter.lessons[0]!.id;
    const step = here.lesson ? here.step : (this.progress?.open?.step ?? null);
    this.open(lesson, { push: false, step });
    if (here.lesson && !known(here.lesson)) this.message.textContent = `There is no lesson "${here.lesson}" in this chapter; here is the first one.`;
    else this.message.textContent = '';
    this.root.dataset.lessonsState = 'ready';

    window.addEventListener('popstate', () => {
      const at = fromLocation();
      if (at.lesson && this.sections.has(at.lesson)) this.open(at.lesson, { push: false, step: at.step });
    });
    document.addEventListener(COMMAND_FINISHED_EVENT, () => void this.afterCommand(0));
    document.addEventListener(CLUSTER_RESET_EVENT, () => {
      this.forgetAll('The sandbox was reset to the Status Quo; checking this step again…');
      void this.verify();
    });
    void Promise.all([this.loadServerProgress(), checkAfter]).then(() => this.verify());
  }

  /** what the server kept for this browser replaces the local copy, until the checks answer */
  private async loadServerProgress(): Promise<void> {
    try {
      const p = await fetchProgress();
      this.progress = p;
      saveMirror(p);
      if (!this.verifying) this.showSaved(p);
      const here = fromLocation();
      if (!here.lesson && p.open && this.sections.has(p.open.lesson) && p.open.lesson !== this.openId)
        this.open(p.open.lesson, { push: false, step: p.open.step });
    } catch {
      // the mirror stays; the checks below say what is true
    }
  }

  private showSaved(p: Progress | null): void {
    if (!p) return;
    for (const [address, saved] of Object.entries(p.steps)) this.handles.get(address)?.showSaved(saved.status, saved.at);
  }

  /** every step against the cluster: what the page shows after this is what is there */
  async verify(): Promise<void> {
    this.verifying = true;
    this.root.dataset.progressState = 'verifying';
    this.message.textContent = 'Checking every step against the cluster…';
    const began = ++this.seq;
    this.verifyBegan = began;
    try {
      const results = await checkChapter();
      // a whole-chapter check begun after this one (another reset) has the truer answer
      if (this.verifyBegan !== began) return;
      // a step the learner checked while the whole chapter was being checked keeps that newer result
      this.showingVerify = true;
      try {
        for (const r of results) if ((this.freshAt.get(r.step) ?? 0) < began) this.handles.get(r.step)?.show(r);
      } finally {
        this.showingVerify = false;
      }
      this.root.dataset.progressState = 'verified';
      this.message.textContent = '';
    } catch (err) {
      if (this.verifyBegan !== began) return;
      this.root.dataset.progressState = 'error';
      this.message.textContent = `The steps could not be checked against the cluster. ${err instanceof LessonApiError ? err.message : String(err)}`;
    } finally {
      if (this.verifyBegan === began) this.verifying = false;
    }
    this.verified = true;
    if (this.openId && !location.hash) this.follow(this.openId);
    const finished = this.advanceAfterVerify;
    this.advanceAfterVerify = null;
    if (finished && finished === this.openId && this.lessonDone(finished)) this.advance(finished);
    // a command that finished while the chapter was being checked is checked now (afterCommand waited)
    if (this.commandAgain && !this.autoChecking) {
      this.commandAgain = false;
      void this.afterCommand(0);
    }
    await this.maybeComplete(false);
  }

  /**
   * A command finished in the terminal: check the open lesson's current step, and the ones after
   * it while they pass (one command can finish two steps). A lesson that was already done opens
   * the next one. Not passed yet: checked again a little later, until the next command.
   */
  private async afterCommand(attempt: number): Promise<void> {
    if (attempt === 0) window.clearTimeout(this.settleTimer);
    if (this.autoChecking || this.verifying) {
      this.commandAgain = true;
      return;
    }
    const lesson = this.openId;
    if (!lesson) return;
    this.autoChecking = true;
    let passedAll = false;
    try {
      let h = this.currentStep(lesson);
      if (!h) {
        // nothing left in this lesson: the learner ran a command after finishing it
        const last = this.stepsOf(lesson).at(-1);
        if (last && (await last.check(true))?.status === 'pass' && this.openId === lesson) this.advance(lesson);
      }
      while (h) {
        const r = await h.check(true);
        if (r?.status !== 'pass') break;
        const next = this.currentStep(lesson);
        if (!next || next === h) break;
        h = next;
      }
      passedAll = !this.currentStep(lesson) || this.openId !== lesson;
    } finally {
      this.autoChecking = false;
    }
    if (this.commandAgain) {
      this.commandAgain = false;
      return this.afterCommand(0);
    }
    const delay = SETTLE_DELAYS_MS[attempt];
    if (!passedAll && delay !== undefined && this.openId === lesson)
      this.settleTimer = window.setTimeout(() => void this.afterCommand(attempt + 1), delay);
  }

  private forgetAll(note: string): void {
    this.hideComplete();
    for (const h of this.handles.values()) h.forget(note);
  }

  private changed(address: string, status: StepStatus, fresh: boolean): void {
    // a reset's 'pending' is no result: the checks that follow it must still land
    if (fresh && status !== 'pending' && !this.showingVerify) this.freshAt.set(address, ++this.seq);
    const lesson = address.split('/')[0]!;
    this.countPassed(lesson);
    const h = this.handles.get(address);
    if (!fresh || status === 'pending' || !h || h.el.dataset.apiError) return;
    this.progress ??= {
      steps: {},
      open: null,
      startedAt: new Date().toISOString(),
      completedAt: null,
      updatedAt: new Date().toISOString(),
    };
    this.progress.steps[address] = { status, at: new Date().toISOString() };
    saveMirror(this.progress);
    if (lesson !== this.openId) return;
    if (this.verifying) {
      // a command of the learner's finished the lesson while the whole chapter is being checked:
      // it opens the next once that is done (a load's own checks never move the learner on)
      if (status === 'pass' && this.autoChecking && this.lessonDone(lesson)) this.advanceAfterVerify = lesson;
      return;
    }
    this.follow(lesson);
    if (status === 'pass' && this.lessonDone(lesson)) this.advance(lesson);
  }

  private stepsOf(lesson: string): StepHandle[] {
    return [...this.handles.values()].filter((h) => h.address.startsWith(`${lesson}/`));
  }

  private lessonDone(lesson: string): boolean {
    return this.stepsOf(lesson).every((h) => h.status() === 'pass');
  }

  /** the step the learner is on: the first one in the lesson that has not passed */
  currentStep(lesson = this.openId): StepHandle | null {
    if (!lesson) return null;
    const steps = this.stepsOf(lesson);
    return steps.find((h) => h.status() !== 'pass') ?? null;
  }

  /** the address bar follows the learner's step, so a reload (or a shared link) lands there */
  private follow(lesson: string): void {
    const current = this.currentStep(lesson);
    const step = current ? current.address.split('/')[1]! : null;
    const target = lessonPath(lesson, step);
    if (location.pathname + location.hash !== target) history.replaceState(null, '', target);
    void saveOpen(lesson, step).catch(() => {});
  }

  /** a finished lesson opens the next one; the last one shows the chapter's summary */
  private advance(lesson: string): void {
    const i = this.chapter.lessons.findIndex((l) => l.id === lesson);
    const next = this.chapter.lessons[i + 1];
    void this.maybeComplete(true);
    if (!next) return;
    this.open(next.id, { push: true, step: null });
    this.announce(`Lesson complete: ${this.chapter.lessons[i]!.title}. The next lesson is open: ${next.title}.`);
    this.sections.get(next.id)!.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }

  private announce(text: string): void {
    const live = this.root.querySelector<HTMLElement>('[data-lesson-announce]');
    if (live) live.textContent = text;
  }

  private async maybeComplete(scroll: boolean): Promise<void> {
    const all = [...this.handles.values()];
    if (all.length === 0 || !all.every((h) => h.status() === 'pass')) return this.hideComplete();
    let p: Progress;
    try {
      p = await fetchProgress();
    } catch {
      return;
    }
    this.complete.replaceChildren(...renderChapterComplete(this.chapter, p));
    this.complete.hidden = false;
    this.root.dataset.chapterState = 'complete';
    if (scroll) {
      this.announce('Chapter complete.');
      this.complete.scrollIntoView({ block: 'start', behavior: 'smooth' });
    }
  }

  private hideComplete(): void {
    this.complete.hidden = true;
    this.root.dataset.chapterState = 'open';
  }

  private countPassed(lesson: string): void {
    const section = this.sections.get(lesson);
    if (!section) return;
    const steps = this.stepsOf(lesson);
    const passed = steps.filter((s) => s.status() === 'pass').length;
    section.querySelector<HTMLElement>('[data-lesson-progress]')!.textContent = `${passed} of ${steps.length} ${steps.length === 1 ? 'step' : 'steps'} passed`;
    section.dataset.complete = String(passed === steps.length);
  }

  /** One lesson open at a time keeps the column short; null closes them all. */
  open(id: string | null, how: { push: boolean; step: string | null }): void {
    this.openId = id;
    for (const [sid, section] of this.sections) {
      const open = sid === id;
      section.dataset.open = String(open);
      section.querySelector('[data-lesson-toggle]')!.setAttribute('aria-expanded', String(open));
      section.querySelector<HTMLElement>('.section-content')!.hidden = !open;
      // step ids repeat across lessons (nslookup): only the open lesson's steps are anchors
      for (const h of this.stepsOf(sid)) {
        if (open) h.el.id = h.address.split('/')[1]!;
        else h.el.removeAttribute('id');
      }
    }
    if (!id) {
      if (how.push) history.pushState(null, '', '/');
      return;
    }
    const lesson = this.chapter.lessons.find((l) => l.id === id)!;
    document.title = `${lesson.title} · ${this.chapter.title} · coredns-lab`;
    const named = how.step && this.handles.has(`${id}/${how.step}`) ? how.step : null;
    // before the first check the current step is not known yet: the address names the lesson only
    const step = named ?? (this.verified ? (this.currentStep(id)?.address.split('/')[1] ?? null) : null);
    const target = lessonPath(id, step);
    if (how.push) history.pushState(null, '', target);
    else if (location.pathname + location.hash !== target) history.replaceState(null, '', target);
    if (named) this.handles.get(`${id}/${named}`)!.el.scrollIntoView({ block: 'start' });
    void saveOpen(id, step).catch(() => {});
  }
}
