// exists: every listed object is there.
import type { CheckFn } from './env.ts';
import { error, fail, list, pass } from './env.ts';
import { kindRefText, lookup } from './object-get.ts';

export const exists: CheckFn<'exists'> = async (spec, env) => {
  const results = await Promise.all(spec.objects.map(async (o) => ({ o, r: await lookup(env, o) })));
  const names = spec.objects.map((o) => kindRefText(o));
  const expected = `${list(names)} exist${names.length === 1 ? 's' : ''}`;
  const broken = results.find(({ r }) => 'error' in r);
  if (broken && 'error' in broken.r) {
    return error(expected, `kubectl could not look up ${kindRefText(broken.o)}: ${broken.r.error}`, `Check the kind name with \`kubectl api-resources\` and that the cluster answers \`kubectl get ${broken.o.kind}\`.`);
  }
  const missing = results.filter(({ r }) => 'found' in r && !r.found).map(({ o }) => kindRefText(o));
  if (missing.length === 0) return pass(expected, `all ${names.length} exist`);
  const present = names.filter((n) => !missing.includes(n));
  return fail(
    expected,
    `missing: ${list(missing)}${present.length ? ` (present: ${list(present)})` : ''}`,
    `Create the missing object${missing.length === 1 ? '' : 's'} with the step's manifest; \`kubectl create -f\` reports AlreadyExists for the ones that are there, which is fine.`,
  );
};
