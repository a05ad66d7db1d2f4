// What each browser has done in this lab, kept in the state dir (progress.json, 0600) so a
// closed tab or a restarted server does not lose the learner's place. The statuses here are
// the results of the checks that browser last ran: the page verifies every step against the
// cluster on load and after each reset, so they only fill the first paint, never decide it.
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFile } from '../private-state.ts';

export const PROGRESS_FILE = 'progress.json';
/** the least recently used browsers go first beyond this, so the file stays small */
export const MAX_BROWSERS = 256;

export type SavedStatus = 'pass' | 'fail' | 'error';

export interface StepRecord {
  status: SavedStatus;
  /** when the check ran (ISO 8601) */
  at: string;
}

/** One browser's progress, as GET /api/progress answers it (the page mirrors it in localStorage). */
export interface BrowserProgress {
  /** "<lesson>/<step>" -> the last check's result */
  steps: Record<string, StepRecord>;
  /** the lesson and step the learner had open */
  open: { lesson: string; step: string | null } | null;
  /** when this browser first opened the lab, or when the sandbox was last reset from its page */
  startedAt: string;
  /** the first time every step of the chapter passed; null until then */
  completedAt: string | null;
  updatedAt: string;
}

interface ProgressFile {
  version: 1;
  browsers: Record<string, BrowserProgress>;
}

const STATUSES: readonly string[] = ['pass', 'fail', 'error'] satisfies SavedStatus[];
const ID = /^[a-z0-9-]+$/;

export class ProgressStore {
  private readonly file: string;
  private browsers: Map<string, BrowserProgress>;
  /** when statuses were last cleared (in memory: no check outlives the server that ran it) */
  private allClearedAt = '';
  private readonly clearedAt = new Map<string, string>();

  constructor(stateDir: string, private readonly now: () => Date = () => new Date()) {
    this.file = join(stateDir, PROGRESS_FILE);
    this.browsers = readProgress(this.file);
  }

  /** a copy of this browser's record; a browser seen for the first time starts now */
  get(client: string): BrowserProgress {
    return structuredClone(this.browsers.get(client) ?? this.fresh());
  }

  /**
   * Stores check results. `chapterSteps` is every step address of the chapter, in order: when
   * all of them pass for the first time, the chapter is complete.
   */
  record(client: string, results: { step: string; status: SavedStatus }[], chapterSteps: string[], checkStarted?: Date): BrowserProgress {
    return this.change(client, (p) => {
      // a result is as old as the cluster state its check read: a slow whole-chapter check that
      // began before a step's own check passed must not write its older 'fail' over that pass,
      // nor a check begun before the learner's reset bring back a status the reset cleared
      const at = (checkStarted ?? this.now()).toISOString();
      if (at < (this.clearedAt.get(client) ?? '') || at < this.allClearedAt) return;
      for (const r of results) {
        const had = p.steps[r.step];
        if (had && had.at > at) continue;
        p.steps[r.step] = { status: r.status, at };
      }
      if (p.completedAt === null && chapterSteps.length > 0 && chapterSteps.every((s) => p.steps[s]?.status === 'pass')) p.completedAt = this.now().toISOString();
    });
  }

  setOpen(client: string, lesson: string, step: string | null): BrowserProgress {
    if (!ID.test(lesson) || (step !== null && !ID.test(step))) throw new RangeError('lesson and step ids are lower case, digits and dashes');
    return this.change(client, (p) => {
      p.open = { lesson, step };
    });
  }

  /** the sandbox went back to the Status Quo: no browser's statuses are true any more */
  afterReset(): void {
    this.allClearedAt = this.now().toISOString();
    for (const p of this.browsers.values()) p.steps = {};
    this.save();
  }

  /** the learner reset the whole sandbox from the page: the chapter's clock starts again */
  restart(client: string): BrowserProgress {
    return this.change(client, (p) => {
      p.steps = {};
      p.startedAt = this.now().toISOString();
      this.clearedAt.set(client, p.startedAt);
      p.completedAt = null;
    });
  }

  private fresh(): BrowserProgress {
    const now = this.now().toISOString();
    return { steps: {}, open: null, startedAt: now, completedAt: null, updatedAt: now };
  }

  private change(client: string, fn: (p: BrowserProgress) => void): BrowserProgress {
    const p = this.browsers.get(client) ?? this.fresh();
    fn(p);
    p.updatedAt = this.now().toISOString();
    // re-inserted last: Map order is least recently used first
    this.browsers.delete(client);
    this.browsers.set(client, p);
    while (this.browsers.size > MAX_BROWSERS) this.browsers.delete(this.browsers.keys().next().value!);
    this.save();
    return structuredClone(p);
  }

  private save(): void {
    const body: ProgressFile = { version: 1, browsers: Object.fromEntries(this.browsers) };
    // written whole and renamed, so a crash mid-write leaves the previous file
    const tmp = `${this.file}.tmp`;
    writePrivateFile(tmp, JSON.stringify(body));
    renameSync(tmp, this.file);
  }
}

/** the file as it was left; a missing, garbled or older file starts empty rather than failing the lab */
function readProgress(file: string): Map<string, BrowserProgress> {
  const out = new Map<string, BrowserProgress>();
  let parsed: Partial<ProgressFile>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<ProgressFile>;
  } catch {
    return out;
  }
  if (parsed?.version !== 1 || typeof parsed.browsers !== 'object' || parsed.browsers === null) return out;
  const entries = Object.entries(parsed.browsers).sort(([, a], [, b]) => String(a?.updatedAt).localeCompare(String(b?.updatedAt)));
  for (const [client, p] of entries) {
    const clean = sanitize(p);
    if (clean) out.set(client, clean);
  }
  return out;
}

function sanitize(p: Partial<BrowserProgress> | undefined): BrowserProgress | null {
  if (typeof p !== 'object' || p === null || typeof p.startedAt !== 'string' || typeof p.updatedAt !== 'string') return null;
  const steps: Record<string, StepRecord> = {};
  for (const [address, r] of Object.entries(p.steps ?? {})) {
    if (STATUSES.includes(r?.status) && typeof r.at === 'string') steps[address] = { status: r.status, at: r.at };
  }
  const open = p.open && typeof p.open.lesson === 'string' && ID.test(p.open.lesson) ? { lesson: p.open.lesson, step: typeof p.open.step === 'string' && ID.test(p.open.step) ? p.open.step : null } : null;
  return { steps, open, startedAt: p.startedAt, completedAt: typeof p.completedAt === 'string' ? p.completedAt : null, updatedAt: p.updatedAt };
}
