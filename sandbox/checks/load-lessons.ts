// Reads lessons/ (index.yaml, <id>/lesson.md, <id>/steps.yaml) through lesson-schema.ts, the
// zod schema the site's content collections use too. A mistake is a LessonError naming the file,
// the step and the field, with what was expected: each zod issue is put in the author's words.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type { Chapter, Lesson, Step } from './schema.ts';
import { CHECK_FIELDS, CHECK_KINDS, chapterIndexSchema, lessonFrontSchema, stepsSchema } from './lesson-schema.ts';

export { CHECK_KINDS };

export const LESSONS_DIR = new URL('../../lessons/', import.meta.url).pathname;

export class LessonError extends Error {
  readonly code = 'LAB_ERR_LESSON';
  constructor(readonly file: string, readonly where: string, problem: string) {
    super(`${file}${where ? ` (${where})` : ''}: ${problem}`);
    this.name = 'LessonError';
  }
}

/**
 * Reads and validates the whole chapter. Every check, solve and lesson page asks for it, so a
 * chapter read before is kept until one of its files changes (size or modification time): an
 * edited lesson still shows on the next request, without the YAML parsed again for each check.
 * Callers treat the chapter as read-only.
 */
export function loadChapter(dir = LESSONS_DIR): Chapter {
  const kept = read.get(dir);
  if (kept && kept.files.every(([file, stamp]) => stampOf(file) === stamp)) return kept.chapter;
  // each file is stamped before it is read: an edit made meanwhile leaves a stale stamp, so the next call reads again
  const indexFile = join(dir, 'index.yaml');
  const files: [string, string][] = [[indexFile, stampOf(indexFile)]];
  const index = validate(chapterIndexSchema, readYaml(indexFile), indexFile, 'index');
  const lessons = index.lessons.map((id) => {
    for (const f of [join(dir, id, 'lesson.md'), join(dir, id, 'steps.yaml')]) files.push([f, stampOf(f)]);
    return loadLesson(dir, id);
  });
  const chapter = { title: index.title, lessons };
  read.set(dir, { chapter, files });
  return chapter;
}

/** the chapters read so far, by directory, with the stamps of the files they came from */
const read = new Map<string, { chapter: Chapter; files: [string, string][] }>();

