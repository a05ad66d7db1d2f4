// Runs a step's checks against a cluster and folds them into one StepResult. Nothing here
// throws: a cluster that does not answer, a missing kubectl or a bug in a check kind becomes
// status error with a hint, because the caller (CLI, HTTP API) shows results, not stack traces.
import type { Chapter, CheckResult, CheckSpec, Lesson, Step, StepResult } from './schema.ts';
import { Cluster, ClusterUnreachableError } from './cluster.ts';
import { KubectlMissingError } from './kubectl.ts';
import { KINDS, type CheckEnv } from './kinds/index.ts';
import { findStep } from './load-lessons.ts';
import { EARLIER_STEP } from './kinds/pod-exec.ts';

export interface RunnerContext {
  kubeconfig: string;
  signal?: AbortSignal;
}

const UNREACHABLE_HINT = 'Is the sandbox running? Start it with `npm run lab -- sandbox up` (or `npm start`); on your own cluster, `kubectl cluster-info` shows whether it answers.';

/** a Cluster for the context, or the error result that says why there is none */
function connect(ctx: RunnerContext): { env: CheckEnv } | { failed: CheckResult } {
  try {
    return { env: { cluster: Cluster.for(ctx.kubeconfig), kubeconfig: ctx.kubeconfig, signal: ctx.signal } };
  } catch (err) {
    return { failed: asError(err, 'the cluster answers') };
  }
}

/** one check; never throws */
export async function runCheck(env: CheckEnv, spec: CheckSpec): Promise<CheckResult> {
  if (env.signal?.aborted) return { status: 'error', expected: describeCheck(spec), actual: 'the check was cancelled', hint: 'Run the check again.' };
  try {
    const fn = KINDS[spec.kind] as (s: CheckSpec, e: CheckEnv) => Promise<CheckResult>;
    return await fn(spec, env);
  } catch (err) {
    return asError(err, describeCheck(spec));
  }
}

function asError(err: unknown, expected: string): CheckResult {
  if (err instanceof ClusterUnreachableError) return { status: 'error', expected, actual: err.message, hint: UNREACHABLE_HINT };
  if (err instanceof KubectlMissingError) return { status: 'error', expected, actual: err.message, hint: 'Install kubectl (1.30 or newer) and put it on PATH; `npm run lab -- doctor` says how.' };
  const e = err as Error;
  if (e?.name === 'AbortError') return { status: 'error', expected, actual: 'the check was cancelled', hint: 'Run the check again.' };
  const status = (err as { code?: unknown }).code;
  const body = (err as { body?: unknown }).body;
  const detail = typeof status === 'number' ? `the API answered ${status}${typeof body === 'string' ? `: ${apiMessage(body)}` : ''}` : (e?.message ?? String(err));
  return { status: 'error', expected, actual: `the check could not run: ${detail}`, hint: 'Check that kubectl works against this cluster (`kubectl get pods -A`); if it does, this is a bug in the lab: please report it with this message.' };
}

function apiMessage(body: string): string {
  try {
    return (JSON.parse(body) as { message?: string }).message ?? body.slice(0, 200);
  } catch {
    return body.slice(0, 200);
  }
}

/** "nslookup kubernetes.default in default/busybox", for progress lines and error results */
export function describeCheck(spec: CheckSpec): string {
  const ns = (n: string | undefined, name: string) => `${n ?? 'default'}/${name}`;
  switch (spec.kind) {
    case 'service': return `service ${ns(spec.namespace, spec.name)}${spec.selector ? ` selects ${spec.selector}` : ''}${spec.endpoints ? ' with endpoints' : ''}`;
    case 'endpoints-match-pods': return `endpoints of ${ns(spec.namespace, spec.service)} match the ${spec.podSelector} pods`;
    case 'pods-ready': return `pods ${spec.name ? ns(spec.namespace, spec.name) : `${spec.namespace} -l ${spec.selector}`} ready`;
    case 'deployment-available': return `deployment ${ns(spec.namespace, spec.name)} available`;
    case 'exists': return `${spec.objects.map((o) => `${o.kind} ${o.name}`).join(', ')} exist`;
    case 'absent': return `${spec.object.kind} ${spec.object.name} absent`;
    case 'nodes-ready': return `${spec.min ?? 1} node(s) ready`;
    case 'nslookup': return `nslookup ${spec.query} in ${ns(spec.pod.namespace, spec.pod.name)}`;
    case 'resolv-conf': return `resolv.conf of ${ns(spec.pod.namespace, spec.pod.name)}`;
    case 'logs-contain': return `logs of ${spec.namespace} -l ${spec.podSelector} show ${spec.describe}`;
  }
}

