// The page's side of the lesson routes (sandbox/server/lesson-routes.ts): the chapter, a step's
// check, a solve. Every failure becomes a LessonApiError whose message a learner can act on, so
// the step can show it as it is.
import type { Chapter, StepResult } from '../../sandbox/checks/schema.ts';

export type { Chapter, Lesson, Step, StepResult, CheckResult } from '../../sandbox/checks/schema.ts';

export interface SolveAnswer {
  log: string[];
  result: StepResult;
}

export type SavedStatus = StepResult['status'];

/** One browser's progress as the lab server keeps it (sandbox/server/progress-store.ts, BrowserProgress). */
export interface Progress {
  steps: Record<string, { status: SavedStatus; at: string }>;
  open: { lesson: string; step: string | null } | null;
  startedAt: string;
  completedAt: string | null;
  updatedAt: string;
}

export interface ResetAnswer {
  reset: { resetEpoch: number; at: string };
  /** what the lesson reset solved to reach the lesson's start */
  log: string[];
}

interface ErrorBody {
  error?: { code?: string; message?: string };
  log?: unknown;
}

export class LessonApiError extends Error {
  override readonly name = 'LessonApiError';
  constructor(
    /** LAB_ERR_... from the server, or LAB_ERR_NETWORK when it could not be reached */
    readonly code: string,
    message: string,
    /** what a failed solve did before it stopped */
    readonly log: string[] = [],
  ) {
    super(message);
  }
}

/** The server's error in plain words: what went wrong and what to do about it. */
function explain(status: number, code: string, message: string): string {
  switch (code) {
    case 'LAB_ERR_CLUSTER_NOT_READY':
      return `The cluster is not running: ${message}. Start it (or wait for it to finish starting), then try again.`;
    case 'LAB_ERR_BUSY':
      return `The lab is busy: ${message}.`;
    case 'LAB_ERR_SOLVE':
      return `The solve stopped before it finished: ${message}. The lines below show how far it got; fix what they name in the terminal, or try again.`;
    case 'LAB_ERR_NOT_FOUND':
      return `The lab server does not know this step: ${message}. Reload the page to get the current lessons.`;
    case 'LAB_ERR_LESSON':
      return `The lesson files have a mistake, so the lab cannot read them: ${message}`;
    case 'LAB_ERR_OWNER_NOT_READY':
    case 'LAB_ERR_NO_CLUSTER':
      return `The sandbox cannot be reset now: ${message}.`;
    case 'LAB_ERR_RESET_FAILED':
      return `The reset did not finish: ${message}. Try again; if it fails again, restart the lab (Ctrl-C, then npm start).`;
  }
  if (status === 401) return 'The lab server no longer accepts this page: it was restarted with a new access token. Open the URL that "coredns-lab serve" printed.';
  if (status === 403) return `The lab server refused the request (${message}). Open the lab from the URL that "coredns-lab serve" printed.`;
  return `The lab server answered with an error (HTTP ${status}${code ? `, ${code}` : ''}): ${message || 'no details'}.`;
}

async function call<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    res = await fetch(path, { method, credentials: 'same-origin', headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch (err) {
    throw new LessonApiError('LAB_ERR_NETWORK', `Could not reach the lab server (${(err as Error).message}). Check that "coredns-lab serve" is still running, then try again.`);
  }
  let answer: unknown = null;
  try {
    answer = await res.json();
  } catch {
    // not JSON: a proxy's error page or an empty answer; explained by the status below
  }
  if (res.ok && answer !== null) return answer as T;
  const e = (answer ?? {}) as ErrorBody;
  const code = e.error?.code ?? '';
  const message = e.error?.message ?? (res.ok ? 'the answer was not JSON' : res.statusText);
  const log = Array.isArray(e.log) ? e.log.filter((l): l is string => typeof l === 'string') : [];
  throw new LessonApiError(code || `HTTP_${res.status}`, explain(res.status, code, message.replace(/\.$/, '')), log);
}

const stepPath = (address: string) => address.split('/').map(encodeURIComponent).join('/');

export const fetchChapter = (): Promise<Chapter> => call<Chapter>('GET', '/api/lessons');

export const checkStep = (address: string): Promise<StepResult> => call<StepResult>('POST', `/api/checks/${stepPath(address)}`);

export const solveStep = (address: string): Promise<SolveAnswer> => call<SolveAnswer>('POST', `/api/solve/${stepPath(address)}`);

/** every step of the chapter, in order: what the page shows is what the cluster is */
export const checkChapter = (): Promise<StepResult[]> => call<StepResult[]>('POST', '/api/checks');

export const fetchProgress = (): Promise<Progress> => call<Progress>('GET', '/api/progress');

export const saveOpen = (lesson: string, step: string | null): Promise<Progress> => call<Progress>('PUT', '/api/progress/open', { lesson, step });

/** the sandbox back to the Status Quo (lesson undefined), or to where that lesson starts */
export const resetSandbox = (lesson?: string): Promise<ResetAnswer> =>
  call<ResetAnswer>('POST', lesson === undefined ? '/api/reset' : `/api/reset/${encodeURIComponent(lesson)}`);
