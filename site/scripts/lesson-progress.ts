// What the page remembers across reloads and closed tabs, in localStorage: each step's last check
// status (with when it was checked) and the lesson that was open. Storage can be full, disabled
// or hold an older shape; any of those starts the learner from an empty record rather than
// breaking the page.
import type { StepResult } from './lesson-api.ts';

export type CheckStatus = StepResult['status'];

export interface SavedCheck {
  status: CheckStatus;
  /** epoch milliseconds */
  at: number;
}

const PROGRESS_KEY = 'coredns-lab:progress';
const OPEN_LESSON_KEY = 'coredns-lab:open-lesson';
const STATUSES: readonly string[] = ['pass', 'fail', 'error'] satisfies CheckStatus[];

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
    // storage full or disabled: the page still works, it just forgets on reload
  }
}

export function loadChecks(): Map<string, SavedCheck> {
  const out = new Map<string, SavedCheck>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(read(PROGRESS_KEY) ?? '{}');
  } catch {
    return out;
  }
  const steps = (parsed as { steps?: unknown }).steps;
  if (typeof steps !== 'object' || steps === null) return out;
  for (const [address, v] of Object.entries(steps)) {
    const c = v as Partial<SavedCheck>;
    if (typeof c?.status === 'string' && STATUSES.includes(c.status) && typeof c.at === 'number') {
      out.set(address, { status: c.status, at: c.at });
    }
  }
  return out;
}

export function saveCheck(address: string, status: CheckStatus, at = Date.now()): void {
  const all = loadChecks();
  all.set(address, { status, at });
  write(PROGRESS_KEY, JSON.stringify({ steps: Object.fromEntries(all) }));
}

/** forget every step's status: the sandbox went back to the Status Quo */
export function clearChecks(): void {
  write(PROGRESS_KEY, JSON.stringify({ steps: {} }));
}

export function loadOpenLesson(): string | null {
  return read(OPEN_LESSON_KEY);
}

export function saveOpenLesson(id: string): void {
  write(OPEN_LESSON_KEY, id);
}
