// The page's own elements over the server-rendered lessons (sandbox/checks/lesson-html.ts renders
// those): check results, the chapter's outline read back from the markup, and el(). No Markdown
// library reaches the browser: a hint's inline code and links are all it needs.
import type { CheckResult, StepResult } from './lesson-api.ts';

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

/** the chapter as the server rendered it: what the page needs to move between lessons */
export interface ChapterOutline {
  title: string;
  lessons: Array<{ id: string; title: string; summary: string }>;
}

export function readOutline(root: HTMLElement): ChapterOutline {
  const text = (e: Element | null) => e?.textContent?.trim() ?? '';
  return {
    title: text(root.querySelector('[data-chapter-title]')),
    lessons: [...root.querySelectorAll<HTMLElement>('[data-section-id]')].map((s) => ({
      id: s.dataset.sectionId!,
      title: text(s.querySelector('[data-lesson-toggle]')),
      summary: text(s.querySelector('.section-summary')),
    })),
  };
}

/**
 * A hint's inline Markdown, as elements: `code` and [a link](/lessons/...) to a page of the lab
 * (other addresses stay text). Built with DOM nodes, never innerHTML, so a check's words cannot
 * become markup; the lessons' own Markdown is rendered by the server, not here.
 */
export function inlineMarkdown(md: string): (Node | string)[] {
  const out: (Node | string)[] = [];
  const re = /`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let at = 0;
  for (const m of md.matchAll(re)) {
    if (m.index > at) out.push(md.slice(at, m.index));
    if (m[1] !== undefined) out.push(el('code', {}, m[1]));
    else if (/^(\/(?!\/)|#)/.test(m[3]!)) out.push(el('a', { href: m[3]! }, m[2]!));
    else out.push(m[0]);
    at = m.index + m[0].length;
  }
  if (at < md.length) out.push(md.slice(at));
  return out;
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
function details(r: CheckResult, needs?: string): HTMLDListElement {
  const dl = el('dl', { class: 'result-details' }, el('dt', {}, 'Expected'), el('dd', {}, r.expected), el('dt', {}, 'Found'), el('dd', {}, r.actual));
  if (r.hint) dl.append(el('dt', {}, 'What to do'), el('dd', { 'data-hint': '' }, ...inlineMarkdown(r.hint)));
  if (needs) dl.append(el('dt', {}, 'Needs'), el('dd', {}, stepLink(needs)));
  return dl;
}

/** a link to an earlier step of the chapter, named by its lesson's and its own title */
function stepLink(address: string): HTMLAnchorElement {
  const [lesson, step] = address.split('/');
  const target = document.querySelector(`[data-step-id="${CSS.escape(address)}"]`);
  const stepTitle = target?.querySelector('h3')?.textContent?.replace(/^\d+\.\s*/, '').trim() ?? step;
  const lessonTitle = target?.closest('[data-section-id]')?.querySelector('[data-lesson-toggle]')?.textContent?.trim() ?? lesson;
  return el('a', { href: `/lessons/${lesson}/#${step}`, 'data-needs-step': address }, `${lessonTitle}: ${stepTitle}`);
}

export function renderResult(r: StepResult): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (r.status === 'pass') {
    out.push(el('p', { class: 'result-line' }, el('strong', {}, 'Passed. '), r.expected));
    if (r.actual) out.push(el('p', { class: 'result-actual' }, `The cluster shows: ${r.actual}`));
  } else {
    const lead = r.status === 'fail' ? 'Not yet: the cluster is not in the state this step asks for.' : 'The check could not run.';
    out.push(el('p', { class: 'result-line' }, el('strong', {}, lead)), details(r, r.needs));
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
