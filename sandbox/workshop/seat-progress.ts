// Where a seat's learner is: read from the progress its lab page keeps in the seat's state dir
// (progress.json: per browser, each step's last check status and the step that is open). The
// workshop only reads it; the page's server writes it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SeatProgress {
  /** "lesson/step" the learner has open, or null */
  where: string | null;
  /** how many of the chapter's steps passed their last check, or null without progress */
  passed: number | null;
  /** "lesson/step" -> the last check's status (pass, fail, error); steps never checked are absent */
  steps: Record<string, string>;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export const PROGRESS_FILE = 'progress.json';

function readJson(path: string): Json | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Json;
  } catch {
    return undefined;
  }
}

/**
 * Tolerant of the file's layout (one entry per browser; steps as a map keyed by address or as a
 * list of {lesson, step, status}): a seat is one learner, so every browser's passes count.
 */
export function seatProgress(stateDir: string, steps: string[]): SeatProgress {
  const data = readJson(join(stateDir, PROGRESS_FILE));
  if (data === undefined) return { where: null, passed: null, steps: {} };
  const known = new Set(steps);
  const passed = new Set<string>();
  const statuses: Record<string, string> = {};
  // a pass in any browser of the seat counts; otherwise the last status seen stays
  const note = (addr: string, status: string) => {
    if (statuses[addr] !== 'pass') statuses[addr] = status;
    if (status === 'pass') passed.add(addr);
  };
  let where: string | null = null;
  let whereAt = '';
  const visit = (v: Json, key: string | null): void => {
    if (Array.isArray(v)) return v.forEach((x) => visit(x, null));
    if (!v || typeof v !== 'object') {
      if (key && known.has(key) && typeof v === 'string') note(key, v);
      return;
    }
    const addr = typeof v.lesson === 'string' && typeof v.step === 'string' ? `${v.lesson}/${v.step}` : key;
    if (addr && known.has(addr) && typeof v.status === 'string') note(addr, v.status);
    for (const name of ['current', 'open', 'at']) {
      const c = v[name];
      const at = typeof v.updatedAt === 'string' ? v.updatedAt : '';
      const cur = typeof c === 'string' ? c : c && typeof c === 'object' && !Array.isArray(c) && typeof c.lesson === 'string' ? `${c.lesson}${typeof c.step === 'string' ? `/${c.step}` : ''}` : null;
      if (cur && (where === null || at > whereAt)) {
        where = cur;
        whereAt = at;
      }
    }
    for (const [k, x] of Object.entries(v)) visit(x, k);
  };
  visit(data, null);
  return { where, passed: passed.size, steps: statuses };
}
