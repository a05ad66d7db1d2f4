// The check runner's public API, for the CLI (`check`, `solve`) and the lab server's HTTP API.
import type { Chapter, Lesson, Step, StepResult } from './schema.ts';
import * as runner from './runner.ts';
import * as solver from './solver.ts';
import { Cluster } from './cluster.ts';
import { loadChapter } from './load-lessons.ts';

export interface CheckContext {
  kubeconfig: string;
  /** where templates/ resolves for solve actions; default LESSONS_DIR */
  lessonsDir?: string;
  signal?: AbortSignal;
}

/** every check of the step; never throws (an unreachable cluster is status error with a hint) */
export function checkStep(ctx: CheckContext, lesson: Lesson, step: Step): Promise<StepResult> {
  return runner.checkStep(ctx, lesson, step);
}

/** address: undefined (every step), "<lesson>", or "<lesson>/<step>"; in chapter order */
export function checkAddress(ctx: CheckContext, chapter: Chapter, address?: string): Promise<StepResult[]> {
  return runner.checkAddress(ctx, chapter, address);
}

/**
 * runs the solve actions of every step from the chapter's first step up to and including
 * `address` (a lesson address: its last step), in order; idempotent; onProgress gets one human
 * line per action; throws SolveError (code LAB_ERR_SOLVE) naming the step, the action and
 * kubectl's own error text on failure
 */
export function solveTo(ctx: CheckContext, chapter: Chapter, address: string, onProgress?: (line: string) => void): Promise<void> {
  return solver.solveTo(ctx, chapter, address, onProgress);
}

/**
 * What the first check would otherwise pay for: the chapter parsed, and the API client for the
 * kubeconfig made (its YAML read, the TLS options built). A workshop's seats are checked all at
 * once as the room starts; done here, while the seat idles, it is not in the learner's first check.
 */
export function warmUp(kubeconfig?: string): void {
  loadChapter();
  if (kubeconfig) Cluster.for(kubeconfig);
}

export { SolveError } from './solver.ts';
export { loadChapter, findStep, LessonError, LESSONS_DIR } from './load-lessons.ts';
export { templateSetFor, withTemplates, type TemplateSet, type ClusterKind } from './templates.ts';
export type * from './schema.ts';
