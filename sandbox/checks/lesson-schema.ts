// The lesson format of lessons/, written once in zod. Two readers use it: the site's content
// collections (site/content.config.ts, at build time) and load-lessons.ts (the CLI, the lab
// server), so a steps.yaml the build accepts is one the checks accept. The types of schema.ts
// are inferred from here. Messages are the author's: load-lessons.ts turns each zod issue into a
// LessonError naming the file, the step and the field.
//
//   lessons/index.yaml          chapterIndexSchema: title, lessons: [id, ...] in chapter order
//   lessons/<id>/lesson.md      lessonFrontSchema (front matter), then the lesson's introduction
//   lessons/<id>/steps.yaml     stepsSchema: what to type, what it shows, the check, the solve
import { z } from 'zod';

const ID = /^[a-z0-9-]+$/;

/** a string with something in it: an empty title or body is a mistake, not a choice */
const text = z.string().refine((s) => s.trim() !== '', { message: 'must not be empty' });

/** A label selector written as in kubectl -l: "k8s-app=coredns" (equality terms joined by commas). */
const selector = z.string();

const count = z.number().int({ message: 'must be a whole number' }).positive({ message: 'must be a positive whole number' });

/** A Kubernetes object reference; namespace defaults to "default" for namespaced kinds. */
export const objectRefSchema = z.object({ namespace: z.string().optional(), name: z.string() }).strict();

/** an object as kubectl names it: serviceaccount, clusterrole, configmap, ... */
const kindRefSchema = z.object({ kind: z.string(), namespace: z.string().optional(), name: z.string() }).strict();

const checkOptions = [
  /** the Service exists; with `selector`, its spec.selector is exactly that; with `endpoints`, it has ready endpoints */
  z.object({ kind: z.literal('service'), namespace: text, name: text, selector: selector.optional(), endpoints: z.boolean().optional() }).strict(),
  /** the Service's ready endpoint IPs are exactly the IPs of the Running, Ready pods matching podSelector (and there is at least one) */
  z.object({ kind: z.literal('endpoints-match-pods'), namespace: text, service: text, podSelector: text }).strict(),
  /** at least `min` (default 1) pods, by name or selector, are Running and Ready */
  z.object({ kind: z.literal('pods-ready'), namespace: text, name: z.string().optional(), selector: selector.optional(), min: count.optional() }).strict(),
  /** the Deployment has at least one available replica and all replicas updated */
  z.object({ kind: z.literal('deployment-available'), namespace: text, name: text }).strict(),
  /** each object exists */
  z.object({ kind: z.literal('exists'), objects: z.array(kindRefSchema).min(1) }).strict(),
  /** the object does not exist */
  z.object({ kind: z.literal('absent'), object: kindRefSchema }).strict(),
  /** at least `min` nodes are Ready */
  z.object({ kind: z.literal('nodes-ready'), min: count.optional() }).strict(),
  /**
   * `nslookup <query>` run in the pod answers: the Server line is the ClusterIP of `server` (the
   * cluster DNS Service) and an Address line is the ClusterIP of `answer`
   */
  z.object({ kind: z.literal('nslookup'), pod: objectRefSchema, query: text, server: objectRefSchema, answer: objectRefSchema }).strict(),
  /** the pod's /etc/resolv.conf names the ClusterIP of `server` and searches `search` in order */
  z.object({ kind: z.literal('resolv-conf'), pod: objectRefSchema, server: objectRefSchema, search: z.array(z.string()) }).strict(),
  /** the logs of a pod matching podSelector (any container) have a line matching `pattern` (a regular expression) */
  z.object({ kind: z.literal('logs-contain'), namespace: text, podSelector: text, pattern: text, describe: text }).strict(),
] as const;

export const CHECK_KINDS = checkOptions.map((o) => o.shape.kind.value);

/** each check kind's fields, for "unknown field" messages */
export const CHECK_FIELDS: Record<string, string[]> = Object.fromEntries(
  checkOptions.map((o) => [o.shape.kind.value, Object.keys(o.shape)]),
);

