// pods/eviction (pkg/registry/core/pod/storage/eviction.go), what `kubectl drain` posts: a pod
// is deleted unless the one PodDisruptionBudget that selects it allows no disruption now, which
// is 429 "Cannot evict pod as it would violate the pod's disruption budget." (kubectl drain then
// retries every 5 s). A finished or Pending pod, or one already being deleted, ignores budgets;
// more than one budget is a 500. An allowed eviction takes one from the budget's
// disruptionsAllowed and records the pod in disruptedPods, as the registry does, until the
// disruption controller recomputes it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../contracts.ts';
import { internalError, methodNotAllowed, tooManyRequests } from '../errors.ts';
import { selectorMatches, type LabelSelectorObject } from '../resources/label-selector.ts';
import type { MemoryStore } from '../store.ts';
import { decodeBody, readBody, sendJson } from './respond.ts';
import { mediaType } from './negotiate.ts';

const PDB = 'poddisruptionbudgets.policy';
const REFUSED = "Cannot evict pod as it would violate the pod's disruption budget.";

type Budget = KubeObject & {
  spec?: { selector?: LabelSelectorObject };
  status?: {
    disruptionsAllowed?: number; desiredHealthy?: number; currentHealthy?: number; observedGeneration?: number;
    disruptedPods?: Record<string, string>;
  };
};

export async function handleEviction(
  store: MemoryStore & { flush?: () => Promise<void> },
  req: IncomingMessage,
  res: ServerResponse,
  ns: string,
  name: string,
): Promise<void> {
  if (req.method !== 'POST') throw methodNotAllowed();
  const body = decodeBody(await readBody(req), mediaType(req.headers['content-type'])) as { deleteOptions?: Record<string, unknown> } | undefined;
  const pod = store.getOrThrow('pods', ns, name);
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  const ignoresBudgets = ['Succeeded', 'Failed', 'Pending'].includes(String(phase)) || Boolean(pod.metadata.deletionTimestamp);
  if (!ignoresBudgets) {
    const budgets = (store.list(PDB, { namespace: ns }).items as Budget[])
      .filter((b) => b.spec?.selector && selectorMatches(b.spec.selector, pod.metadata.labels));
    if (budgets.length > 1) throw internalError('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    const pdb = budgets[0];
    if (pdb) {
      const st = pdb.status ?? {};
      if ((st.observedGeneration ?? 0) < (pdb.metadata.generation ?? 1))
        throw tooManyRequests(REFUSED, [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdb.metadata.name} is still being processed by the server.` }]);
      if ((st.disruptionsAllowed ?? 0) <= 0)
        throw tooManyRequests(REFUSED, [{
          reason: 'DisruptionBudget',
          message: `The disruption budget ${pdb.metadata.name} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently`,
        }]);
      store.mutate(PDB, ns, pdb.metadata.name!, (o) => {
        const s = ((o as Budget).status ??= {});
        s.disruptionsAllowed = (s.disruptionsAllowed ?? 1) - 1;
        s.disruptedPods = { ...s.disruptedPods, [name]: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
        return o;
      }, { status: true, fieldManager: 'kube-apiserver' });
    }
  }
  const opts = body?.deleteOptions ?? {};
  store.delete('pods', ns, name, {
    ...(typeof opts.gracePeriodSeconds === 'number' ? { gracePeriodSeconds: opts.gracePeriodSeconds } : {}),
  });
  await store.flush?.();
  sendJson(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}
