// endpoints-match-pods: the Service's ready endpoint IPs are exactly the IPs of the Running,
// Ready pods the selector picks, so traffic to the Service's VIP reaches those pods and no others.
import type { CheckFn } from './env.ts';
import { fail, pass } from './env.ts';
import { EARLIER_STEP } from './pod-exec.ts';
import { isPodReady, parseSelector, podName, refText, selectorText, type Endpoint } from '../cluster.ts';

export const endpointsMatchPods: CheckFn<'endpoints-match-pods'> = async (spec, env) => {
  const ref = refText(spec.namespace, spec.service);
  const [svc, pods, eps] = await Promise.all([
    env.cluster.readService(spec.namespace, spec.service),
    env.cluster.listPods(spec.namespace, spec.podSelector),
    env.cluster.readyEndpoints(spec.namespace, spec.service),
  ]);
  const ready = pods.filter((p) => p.status?.podIP && isPodReady(p));
  const podIPs = ready.map((p) => p.status!.podIP!);
  const the = `the ${spec.podSelector} pod${ready.length === 1 ? '' : 's'}`;
  const expected = ready.length
    ? `${spec.service} endpoints ${podIPs.join(', ')} (${the} ${ready.map(podName).join(', ')})`
    : `${spec.service} endpoints are the IPs of Running, Ready pods with ${spec.podSelector}`;
  if (!svc) return fail(expected, `there is no Service ${ref}`, `Create the Service ${ref} with the selector ${spec.podSelector}.`);
  const actual = eps.length ? `${spec.service} endpoints ${describeEndpoints(eps)}` : `${spec.service} has no ready endpoints`;
  if (ready.length === 0) {
    const notReady = pods.map((p) => `${podName(p)} (${p.status?.phase ?? 'Unknown'})`);
    return fail(
      expected,
      `${actual}; no Running, Ready pod has ${spec.podSelector}${notReady.length ? ` (${notReady.join(', ')})` : ''}`,
      `Start the pods first (${EARLIER_STEP}) and wait until \`kubectl get pods -n ${spec.namespace} -l ${spec.podSelector}\` shows them Running and Ready.`,
    );
  }
  const want = new Set(podIPs);
  const have = new Set(eps.map((e) => e.ip));
  const same = want.size === have.size && [...want].every((ip) => have.has(ip));
  if (same) return pass(expected, actual);
  const current = selectorText(svc.spec?.selector);
  return fail(
    expected,
    actual,
    current === selectorText(parseSelector(spec.podSelector))
      ? `The Service already selects ${spec.podSelector}; wait a few seconds for its endpoints to follow the pods, then check again (\`kubectl describe svc ${spec.service} -n ${spec.namespace}\`).`
      : `Service ${ref} selects ${current}: point its selector at ${spec.podSelector}, then wait a few seconds for the endpoints to follow the new selector.`,
  );
};

function describeEndpoints(eps: Endpoint[]): string {
  const pods = eps.map((e) => e.pod).filter((p): p is string => !!p);
  return `${eps.map((e) => e.ip).join(', ')}${pods.length ? ` (pod${pods.length === 1 ? '' : 's'} ${pods.join(', ')})` : ''}`;
}
