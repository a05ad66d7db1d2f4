// Brings the cluster to the state after a step by running the solve actions of every step up
// to it, in chapter order. Actions are idempotent (create with AlreadyExists ignored, apply,
// delete with NotFound ignored, waits), so solving twice, or after the learner did part of the
// work by hand, ends in the same state.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Chapter, SolveAction, Step } from './schema.ts';
import { checkOne, describeCheck, type RunnerContext } from './runner.ts';
import { kubectl, errorLines, errorReasons } from './kubectl.ts';
import { findStep, LESSONS_DIR } from './load-lessons.ts';

export interface SolverContext extends RunnerContext {
  lessonsDir?: string;
}

export class SolveError extends Error {
  readonly code = 'LAB_ERR_SOLVE';
  constructor(readonly step: string, readonly action: string, readonly detail: string) {
    super(`${step}: ${action} failed: ${detail}`);
    this.name = 'SolveError';
  }
}

const POLL_MS = 500;
const DEFAULT_WAIT_S = 90;

export async function solveTo(
  ctx: SolverContext,
  chapter: Chapter,
  address: string,
  onProgress: (line: string) => void = () => {},
): Promise<void> {
  const found = findStep(chapter, address);
  const last = found.step ?? found.lesson.steps[found.lesson.steps.length - 1]!;
  for (const lesson of chapter.lessons) {
    for (const step of lesson.steps) {
      await solveStep(ctx, `${lesson.id}/${step.id}`, step, onProgress);
      if (lesson === found.lesson && step === last) return;
    }
  }
}

async function solveStep(ctx: SolverContext, address: string, step: Step, onProgress: (line: string) => void): Promise<void> {
  for (const action of step.solve) {
    ctx.signal?.throwIfAborted();
    if ('kubectl' in action) onProgress(`${address}: kubectl ${action.kubectl} ... ${await runKubectl(ctx, address, action)}`);
    else onProgress(`${address}: wait for ${describeCheck(action.waitFor)} ... ${await waitFor(ctx, address, action)}`);
  }
}

async function runKubectl(ctx: SolverContext, address: string, action: Extract<SolveAction, { kubectl: string }>): Promise<string> {
  const args = action.kubectl.trim().split(/\s+/);
  const r = await kubectl(args, {
    kubeconfig: ctx.kubeconfig,
    cwd: ctx.lessonsDir ?? LESSONS_DIR,
    signal: ctx.signal,
    timeoutMs: 60_000,
  }).catch((err: Error) => {
    throw new SolveError(address, `kubectl ${action.kubectl}`, err.message);
  });
  if (r.code === 0) return 'done';
  const reasons = errorReasons(r.stderr);
  const ignore = new Set(action.ignore ?? []);
  // every failure line must be an ignored API reason: one AlreadyExists among several objects
  // must not hide a real error about another
  const onlyIgnored = reasons.length > 0 && reasons.length === errorLines(r.stderr).length && reasons.every((x) => ignore.has(x));
  if (onlyIgnored) return `done (${[...new Set(reasons)].join(', ')}, counted as done)`;
  throw new SolveError(address, `kubectl ${action.kubectl}`, r.stderr.trim() || r.stdout.trim() || `kubectl exited ${r.code}`);
}

async function waitFor(ctx: SolverContext, address: string, action: Extract<SolveAction, { waitFor: unknown }>): Promise<string> {
  const started = Date.now();
  const deadline = started + (action.timeoutSeconds ?? DEFAULT_WAIT_S) * 1000;
  for (;;) {
    const r = await checkOne(ctx, action.waitFor);
    if (r.status === 'pass') return `done (${((Date.now() - started) / 1000).toFixed(1)} s)`;
    ctx.signal?.throwIfAborted();
    if (Date.now() + POLL_MS > deadline) {
      throw new SolveError(
        address,
        `wait for ${describeCheck(action.waitFor)}`,
        `still ${r.status} after ${action.timeoutSeconds ?? DEFAULT_WAIT_S} s: expected ${r.expected}; actual ${r.actual}${r.hint ? `. ${r.hint}` : ''}`,
      );
    }
    await sleep(POLL_MS, undefined, { signal: ctx.signal });
  }
}