/** every check must pass for a step to pass; checks read the cluster, never the transcript */
export const checkSpecSchema = z.discriminatedUnion('kind', [...checkOptions]).superRefine((c, ctx) => {
  if (c.kind === 'pods-ready' && (c.name === undefined) === (c.selector === undefined)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'give exactly one of "name" and "selector"' });
  }
  if (c.kind === 'logs-contain') {
    try {
      new RegExp(c.pattern);
    } catch (err) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['pattern'], message: `"pattern" is not a regular expression: ${(err as Error).message}` });
    }
  }
});

/**
 * What `coredns-lab solve` does to reach the state after a step: `kubectl: <arguments>` runs the
 * real kubectl (split on spaces; `ignore` lists API reasons that count as done, e.g.
 * AlreadyExists), `waitFor: <check>` waits until the check passes (default 90 s).
 */
export const solveActionSchema = z
  .object({
    kubectl: text.optional(),
    ignore: z.array(z.string(), { message: '"ignore" must be a list of API reasons, e.g. [AlreadyExists]' }).optional(),
    waitFor: checkSpecSchema.optional(),
    timeoutSeconds: count.optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    const kubectl = a.kubectl !== undefined;
    if (kubectl === (a.waitFor !== undefined)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected "kubectl: <arguments>" or "waitFor: <check>"' });
    else if (kubectl && a.timeoutSeconds !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, message: '"timeoutSeconds" belongs to a waitFor' });
    else if (!kubectl && a.ignore !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, message: '"ignore" belongs to a kubectl action' });
  })
  .transform((a): { kubectl: string; ignore?: string[] } | { waitFor: CheckSpec; timeoutSeconds?: number } =>
    a.kubectl !== undefined
      ? { kubectl: a.kubectl, ...(a.ignore ? { ignore: a.ignore } : {}) }
      : { waitFor: a.waitFor!, ...(a.timeoutSeconds ? { timeoutSeconds: a.timeoutSeconds } : {}) },
  );

export const stepSchema = z.object({
  /** unique within the lesson; "<lesson>/<step>" is the step's address everywhere */
  id: z.string().regex(ID, { message: 'use lower case, digits and dashes' }),
  title: text,
  /** Markdown: what the step does and why, in our words */
  body: text,
  /** the commands to type, exactly as the terminal takes them (run from lessons/, so templates/ resolves) */
  commands: z.array(text).default([]),
  checks: z.array(checkSpecSchema).min(1, { message: 'expected at least one check' }),
  /** what `coredns-lab solve` does to reach the state after this step (after solving the steps before it) */
  solve: z.array(solveActionSchema).default([]),
});

/** lessons/<id>/steps.yaml */
export const stepsSchema = z
  .array(stepSchema)
  .min(1, { message: 'expected a list of steps' })
  .superRefine((steps, ctx) => {
    const seen = new Set<string>();
    for (const [i, s] of steps.entries()) {
      if (seen.has(s.id)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i], message: 'step ids must be unique within a lesson' });
      seen.add(s.id);
    }
  });

/** lessons/<id>/lesson.md's front matter; the Markdown after it is the lesson's introduction */
export const lessonFrontSchema = z.object({
  title: text,
  /** one line for the outline */
  summary: text,
});

/** lessons/index.yaml */
export const chapterIndexSchema = z.object({
  title: text,
  lessons: z
    .array(z.string().regex(ID, { message: 'lesson folder names use lower case, digits and dashes' }), { message: 'expected a list of lesson folder names (lower case, digits and dashes)' })
    .min(1, { message: 'expected a list of lesson folder names (lower case, digits and dashes)' })
    .superRefine((ids, ctx) => {
      const seen = new Set<string>();
      for (const id of ids) {
        if (seen.has(id)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${id}" is listed twice` });
        seen.add(id);
      }
    }),
});

export type ObjectRef = z.infer<typeof objectRefSchema>;
export type CheckSpec = z.infer<typeof checkSpecSchema>;
export type CheckKind = CheckSpec['kind'];
export type SolveAction = z.infer<typeof solveActionSchema>;
export type Step = z.infer<typeof stepSchema>;
export type LessonFront = z.infer<typeof lessonFrontSchema>;
export type ChapterIndex = z.infer<typeof chapterIndexSchema>;