/** one check on its own (the solver's waitFor uses this) */
export async function checkOne(ctx: RunnerContext, spec: CheckSpec): Promise<CheckResult> {
  const c = connect(ctx);
  if ('failed' in c) return c.failed;
  return runCheck(c.env, spec);
}

export async function checkStep(ctx: RunnerContext, lesson: Lesson, step: Step, chapter?: Chapter): Promise<StepResult> {
  const address = `${lesson.id}/${step.id}`;
  const c = connect(ctx);
  const checks = 'failed' in c ? step.checks.map(() => c.failed) : await Promise.all(step.checks.map((spec) => runCheck(c.env, spec)));
  return fold(address, step, checks, chapter);
}

function fold(address: string, step: Step, checks: CheckResult[], chapter?: Chapter): StepResult {
  const index = checks.findIndex((r) => r.status !== 'pass');
  const first = checks[index];
  if (!first) {
    return { step: address, status: 'pass', expected: checks.map((r) => r.expected).join('; '), actual: checks.map((r) => r.actual).join('; '), checks };
  }
  let hint = first.hint;
  let needs: string | undefined;
  const command = step.commands[0];
  if (hint?.includes(EARLIER_STEP)) {
    // the way forward is another step's command (the pod this one execs in): name it when known
    const before = chapter && podStep(chapter, step.checks[index]!);
    if (before) {
      hint = hint.replace(EARLIER_STEP, `step ${before.address} does this: \`${before.command}\``);
      needs = before.address;
    }
  } else if (first.status === 'fail' && command && !(hint ?? '').includes(command)) {
    // the step's own command is the learner's way forward when the cluster is not there yet
    hint = `${hint ? `${hint} ` : ''}The step's command: \`${command}\``;
  }
  return {
    step: address,
    status: first.status,
    expected: first.expected,
    actual: first.actual,
    ...(hint ? { hint } : {}),
    ...(needs ? { needs } : {}),
    checks,
  };
}

export async function checkAddress(ctx: RunnerContext, chapter: Chapter, address?: string): Promise<StepResult[]> {
  const targets: { lesson: Lesson; step: Step }[] = [];
  if (address === undefined) {
    for (const lesson of chapter.lessons) for (const step of lesson.steps) targets.push({ lesson, step });
  } else {
    const { lesson, step } = findStep(chapter, address);
    for (const s of step ? [step] : lesson.steps) targets.push({ lesson, step: s });
  }
  // in order, one step at a time: a step's exec checks (nslookup) would otherwise race the
  // log checks of the steps after it
  const out: StepResult[] = [];
  for (const t of targets) out.push(await checkStep(ctx, t.lesson, t.step, chapter));
  return out;
}

/**
 * the step that makes what a failing check needs (the pod an exec runs in, the Deployment, the
 * pods a Service should select), and its first command
 */
function podStep(chapter: Chapter, spec: CheckSpec): { address: string; command: string } | undefined {
  let makes: (c: CheckSpec) => boolean;
  if (spec.kind === 'nslookup' || spec.kind === 'resolv-conf') {
    const ns = spec.pod.namespace ?? 'default';
    makes = (c) => c.kind === 'pods-ready' && c.name === spec.pod.name && c.namespace === ns;
  } else if (spec.kind === 'deployment-available') {
    makes = (c) => c.kind === 'exists' && c.objects.some((o) => o.kind === 'deployment' && o.name === spec.name && (o.namespace ?? 'default') === spec.namespace);
  } else if (spec.kind === 'endpoints-match-pods') {
    // the step that waits for the pods; when a Deployment makes them, the step that creates it
    const wait = stepWhere(chapter, (c) => c.kind === 'pods-ready' && c.selector === spec.podSelector && c.namespace === spec.namespace);
    const deployment = wait?.step.checks.find((c) => c.kind === 'deployment-available');
    return (deployment && podStep(chapter, deployment)) ?? (wait && withCommand(wait));
  } else return undefined;
  const found = stepWhere(chapter, makes);
  return found && withCommand(found);
}

function stepWhere(chapter: Chapter, makes: (c: CheckSpec) => boolean): { lesson: Lesson; step: Step } | undefined {
  for (const lesson of chapter.lessons) {
    for (const step of lesson.steps) if (step.checks.some(makes) && step.commands[0]) return { lesson, step };
  }
  return undefined;
}

const withCommand = ({ lesson, step }: { lesson: Lesson; step: Step }) => ({ address: `${lesson.id}/${step.id}`, command: step.commands[0]! });
