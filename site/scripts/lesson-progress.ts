// The browser's copy of its progress (the lab server keeps the original, per browser, in the
// state dir: GET /api/progress). It lets the first paint show where the learner was before the
// server has answered; the page then checks every step against the cluster anyway. Storage can
// be full, disabled or hold an older shape: any of those starts from nothing rather than
// breaking the page.
import type { Progress, SavedStatus } from './lesson-api.ts';

const MIRROR_KEY = 'coredns-lab:progress-mirror';
const STATUSES: readonly string[] = ['pass', 'fail', 'error'] satisfies SavedStatus[];

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage full or disabled: the page still works, the server keeps the progress
  }
}

export function loadMirror(): Progress | null {
  let p: Partial<Progress>;
  try {
    p = JSON.parse(read(MIRROR_KEY) ?? 'null') as Partial<Progress>;
  } catch {
    return null;
  }
  if (typeof p !== 'object' || p === null || typeof p.startedAt !== 'string') return null;
  const steps: Progress['steps'] = {};
  for (const [address, r] of Object.entries(p.steps ?? {})) {
    if (STATUSES.includes(r?.status) && typeof r.at === 'string') steps[address] = { status: r.status, at: r.at };
  }
  const open = p.open && typeof p.open.lesson === 'string' ? { lesson: p.open.lesson, step: typeof p.open.step === 'string' ? p.open.step : null } : null;
  return { steps, open, startedAt: p.startedAt, completedAt: typeof p.completedAt === 'string' ? p.completedAt : null, updatedAt: String(p.updatedAt ?? p.startedAt) };
}

export function saveMirror(p: Progress): void {
  write(MIRROR_KEY, JSON.stringify(p));
}
