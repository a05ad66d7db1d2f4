// The lesson column: fetches the chapter from the lab server, renders it, opens the lesson the
// learner had open last time (or the first one), and restores each step's last check status.
import { fetchChapter, LessonApiError, type Chapter } from './lesson-api.ts';
import { loadChecks, loadOpenLesson, saveOpenLesson } from './lesson-progress.ts';
import { renderLesson } from './lesson-render.ts';
import { wireStep } from './step-controls.ts';

export async function mountLessons(root: HTMLElement): Promise<void> {
  const titleEl = root.querySelector<HTMLElement>('[data-chapter-title]')!;
  const message = root.querySelector<HTMLElement>('[data-lessons-message]')!;
  const retry = root.querySelector<HTMLButtonElement>('[data-lessons-retry]')!;
  const list = root.querySelector<HTMLOListElement>('[data-lesson-list]')!;

  let chapter: Chapter;
  root.dataset.lessonsState = 'loading';
  message.textContent = 'Loading the lessons…';
  retry.hidden = true;
  try {
    chapter = await fetchChapter();
  } catch (err) {
    root.dataset.lessonsState = 'error';
    const why = err instanceof LessonApiError ? err.message : String(err);
    message.textContent = `The lessons could not be loaded. ${why}`;
    retry.hidden = false;
    retry.onclick = () => void mountLessons(root);
    return;
  }

  titleEl.textContent = chapter.title;
  document.title = `${chapter.title} · coredns-lab`;
  const topbarTitle = document.querySelector('.topbar-title');
  if (topbarTitle) topbarTitle.textContent = chapter.title;

  list.replaceChildren(...chapter.lessons.map((l, i) => renderLesson(l, i)));
  const saved = loadChecks();

  for (const section of list.querySelectorAll<HTMLElement>('[data-section-id]')) {
    const progress = section.querySelector<HTMLElement>('[data-lesson-progress]')!;
    const steps = [...section.querySelectorAll<HTMLElement>('[data-step-id]')];
    const countPassed = () => {
      const passed = steps.filter((s) => s.dataset.checkStatus === 'pass').length;
      progress.textContent = `${passed} of ${steps.length} ${steps.length === 1 ? 'step' : 'steps'} passed`;
      section.dataset.complete = String(passed === steps.length);
    };
    for (const s of steps) wireStep(s, saved.get(s.dataset.stepId!), { changed: countPassed });
    countPassed();
    section.querySelector<HTMLButtonElement>('[data-lesson-toggle]')!.addEventListener('click', () => {
      const open = section.dataset.open !== 'true';
      openLesson(list, open ? section.dataset.sectionId! : null);
      if (open) section.scrollIntoView({ block: 'start', behavior: 'smooth' });
    });
  }

  const remembered = loadOpenLesson();
  const first = chapter.lessons[0]?.id ?? null;
  // '' means the learner closed every lesson; a name no longer in the chapter falls back to the first
  const known = remembered === '' || chapter.lessons.some((l) => l.id === remembered);
  openLesson(list, remembered !== null && known ? remembered || null : first);
  root.dataset.lessonsState = 'ready';
  message.textContent = '';
}

/** One lesson open at a time keeps the column short; null closes them all. */
function openLesson(list: HTMLElement, id: string | null): void {
  for (const section of list.querySelectorAll<HTMLElement>('[data-section-id]')) {
    const open = section.dataset.sectionId === id;
    section.dataset.open = String(open);
    section.querySelector('[data-lesson-toggle]')!.setAttribute('aria-expanded', String(open));
    section.querySelector<HTMLElement>('.section-content')!.hidden = !open;
  }
  saveOpenLesson(id ?? '');
}
