// absent: the object is gone.
import type { CheckFn } from './env.ts';
import { error, fail, pass } from './env.ts';
import { kindRefText, lookup } from './object-get.ts';

export const absent: CheckFn<'absent'> = async (spec, env) => {
  const o = spec.object;
  const name = kindRefText(o);
  const expected = `no ${name}`;
  const r = await lookup(env, o);
  if ('error' in r) return error(expected, `kubectl could not look up ${name}: ${r.error}`, `Check the kind name with \`kubectl api-resources\`.`);
  if (!r.found) return pass(expected, `${name} is gone`);
  return fail(expected, `${name} still exists`, `Delete it: \`kubectl delete ${o.kind} ${o.name}${o.namespace ? ` -n ${o.namespace}` : ''}\`.`);
};
