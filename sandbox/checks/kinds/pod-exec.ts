// Running a command in the learner's test pod for nslookup and resolv-conf: a missing or
// not-yet-running pod is the learner's state to fix (fail), while an exec that breaks for
// another reason means the check could not run (error). The command goes through the API's exec
// endpoint as kubectl exec sends it, without starting a kubectl for each check.
import type { CheckResult, ObjectRef } from '../schema.ts';
import { isPodReady, podState, refText, type Pod } from '../cluster.ts';
import { errorLines, type KubectlResult } from '../kubectl.ts';
import { fail, type CheckEnv } from './env.ts';

/** the phrase a hint uses for "another step creates this pod"; the runner names that step when it knows the chapter */
export const EARLIER_STEP = 'an earlier step of the chapter does this';

export function podNamespace(ref: ObjectRef): string {
  return ref.namespace ?? 'default';
}

/** the pod, there and ready, or the fail result that says why not */
export async function podForExec(env: CheckEnv, pod: ObjectRef, expected: string): Promise<{ pod: Pod } | { failed: CheckResult }> {
  const ns = podNamespace(pod);
  const ref = refText(ns, pod.name);
  const p = await env.cluster.readPod(ns, pod.name);
  if (!p) {
    return { failed: fail(expected, `there is no pod ${ref} to run it in`, `Create the pod ${ref} first (${EARLIER_STEP}), then wait until \`kubectl get pod ${pod.name}${ns === 'default' ? '' : ` -n ${ns}`}\` shows 1/1 Running.`) };
  }
  if (!isPodReady(p)) {
    return { failed: fail(expected, `pod ${ref} is ${podState(p)}`, `Wait until \`kubectl get pod ${pod.name}${ns === 'default' ? '' : ` -n ${ns}`}\` shows it Running and Ready, then check again.`) };
  }
  return { pod: p };
}

/** `kubectl exec POD -- command...`: an API that cannot be reached throws ClusterUnreachableError */
export function execIn(env: CheckEnv, pod: Pod, command: string[]): Promise<KubectlResult> {
  return env.cluster.exec(pod, command, 30_000, env.signal);
}

/** the complaint kubectl exec would print, one line, for an error result */
export function execFailure(r: KubectlResult): string {
  return (errorLines(r.stderr)[0] ?? r.stderr.trim().split('\n')[0]) || `kubectl exec exited ${r.code} with no output`;
}
