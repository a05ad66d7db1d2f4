// The chapter's end: how long it took (from this browser's first visit, or its last reset of
// the sandbox, to the first time every step passed, as the lab server recorded them) and what
// each lesson taught, in the lessons' own one-line summaries.
import type { Progress } from './lesson-api.ts';
import { el, type ChapterOutline } from './lesson-render.ts';

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

export function renderChapterComplete(chapter: ChapterOutline, p: Progress): HTMLElement[] {
  const end = p.completedAt ? Date.parse(p.completedAt) : Date.now();
  const taken = formatDuration(end - Date.parse(p.startedAt));
  return [
    el('h2', { id: 'chapter-complete-title', tabindex: '-1' }, 'Chapter complete'),
    el('p', { 'data-time-taken': '' }, `You finished "${chapter.title}" in ${taken}: every step's check passes on your cluster.`),
    el('h3', {}, 'What you learned'),
    el('ul', { class: 'learned' }, ...chapter.lessons.map((l) => el('li', {}, el('strong', {}, l.title), `: ${l.summary}`))),
  ];
}
