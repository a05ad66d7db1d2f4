// logs-contain: a log line of some pod matching the selector (any container) matches the pattern.
import type { CheckFn } from './env.ts';
import { fail, pass } from './env.ts';
import { podName } from '../cluster.ts';

export const logsContain: CheckFn<'logs-contain'> = async (spec, env) => {
  const re = new RegExp(spec.pattern);
  const expected = `the logs of the ${spec.podSelector} pods in ${spec.namespace} show ${spec.describe}`;
  const pods = await env.cluster.listPods(spec.namespace, spec.podSelector);
  if (pods.length === 0) {
    return fail(expected, `no pod in ${spec.namespace} has ${spec.podSelector}`, `Start the pods first; \`kubectl get pods -n ${spec.namespace} -l ${spec.podSelector}\` lists them.`);
  }
  const logs = await Promise.all(
    pods.flatMap((p) =>
      (p.spec?.containers ?? []).map(async (c) => ({ pod: podName(p), container: c.name, lines: (await env.cluster.podLog(spec.namespace, podName(p), c.name)).split('\n').filter((l) => l.trim() !== '') })),
    ),
  );
  for (const l of logs) {
    const hit = l.lines.find((line) => re.test(line));
    if (hit) return pass(expected, `${l.pod}: ${quote(hit)}`);
  }
  const last = logs.flatMap((l) => l.lines.slice(-3).map((line) => `${l.pod}: ${quote(line)}`)).slice(-3);
  return fail(
    expected,
    last.length ? `no matching line; the last lines are ${last.join(' | ')}` : `the ${spec.podSelector} pods have logged nothing yet`,
    `Nothing in the logs shows ${spec.describe} yet: do what the step asks, wait a few seconds, then read the logs yourself with \`kubectl logs -n ${spec.namespace} -l ${spec.podSelector} --tail=-1\`.`,
  );
};

function quote(line: string): string {
  const t = line.trim();
  return `"${t.length > 160 ? `${t.slice(0, 157)}...` : t}"`;
}
