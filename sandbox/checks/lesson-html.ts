// The lessons as the page shows them, as HTML: one renderer for the two places that render them.
// The site's pages call it at build time (site/pages/lessons/[lesson].astro, from the content
// collections), and the lab server calls it per request when lessons/ changed after the build
// (sandbox/server/lesson-pages.ts), so an edited lesson shows on reload without a rebuild and
// looks the same either way. Markdown goes through micromark with its defaults, which escape raw
// HTML and drop dangerous link protocols: a lesson file cannot put markup or script into the
// page. The page's scripts (site/scripts/step-controls.ts) wire the buttons over this markup.
import { micromark } from 'micromark';
import type { Chapter, Lesson, Step } from './schema.ts';

/** where the lesson list starts and ends in a built page, so the server can put fresh lessons in */
export const LESSONS_START = '<!--lab:lessons-->';
export const LESSONS_END = '<!--/lab:lessons-->';

export const lessonPath = (lesson: string): string => `/lessons/${lesson}/`;

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c]!);

type Attrs = Record<string, string | boolean | undefined>;

function tag(name: string, attrs: Attrs, ...children: string[]): string {
  let open = `<${name}`;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    open += v === true ? ` ${k}` : ` ${k}="${escapeHtml(v)}"`;
  }
  return `${open}>${children.join('')}</${name}>`;
}

const markdown = (md: string, className: string): string => tag('div', { class: `markdown ${className}` }, micromark(md));

/**
 * The chapter's lesson list (the <li> of each lesson, between the LESSONS_START/END marks). The
 * open lesson's content is visible and its steps carry their ids as anchors (/lessons/<lesson>/#<step>);
 * the others are closed, so the prose of the lesson an address names reads without JavaScript.
 */
export function renderLessonList(chapter: Chapter, open: string | null): string {
  return LESSONS_START + chapter.lessons.map((l, i) => renderLesson(l, i, l.id === open)).join('') + LESSONS_END;
}

function renderLesson(lesson: Lesson, index: number, open: boolean): string {
  const contentId = `lesson-${lesson.id}`;
  return tag(
    'li',
    { class: 'section', 'data-section-id': lesson.id, 'data-open': String(open) },
    tag('span', { class: 'section-number', 'aria-hidden': 'true' }, String(index + 1)),
    tag(
      'div',
      { class: 'section-head' },
      // a link, so a lesson opens without JavaScript too (the page's script opens it in place)
      tag(
        'h2',
        {},
        tag(
          'a',
          { class: 'section-toggle', href: lessonPath(lesson.id), 'aria-expanded': String(open), 'aria-controls': contentId, 'data-lesson-toggle': lesson.id },
          escapeHtml(lesson.title),
        ),
      ),
      tag('p', { class: 'section-summary' }, escapeHtml(lesson.summary)),
      tag('p', { class: 'section-progress', 'data-lesson-progress': '' }),
    ),
    tag(
      'div',
      { class: 'section-content', id: contentId, hidden: !open },
      markdown(lesson.intro, 'lesson-intro'),
      tag('ol', { class: 'steps' }, ...lesson.steps.map((s, i) => renderStep(lesson, s, i, open))),
      tag(
        'div',
        { class: 'lesson-tools' },
        tag('button', { type: 'button', class: 'btn btn-quiet', 'data-reset-lesson': lesson.id }, 'Reset this lesson'),
        tag('p', { class: 'reset-progress', 'data-reset-progress': '', role: 'status' }),
      ),
    ),
  );
}

function renderStep(lesson: Lesson, step: Step, index: number, open: boolean): string {
  const address = `${lesson.id}/${step.id}`;
  const headingId = `step-${lesson.id}-${step.id}`;
  const commands = step.commands.length
    ? tag(
        'ul',
        { class: 'commands', 'aria-label': 'Commands for this step' },
        ...step.commands.map((cmd) =>
          tag(
            'li',
            { class: 'command' },
            tag('pre', {}, tag('code', {}, escapeHtml(cmd))),
            tag(
              'div',
              { class: 'command-actions' },
              tag('button', { type: 'button', class: 'btn btn-run', 'data-run': cmd, 'aria-label': `Run in the terminal: ${cmd}` }, 'Run'),
              tag('button', { type: 'button', class: 'btn btn-quiet', 'data-copy': cmd, 'aria-label': `Copy: ${cmd}` }, 'Copy'),
            ),
          ),
        ),
      )
    : '';
  return tag(
    'li',
    // step ids repeat across lessons (nslookup): only the open lesson's steps are anchors
    { class: 'step', id: open ? step.id : undefined, 'data-step-id': address, 'data-check-status': 'pending', 'aria-labelledby': headingId },
    tag(
      'div',
      { class: 'step-head' },
      tag(
        'h3',
        { id: headingId },
        tag(
          'a',
          { class: 'step-anchor', href: `${lessonPath(lesson.id)}#${step.id}`, 'data-step-link': step.id },
          tag('span', { class: 'step-number' }, `${index + 1}.`),
          ' ',
          escapeHtml(step.title),
        ),
      ),
      tag('span', { class: 'step-badge', 'data-step-badge': '' }, 'not checked'),
    ),
    markdown(step.body, 'step-body'),
    commands,
    tag(
      'div',
      { class: 'step-actions' },
      tag('button', { type: 'button', class: 'btn btn-check', 'data-check': '' }, 'Check'),
      tag('button', { type: 'button', class: 'btn btn-quiet', 'data-solve': '' }, 'Solve'),
      tag('span', { class: 'step-note', 'data-step-note': '' }),
    ),
    tag('div', { class: 'step-result', 'data-step-result': '', 'aria-live': 'polite' }),
    tag('div', { class: 'solve-output', 'data-solve-output': '', 'aria-live': 'polite', hidden: true }),
  );
}
