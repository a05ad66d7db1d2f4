// The lesson pages (/ and /lessons/<lesson>/): as built when lessons/ has not changed since the
// site's build, otherwise the built page with its lessons rendered again from lessons/ by the same
// renderer the build used (sandbox/checks/lesson-html.ts). So an edited lesson shows on the next
// reload, without the half-minute rebuild, and reads the same as a built one. On a kind or
// minikube cluster the lessons are always rendered again, naming that cluster's templates
// (sandbox/checks/templates.ts); the build names the kops ones.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LESSONS_DIR, loadChapter } from '../checks/load-lessons.ts';
import { escapeHtml, LESSONS_END, LESSONS_START, renderLessonList } from '../checks/lesson-html.ts';
import { newest, STAMP } from './site-build.ts';
import { withTemplates, type TemplateSet } from '../checks/templates.ts';

export type LessonPage = { file: string } | { html: string };

function builtAt(dist: string): number {
  try {
    return statSync(join(dist, STAMP)).mtimeMs;
  } catch {
    return 0;
  }
}

/** the page for a lesson (null: the start page, which opens the first lesson); throws the loader's LessonError */
export function lessonPage(dist: string, lesson: string | null, lessonsDir = LESSONS_DIR, templates: TemplateSet = 'kops'): LessonPage {
  const built = join(dist, 'client', ...(lesson ? ['lessons', lesson] : []), 'index.html');
  const index = join(dist, 'client', 'index.html');
  if (templates === 'kops' && existsSync(built) && newest(lessonsDir).mtime <= builtAt(dist)) return { file: built };
  const template = readFileSync(index, 'utf8');
  const start = template.indexOf(LESSONS_START);
  const end = template.indexOf(LESSONS_END);
  // a page built without the lessons in it (a test's fixture): nothing to render into
  if (start < 0 || end < start) return { file: existsSync(built) ? built : index };
  const chapter = withTemplates(loadChapter(lessonsDir), templates);
  const open = lesson ?? chapter.lessons[0]!.id;
  const title = lesson ? `${chapter.lessons.find((l) => l.id === lesson)?.title ?? lesson} · ${chapter.title}` : chapter.title;
  const t = escapeHtml(chapter.title);
  return {
    html: (template.slice(0, start) + renderLessonList(chapter, open) + template.slice(end + LESSONS_END.length))
      .replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(title)} · coredns-lab</title>`)
      .replace(/(<[^>]*data-chapter-title[^>]*>)[^<]*/, `$1${t}`)
      .replace(/(<[^>]*data-topbar-title[^>]*>)[^<]*/, `$1${t}`),
  };
}
