// deployment-available: the Deployment has an available replica and every replica runs the
// current template.
import type { CheckFn } from './env.ts';
import { fail, pass } from './env.ts';
import { refText } from '../cluster.ts';
import { EARLIER_STEP } from './pod-exec.ts';

export const deploymentAvailable: CheckFn<'deployment-available'> = async (spec, env) => {
  const ref = refText(spec.namespace, spec.name);
  const expected = `Deployment ${ref} available (at least 1 available replica, all updated)`;
  const d = await env.cluster.readDeployment(spec.namespace, spec.name);
  if (!d) return fail(expected, `there is no Deployment ${ref}`, `Create the Deployment first (${EARLIER_STEP}); \`kubectl get deployment -n ${spec.namespace}\` lists the ones there are.`);
  const want = d.spec?.replicas ?? 1;
  const available = d.status?.availableReplicas ?? 0;
  const updated = d.status?.updatedReplicas ?? 0;
  const actual = `Deployment ${ref}: ${available} available, ${updated} updated of ${want} desired`;
  if (available >= 1 && updated >= want) return pass(expected, actual);
  return fail(expected, actual, `Wait for its pods to start (\`kubectl get pods -n ${spec.namespace}\`); if they do not, \`kubectl describe deployment ${spec.name} -n ${spec.namespace}\` shows why.`);
};
