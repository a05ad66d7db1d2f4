// pods-ready: at least `min` pods, named or selected by label, are Running and Ready.
import type { CheckFn } from './env.ts';
import { fail, pass, plural } from './env.ts';
import { isPodReady, podName, podState, refText } from '../cluster.ts';

export const podsReady: CheckFn<'pods-ready'> = async (spec, env) => {
  const min = spec.min ?? 1;
  if (spec.name !== undefined) {
    const ref = refText(spec.namespace, spec.name);
    const expected = `pod ${ref} Running and Ready`;
    const pod = await env.cluster.readPod(spec.namespace, spec.name);
    if (!pod) return fail(expected, `there is no pod ${ref}`, `Create the pod, then wait until \`kubectl get pod ${spec.name} -n ${spec.namespace}\` shows it Running and Ready.`);
    if (isPodReady(pod)) return pass(expected, `pod ${ref} is ${podState(pod)} (IP ${pod.status?.podIP ?? 'none'})`);
    return fail(expected, `pod ${ref} is ${podState(pod)}`, `Wait a few seconds; if it stays so, \`kubectl describe pod ${spec.name} -n ${spec.namespace}\` shows why.`);
  }
  const sel = spec.selector!;
  const pods = await env.cluster.listPods(spec.namespace, sel);
  const ready = pods.filter(isPodReady);
  const expected = `at least ${plural(min, 'pod')} with ${sel} in ${spec.namespace} Running and Ready`;
  const actual = pods.length === 0 ? `no pod in ${spec.namespace} has ${sel}` : `${ready.length} of ${plural(pods.length, 'pod')} ready: ${pods.map((p) => `${podName(p)} (${podState(p)})`).join(', ')}`;
  if (ready.length >= min) return pass(expected, actual);
  return fail(
    expected,
    actual,
    pods.length === 0
      ? `Create what runs these pods (a Deployment whose pod template has the labels ${sel}), then wait until \`kubectl get pods -n ${spec.namespace} -l ${sel}\` shows them Running.`
      : `Wait a few seconds; if they stay so, \`kubectl describe pods -n ${spec.namespace} -l ${sel}\` shows why.`,
  );
};
