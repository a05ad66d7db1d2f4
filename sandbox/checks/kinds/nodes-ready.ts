// nodes-ready: at least `min` nodes report the Ready condition True.
import type { CheckFn } from './env.ts';
import { fail, pass, plural } from './env.ts';

export const nodesReady: CheckFn<'nodes-ready'> = async (spec, env) => {
  const min = spec.min ?? 1;
  const nodes = await env.cluster.listNodes();
  const ready = nodes.filter((n) => (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'));
  const expected = `at least ${plural(min, 'node')} Ready`;
  const notReady = nodes.filter((n) => !ready.includes(n)).map((n) => n.metadata?.name ?? '?');
  const actual = `${plural(ready.length, 'node')} Ready of ${nodes.length}${notReady.length ? ` (not Ready: ${notReady.slice(0, 5).join(', ')}${notReady.length > 5 ? ', ...' : ''})` : ''}`;
  if (ready.length >= min) return pass(expected, actual);
  return fail(expected, actual, nodes.length === 0
    ? 'The cluster has no nodes. Check the cluster with `kubectl get nodes`; for the lab sandbox, restart it with `npm run lab -- sandbox up`.'
    : 'Wait for the nodes to become Ready (`kubectl get nodes`); if they stay NotReady, the cluster itself needs attention (`kubectl describe node <name>`).');
};
