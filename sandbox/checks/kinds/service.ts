// service: the Service exists; optionally its selector is exactly the given one, and it has
// ready endpoints.
import type { CheckFn } from './env.ts';
import { fail, list, pass } from './env.ts';
import { parseSelector, refText, selectorText } from '../cluster.ts';

export const service: CheckFn<'service'> = async (spec, env) => {
  const ref = refText(spec.namespace, spec.name);
  const svc = await env.cluster.readService(spec.namespace, spec.name);
  const parts = [`Service ${ref} exists`];
  if (spec.selector !== undefined) parts.push(`selects ${selectorText(parseSelector(spec.selector))}`);
  if (spec.endpoints) parts.push('has ready endpoints');
  const expected = list(parts);
  if (!svc) {
    return fail(expected, `there is no Service ${ref}`, `Create the Service (\`kubectl get svc -n ${spec.namespace}\` lists the ones there are).`);
  }
  const ip = svc.spec?.clusterIP;
  const have = svc.spec?.selector;
  const facts = [`Service ${ref}${ip ? ` (ClusterIP ${ip})` : ''} selects ${selectorText(have)}`];
  if (spec.selector !== undefined) {
    const want = parseSelector(spec.selector);
    const same = Object.keys(want).length === Object.keys(have ?? {}).length && Object.entries(want).every(([k, v]) => have?.[k] === v);
    if (!same) {
      return fail(
        `Service ${ref} selects ${selectorText(want)}`,
        facts[0]!,
        `Change the Service's selector to ${selectorText(want)} (e.g. \`kubectl apply -f\` a manifest with that selector), then check \`kubectl describe svc ${spec.name} -n ${spec.namespace}\`.`,
      );
    }
  }
  if (spec.endpoints) {
    const eps = await env.cluster.readyEndpoints(spec.namespace, spec.name);
    if (eps.length === 0) {
      return fail(
        `Service ${ref} has ready endpoints`,
        `${facts[0]}, but it has no ready endpoints`,
        `No Running, Ready pod matches the selector ${selectorText(have)}. Check them with \`kubectl get pods -n ${spec.namespace} -l ${selectorText(have)}\`.`,
      );
    }
    facts.push(`endpoints ${eps.map((e) => e.ip).join(', ')}`);
  }
  return pass(expected, facts.join('; '));
};