function stampOf(file: string): string {
  try {
    const st = statSync(file);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** lesson.md split at its front matter: the YAML between the "---" lines, and the Markdown after */
export function splitFrontMatter(md: string): { front: string; body: string } | null {
  const fm = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/.exec(md);
  return fm ? { front: fm[1]!, body: md.slice(fm[0].length).trim() } : null;
}

function loadLesson(dir: string, id: string): Lesson {
  const mdFile = join(dir, id, 'lesson.md');
  const split = splitFrontMatter(readText(mdFile));
  if (!split) throw new LessonError(mdFile, '', 'expected front matter between "---" lines (title, summary)');
  const front = validate(lessonFrontSchema, parseOrThrow(split.front, mdFile), mdFile, 'front');
  const stepsFile = join(dir, id, 'steps.yaml');
  const steps = validate(stepsSchema, readYaml(stepsFile), stepsFile, 'steps');
  return { id, title: front.title, summary: front.summary, intro: split.body, steps };
}

type Where = 'index' | 'front' | 'steps';

function validate<S extends z.ZodTypeAny>(schema: S, raw: unknown, file: string, what: Where): z.output<S> {
  if (typeof raw !== 'object' || raw === null || (what === 'steps') !== Array.isArray(raw)) {
    throw new LessonError(file, what === 'front' ? 'front matter' : '', what === 'steps' ? 'expected a list of steps' : 'expected a mapping (key: value lines)');
  }
  const r = schema.safeParse(raw);
  if (r.success) return r.data as z.output<S>;
  const issue = r.error.issues[0]!;
  const { where, field } = place(issue.path, raw, what);
  throw new LessonError(file, where, problem(issue, field, valueAt(raw, issue.path.slice(0, -1))));
}

/** an issue's path as an author reads it: "step s1, checks[0] (service)", and the field it is about */
function place(path: (string | number)[], raw: unknown, what: Where): { where: string; field: string | null } {
  const parts: string[] = what === 'front' ? ['front matter'] : [];
  let i = 0;
  if (what === 'steps' && typeof path[0] === 'number') {
    const id = (valueAt(raw, [path[0]]) as { id?: unknown } | undefined)?.id;
    parts.push(typeof id === 'string' && id !== '' ? `step ${id}` : `step ${path[0] + 1}`);
    i = 1;
  }
  let field: string | null = null;
  for (; i < path.length; i++) {
    const seg = path[i]!;
    const next = path[i + 1];
    if (typeof seg === 'number') continue;
    if ((i === path.length - 1 && !isContainer(seg)) || (typeof next === 'number' && i + 1 === path.length - 1 && !isContainer(seg))) {
      field = seg;
      break;
    }
    parts.push(typeof next === 'number' ? `${seg}[${next}]` : seg);
    const kind = (valueAt(raw, path.slice(0, typeof next === 'number' ? i + 2 : i + 1)) as { kind?: unknown } | undefined)?.kind;
    if ((seg === 'checks' || seg === 'waitFor') && typeof kind === 'string' && kind in CHECK_FIELDS) parts[parts.length - 1] += ` (${kind})`;
  }
  return { where: parts.join(', '), field };
}

/** keys holding objects with their own fields (a problem inside one names the entry, not the key) */
function isContainer(key: string): boolean {
  return key === 'checks' || key === 'solve' || key === 'objects' || key === 'waitFor';
}

function problem(issue: z.ZodIssue, field: string | null, parent: unknown): string {
  const f = field ? `"${field}"` : 'the value';
  switch (issue.code) {
    case 'unrecognized_keys': {
      const kind = (parent as { kind?: unknown } | undefined)?.kind;
      const known = typeof kind === 'string' ? CHECK_FIELDS[kind] : undefined;
      return `unknown field "${issue.keys[0]}"${known ? `; expected ${known.join(', ')}` : ''}`;
    }
    case 'invalid_union_discriminator':
      return `unknown check kind ${JSON.stringify((parent as { kind?: unknown } | undefined)?.kind)}; expected one of ${CHECK_KINDS.join(', ')}`;
    case 'invalid_type':
      if (issue.received === 'undefined') return `${f} is missing (expected ${article(issue.expected)})`;
      return `${f} must be ${article(issue.expected)}, not ${article(issue.received)}`;
    case 'custom':
      return issue.message.startsWith('"') || !field ? issue.message : `${f}: ${issue.message}`;
    default:
      return field ? `${f}: ${issue.message}` : issue.message;
  }
}

function article(type: string): string {
  const words: Record<string, string> = { string: 'a string', number: 'a number', integer: 'a whole number', boolean: 'true or false', array: 'a list', object: 'a mapping', null: 'empty' };
  return words[type] ?? type;
}

function valueAt(raw: unknown, path: (string | number)[]): unknown {
  let v = raw;
  for (const seg of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new LessonError(file, '', `cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function readYaml(file: string): unknown {
  return parseOrThrow(readText(file), file);
}

function parseOrThrow(text: string, file: string): unknown {
  try {
    return parseYaml(text);
  } catch (err) {
    throw new LessonError(file, '', `is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** "<lesson>/<step>" or "<lesson>" -> the lesson and, if named, the step; a LessonError names what exists */
export function findStep(chapter: Chapter, address: string): { lesson: Lesson; step?: Step } {
  const [lid, sid, extra] = address.split('/');
  const lesson = chapter.lessons.find((l) => l.id === lid);
  if (!lesson || extra !== undefined) {
    throw new LessonError('lessons/index.yaml', '', `no lesson "${address}"; lessons are ${chapter.lessons.map((l) => l.id).join(', ')}`);
  }
  if (sid === undefined || sid === '') return { lesson };
  const step = lesson.steps.find((s) => s.id === sid);
  if (!step) throw new LessonError(`lessons/${lid}/steps.yaml`, '', `no step "${sid}" in lesson ${lid}; its steps are ${lesson.steps.map((s) => s.id).join(', ')}`);
  return { lesson, step };
}
