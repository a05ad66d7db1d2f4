// Builds the lesson column's elements from the chapter the server sent. Markdown goes through
// micromark with its defaults, which escape raw HTML and drop dangerous link protocols, so a
// lesson file cannot put markup or script into the page. Behaviour is wired by step-controls.ts.
import { micromark } from 'micromark';
import type { CheckResult, Lesson, Step, StepResult } from './lesson-api.ts';

type Attrs = Record<string, string | boolean | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    node.setAttribute(k, v === true ? '' : v);
  }
  node.append(...children);
  return node;
}

/** a hint names commands in `backticks`: show them as code, in a <dd> */
function inlineMarkdown(md: string, attrs: Attrs): HTMLElement {
  const dd = el('dd', attrs);
  dd.innerHTML = micromark(md).replace(/^<p>([\s\S]*)<\/p>\s*$/, '$1');
  return dd;
}

function markdown(md: string, className: string): HTMLElement {
  const box = el('div', { class: `markdown ${className}` });
  box.innerHTML = micromark(md);
  return box;
}

export function renderLesson(lesson: Lesson, index: number): HTMLLIElement {
  const contentId = `lesson-${lesson.id}`;
  return el(
    'li',
    { class: 'section', 'data-section-id': lesson.id, 'data-open': 'false' },
    el('span', { class: 'section-number', 'aria-hidden': 'true' }, String(index + 1)),
    el(
      'div',
      { class: 'section-head' },
      el('h2', {}, el('button', { type: 'button', class: 'section-toggle', 'aria-expanded': 'false', 'aria-controls': contentId, 'data-lesson-toggle': lesson.id }, lesson.title)),
      el('p', { class: 'section-summary' }, lesson.summary),
      el('p', { class: 'section-progress', 'data-lesson-progress': '' }),
    ),
    el(
      'div',
      { class: 'section-content', id: contentId, hidden: true },
      markdown(lesson.intro, 'lesson-intro'),
      el('ol', { class: 'steps' }, ...lesson.steps.map((s, i) => renderStep(lesson, s, i))),
    ),
  );
}

function renderStep(lesson: Lesson, step: Step, index: number): HTMLLIElement {
  const address = `${lesson.id}/${step.id}`;
  const headingId = `step-${lesson.id}-${step.id}`;
  const commands = step.commands.length
    ? el(
        'ul',
        { class: 'commands', 'aria-label': 'Commands for this step' },
        ...step.commands.map((cmd) =>
          el(
            'li',
            { class: 'command' },
            el('pre', {}, el('code', {}, cmd)),
            el(
              'div',
              { class: 'command-actions' },
              el('button', { type: 'button', class: 'btn btn-run', 'data-run': cmd, 'aria-label': `Run in the terminal: ${cmd}` }, 'Run'),
              el('button', { type: 'button', class: 'btn btn-quiet', 'data-copy': cmd, 'aria-label': `Copy: ${cmd}` }, 'Copy'),
            ),
          ),
        ),
      )
    : '';
  return el(
    'li',
    { class: 'step', 'data-step-id': address, 'data-check-status': 'pending', 'aria-labelledby': headingId },
    el(
      'div',
      { class: 'step-head' },
      el('h3', { id: headingId }, el('span', { class: 'step-number' }, `${index + 1}.`), ' ', step.title),
      el('span', { class: 'step-badge', 'data-step-badge': '' }, 'not checked'),
    ),
    markdown(step.body, 'step-body'),
    commands,
    el(
      'div',
      { class: 'step-actions' },
      el('button', { type: 'button', class: 'btn btn-check', 'data-check': '' }, 'Check'),
      el('button', { type: 'button', class: 'btn btn-quiet', 'data-solve': '' }, 'Solve'),
      el('span', { class: 'step-note', 'data-step-note': '' }),
    ),
    el('div', { class: 'step-result', 'data-step-result': '', 'aria-live': 'polite' }),
    el('div', { class: 'solve-output', 'data-solve-output': '', 'aria-live': 'polite', hidden: true }),
  );
}

const BADGE: Record<StepResult['status'] | 'pending', string> = {
  pending: 'not checked',
  pass: 'passed',
  fail: 'not yet',
  error: 'check failed to run',
};

export function badgeText(status: StepResult['status'] | 'pending'): string {
  return BADGE[status];
}

/** "expected / found / what to do", the words a learner needs when a check does not pass */
function details(r: CheckResult): HTMLDListElement {
  const dl = el('dl', { class: 'result-details' }, el('dt', {}, 'Expected'), el('dd', {}, r.expected), el('dt', {}, 'Found'), el('dd', {}, r.actual));
  if (r.hint) dl.append(el('dt', {}, 'What to do'), inlineMarkdown(r.hint, { 'data-hint': '' }));
  return dl;
}

export function renderResult(r: StepResult): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (r.status === 'pass') {
    out.push(el('p', { class: 'result-line' }, el('strong', {}, 'Passed. '), r.expected));
    if (r.actual) out.push(el('p', { class: 'result-actual' }, `The cluster shows: ${r.actual}`));
  } else {
    const lead = r.status === 'fail' ? 'Not yet: the cluster is not in the state this step asks for.' : 'The check could not run.';
    out.push(el('p', { class: 'result-line' }, el('strong', {}, lead)), details(r));
  }
  // with several checks, say which ones hold, so a learner knows which part is missing
  if (r.checks.length > 1) {
    out.push(
      el(
        'ul',
        { class: 'result-checks', 'aria-label': 'Each check of this step' },
        ...r.checks.map((c) => el('li', { 'data-status': c.status }, el('span', { class: 'check-mark' }, c.status === 'pass' ? 'passed' : c.status === 'fail' ? 'not yet' : 'error'), ' ', c.expected)),
      ),
    );
  }
  return out;
}
