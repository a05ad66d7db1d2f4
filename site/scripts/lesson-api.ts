// The page's side of the lesson routes (sandbox/server/lesson-routes.ts): the chapter, a step's
// check, a solve. Every failure becomes a LessonApiError whose message a learner can act on, so
// the step can show it as it is.
import type { Chapter, StepResult } from '../../sandbox/checks/schema.ts';

export type { Chapter, Lesson, Step, StepResult, CheckResult } from '../../sandbox/checks/schema.ts';

export interface SolveAnswer {
  log: string[];
  result: StepResult;
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
  }
  if (status === 401) return 'The lab server no longer accepts this page: it was restarted with a new access token. Open the URL that "coredns-lab serve" printed.';
  if (status === 403) return `The lab server refused the request (${message}). Open the lab from the URL that "coredns-lab serve" printed.`;
  return `The lab server answered with an error (HTTP ${status}${code ? `, ${code}` : ''}): ${message || 'no details'}.`;
}

async function call<T>(method: 'GET' | 'POST', path: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { method, credentials: 'same-origin', headers: { Accept: 'application/json' } });
  } catch (err) {
    throw new LessonApiError('LAB_ERR_NETWORK', `Could not reach the lab server (${(err as Error).message}). Check that "coredns-lab serve" is still running, then try again.`);
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON: a proxy's error page or an empty answer; explained by the status below
  }
  if (res.ok && body !== null) return body as T;
  const e = (body ?? {}) as ErrorBody;
  const code = e.error?.code ?? '';
  const message = e.error?.message ?? (res.ok ? 'the answer was not JSON' : res.statusText);
  const log = Array.isArray(e.log) ? e.log.filter((l): l is string => typeof l === 'string') : [];
  throw new LessonApiError(code || `HTTP_${res.status}`, explain(res.status, code, message.replace(/\.$/, '')), log);
}

const stepPath = (address: string) => address.split('/').map(encodeURIComponent).join('/');

export const fetchChapter = (): Promise<Chapter> => call<Chapter>('GET', '/api/lessons');

export const checkStep = (address: string): Promise<StepResult> => call<StepResult>('POST', `/api/checks/${stepPath(address)}`);

export const solveStep = (address: string): Promise<SolveAnswer> => call<SolveAnswer>('POST', `/api/solve/${stepPath(address)}`);
