// Reads lessons/ (index.yaml, <id>/lesson.md, <id>/steps.yaml) into schema.ts's types. Every
// field is checked here, once: a mistake is a LessonError naming the file, the step and the
// field, with what was expected.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Chapter, CheckKind, CheckSpec, Lesson, SolveAction, Step } from './schema.ts';

export const LESSONS_DIR = new URL('../../lessons/', import.meta.url).pathname;

export class LessonError extends Error {
  readonly code = 'LAB_ERR_LESSON';
  constructor(readonly file: string, readonly where: string, problem: string) {
    super(`${file}${where ? ` (${where})` : ''}: ${problem}`);
    this.name = 'LessonError';
  }
}

type Obj = Record<string, unknown>;

/** reads and validates the whole chapter */
export function loadChapter(dir = LESSONS_DIR): Chapter {
  const indexFile = join(dir, 'index.yaml');
  const index = asObj(readYaml(indexFile), indexFile, '');
  const title = str(index, 'title', indexFile, '');
  const ids = index.lessons;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((x) => typeof x === 'string' && /^[a-z0-9-]+$/.test(x))) {
    throw new LessonError(indexFile, 'lessons', 'expected a list of lesson folder names (lower case, digits and dashes)');
  }
  const seen = new Set<string>();
  for (const id of ids as string[]) {
    if (seen.has(id)) throw new LessonError(indexFile, 'lessons', `"${id}" is listed twice`);
    seen.add(id);
  }
  return { title, lessons: (ids as string[]).map((id) => loadLesson(dir, id)) };
}

function loadLesson(dir: string, id: string): Lesson {
  const mdFile = join(dir, id, 'lesson.md');
  const md = readText(mdFile);
  const fm = /^---\n([\s\S]*?)\n---\n?/.exec(md);
  if (!fm) throw new LessonError(mdFile, '', 'expected front matter between "---" lines (title, summary)');
  const front = asObj(parseOrThrow(fm[1]!, mdFile), mdFile, 'front matter');
  const stepsFile = join(dir, id, 'steps.yaml');
  const list = readYaml(stepsFile);
  if (!Array.isArray(list) || list.length === 0) throw new LessonError(stepsFile, '', 'expected a list of steps');
  const steps = list.map((s, i) => parseStep(s, stepsFile, i));
  const ids = new Set<string>();
  for (const s of steps) {
    if (ids.has(s.id)) throw new LessonError(stepsFile, `step ${s.id}`, 'step ids must be unique within a lesson');
    ids.add(s.id);
  }
  return {
    id,
    title: str(front, 'title', mdFile, 'front matter'),
    summary: str(front, 'summary', mdFile, 'front matter'),
    intro: md.slice(fm[0].length).trim(),
    steps,
  };
}

function parseStep(raw: unknown, file: string, i: number): Step {
  const s = asObj(raw, file, `step ${i + 1}`);
  const id = str(s, 'id', file, `step ${i + 1}`);
  if (!/^[a-z0-9-]+$/.test(id)) throw new LessonError(file, `step ${i + 1}`, `id "${id}": use lower case, digits and dashes`);
  const where = `step ${id}`;
  const commands = s.commands ?? [];
  if (!Array.isArray(commands) || !commands.every((c) => typeof c === 'string' && c.trim() !== '')) {
    throw new LessonError(file, `${where}, commands`, 'expected a list of command lines');
  }
  const checks = s.checks;
  if (!Array.isArray(checks) || checks.length === 0) throw new LessonError(file, `${where}, checks`, 'expected at least one check');
  const solve = s.solve ?? [];
  if (!Array.isArray(solve)) throw new LessonError(file, `${where}, solve`, 'expected a list of actions (kubectl: ..., or waitFor: ...)');
  return {
    id,
    title: str(s, 'title', file, where),
    body: str(s, 'body', file, where),
    commands: commands as string[],
    checks: checks.map((c, j) => parseCheck(c, file, `${where}, checks[${j}]`)),
    solve: solve.map((a, j) => parseSolve(a, file, `${where}, solve[${j}]`)),
  };
}

