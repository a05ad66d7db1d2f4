// The shapes of the chapter, as types: a loaded chapter and lesson, and what a check says. The
// file format (a step, a check, a solve action) is written once in zod in lesson-schema.ts and its
// types are inferred there; they are re-exported here, type only, so the page can import this
// file with `import type` and no zod reaches the browser.
import type { Step } from './lesson-schema.ts';

export type { CheckKind, CheckSpec, ObjectRef, SolveAction, Step } from './lesson-schema.ts';

export interface Chapter {
  title: string;
  lessons: Lesson[];
}

export interface Lesson {
  /** folder name, e.g. "status-quo" */
  id: string;
  title: string;
  /** one line for the outline */
  summary: string;
  /** Markdown before the first step */
  intro: string;
  steps: Step[];
}

/** What a check says. Values come from the cluster, never from the chapter's literals. */
export interface CheckResult {
  status: 'pass' | 'fail' | 'error';
  /** what the step asks for, in words with the cluster's values */
  expected: string;
  /** what the cluster shows */
  actual: string;
  /** on fail or error: what to do about it */
  hint?: string;
}

export interface StepResult extends CheckResult {
  /** "<lesson>/<step>" */
  step: string;
  /**
   * on fail: the earlier step ("<lesson>/<step>") that makes what this one is missing (the pod an
   * exec runs in, the pods a Service should select), so a page can link to it
   */
  needs?: string;
  /** one per check of the step, in order */
  checks: CheckResult[];
}
