// Running a command in the learner's test pod for nslookup and resolv-conf: a missing or
// not-yet-running pod is the learner's state to fix (fail), while an exec that breaks for
// another reason means the check could not run (error).
import type { CheckResult, ObjectRef } from '../schema.ts';
import { ClusterUnreachableError, isPodReady, podState, refText } from '../cluster.ts';
import { errorLines, isUnreachable, type KubectlResult } from '../kubectl.ts';
import { fail, run, type CheckEnv } from './env.ts';

/** the phrase a hint uses for "another step creates this pod"; the runner names that step when it knows the chapter */
export const EARLIER_STEP = 'an earlier step of the chapter does this';

export function podNamespace(ref: ObjectRef): string {
  return ref.namespace ?? 'default';
}

/** the pod is there and ready, or the fail result that says so */
export async function podForExec(env: CheckEnv, pod: ObjectRef, expected: string): Promise<CheckResult | undefined> {
  const ns = podNamespace(pod);
  const ref = refText(ns, pod.name);
  const p = await env.cluster.readPod(ns, pod.name);
  if (!p) {
    return fail(expected, `there is no pod ${ref} to run it in`, `Create the pod ${ref} first (${EARLIER_STEP}), then wait until \`kubectl get pod ${pod.name}${ns === 'default' ? '' : ` -n ${ns}`}\` shows 1/1 Running.`);
  }
  if (!isPodReady(p)) {
    return fail(expected, `pod ${ref} is ${podState(p)}`, `Wait until \`kubectl get pod ${pod.name}${ns === 'default' ? '' : ` -n ${ns}`}\` shows it Running and Ready, then check again.`);
  }
  return undefined;
}

export async function execIn(env: CheckEnv, pod: ObjectRef, command: string[]): Promise<KubectlResult> {
  const r = await run(env, ['exec', pod.name, '-n', podNamespace(pod), '--', ...command], 30_000);
  if (r.code !== 0 && isUnreachable(r.stderr))
    throw new ClusterUnreachableError(env.cluster.server, errorLines(r.stderr)[0] ?? r.stderr.trim());
  return r;
}

/** kubectl's own complaint, one line, for an error result */
export function execFailure(r: KubectlResult): string {
  return (errorLines(r.stderr)[0] ?? r.stderr.trim().split('\n')[0]) || `kubectl exec exited ${r.code} with no output`;
}