/** per kind: required string fields, optional string fields, and any other fields with their own test */
const CHECK_FIELDS: Record<CheckKind, { required: string[]; optional: string[]; other?: Record<string, (v: unknown) => boolean> }> = {
  service: { required: ['namespace', 'name'], optional: ['selector'], other: { endpoints: isBool } },
  'endpoints-match-pods': { required: ['namespace', 'service', 'podSelector'], optional: [] },
  'pods-ready': { required: ['namespace'], optional: ['name', 'selector'], other: { min: isCount } },
  'deployment-available': { required: ['namespace', 'name'], optional: [] },
  exists: { required: [], optional: [], other: { objects: (v) => Array.isArray(v) && v.length > 0 && v.every(isKindRef) } },
  absent: { required: [], optional: [], other: { object: isKindRef } },
  'nodes-ready': { required: [], optional: [], other: { min: isCount } },
  nslookup: { required: ['query'], optional: [], other: { pod: isRef, server: isRef, answer: isRef } },
  'resolv-conf': { required: [], optional: [], other: { pod: isRef, server: isRef, search: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string') } },
  'logs-contain': { required: ['namespace', 'podSelector', 'pattern', 'describe'], optional: [] },
};

export const CHECK_KINDS = Object.keys(CHECK_FIELDS) as CheckKind[];

function parseCheck(raw: unknown, file: string, where: string): CheckSpec {
  const c = asObj(raw, file, where);
  const kind = c.kind;
  if (typeof kind !== 'string' || !(kind in CHECK_FIELDS)) {
    throw new LessonError(file, where, `unknown check kind ${JSON.stringify(kind)}; expected one of ${CHECK_KINDS.join(', ')}`);
  }
  const f = CHECK_FIELDS[kind as CheckKind];
  for (const k of f.required) str(c, k, file, `${where} (${kind})`);
  for (const k of f.optional) if (c[k] !== undefined && typeof c[k] !== 'string') throw new LessonError(file, `${where} (${kind})`, `"${k}" must be a string`);
  for (const [k, test] of Object.entries(f.other ?? {})) {
    const optional = k === 'min' || k === 'endpoints';
    if (c[k] === undefined && optional) continue;
    if (!test(c[k])) throw new LessonError(file, `${where} (${kind})`, `"${k}" is missing or malformed`);
  }
  const known = new Set(['kind', ...f.required, ...f.optional, ...Object.keys(f.other ?? {})]);
  for (const k of Object.keys(c)) if (!known.has(k)) throw new LessonError(file, `${where} (${kind})`, `unknown field "${k}"; expected ${[...known].join(', ')}`);
  if (kind === 'pods-ready' && (c.name === undefined) === (c.selector === undefined)) {
    throw new LessonError(file, `${where} (${kind})`, 'give exactly one of "name" and "selector"');
  }
  if (kind === 'logs-contain') {
    try {
      new RegExp(c.pattern as string);
    } catch (err) {
      throw new LessonError(file, `${where} (${kind})`, `"pattern" is not a regular expression: ${(err as Error).message}`);
    }
  }
  return c as unknown as CheckSpec;
}

function parseSolve(raw: unknown, file: string, where: string): SolveAction {
  const a = asObj(raw, file, where);
  if (typeof a.kubectl === 'string') {
    if (a.ignore !== undefined && !(Array.isArray(a.ignore) && a.ignore.every((x) => typeof x === 'string'))) {
      throw new LessonError(file, where, '"ignore" must be a list of API reasons, e.g. [AlreadyExists]');
    }
    return { kubectl: a.kubectl, ...(a.ignore ? { ignore: a.ignore as string[] } : {}) };
  }
  if (a.waitFor !== undefined) {
    if (a.timeoutSeconds !== undefined && !isCount(a.timeoutSeconds)) throw new LessonError(file, where, '"timeoutSeconds" must be a positive whole number');
    return { waitFor: parseCheck(a.waitFor, file, `${where}, waitFor`), ...(a.timeoutSeconds ? { timeoutSeconds: a.timeoutSeconds as number } : {}) };
  }
  throw new LessonError(file, where, 'expected "kubectl: <arguments>" or "waitFor: <check>"');
}

function isBool(v: unknown): boolean {
  return typeof v === 'boolean';
}
function isCount(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}
function isRef(v: unknown): boolean {
  const o = v as Obj;
  return typeof o === 'object' && o !== null && typeof o.name === 'string' && (o.namespace === undefined || typeof o.namespace === 'string');
}
function isKindRef(v: unknown): boolean {
  return isRef(v) && typeof (v as Obj).kind === 'string';
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

function asObj(v: unknown, file: string, where: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new LessonError(file, where, 'expected a mapping (key: value lines)');
  return v as Obj;
}

function str(o: Obj, key: string, file: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.trim() === '') throw new LessonError(file, where, `"${key}" is missing or not a string`);
  return v;
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
