// resolv-conf: the pod's /etc/resolv.conf names the cluster DNS Service's live ClusterIP and
// starts its search list with the given domains, in order.
import type { CheckFn } from './env.ts';
import { error, fail, pass } from './env.ts';
import { refText } from '../cluster.ts';
import { execFailure, execIn, podForExec, podNamespace } from './pod-exec.ts';

export interface ResolvConf {
  nameservers: string[];
  search: string[];
  options: string[];
}

/** resolv.conf(5): keyword lines; later `search`/`domain` lines replace earlier ones; # and ; start comments */
export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { nameservers: [], search: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (!line) continue;
    const [key, ...rest] = line.split(/\s+/);
    if (key === 'nameserver' && rest[0]) out.nameservers.push(rest[0]);
    else if (key === 'search' || key === 'domain') out.search = rest;
    else if (key === 'options') out.options.push(...rest);
  }
  return out;
}

export const resolvConf: CheckFn<'resolv-conf'> = async (spec, env) => {
  const serverNs = spec.server.namespace ?? 'default';
  const serverRef = refText(serverNs, spec.server.name);
  const svc = await env.cluster.readService(serverNs, spec.server.name);
  const ip = svc?.spec?.clusterIP;
  const podRef = refText(podNamespace(spec.pod), spec.pod.name);
  const expected = `/etc/resolv.conf in pod ${podRef} names nameserver ${ip ?? `(the ClusterIP of ${serverRef})`} (${serverRef}) and searches ${spec.search.join(' ')} first`;
  if (!ip) return fail(expected, `there is no Service ${serverRef} with a ClusterIP`, `The cluster DNS Service ${serverRef} is missing; re-create it from the lesson's manifest.`);
  const target = await podForExec(env, spec.pod, expected);
  if ('failed' in target) return target.failed;
  const r = await execIn(env, target.pod, ['cat', '/etc/resolv.conf']);
  if (r.code !== 0) return error(expected, `kubectl exec could not read /etc/resolv.conf in ${podRef}: ${execFailure(r)}`, `Try it yourself: \`kubectl exec ${spec.pod.name} -- cat /etc/resolv.conf\`.`);
  const conf = parseResolvConf(r.stdout);
  const actual = `nameserver ${conf.nameservers.join(', ') || '(none)'}; search ${conf.search.join(' ') || '(none)'}`;
  const searchOk = spec.search.every((d, i) => conf.search[i] === d);
  if (conf.nameservers.includes(ip) && searchOk) return pass(expected, actual);
  return fail(
    expected,
    actual,
    !conf.nameservers.includes(ip)
      ? `The pod's resolver does not name ${ip}: the kubelet writes the cluster DNS IP into each pod when it starts, so delete and re-create the pod after the cluster DNS setting is right.`
      : `The pod's search list differs: pods with dnsPolicy ClusterFirst get their namespace's search list; check the pod's dnsPolicy and dnsConfig (\`kubectl get pod ${spec.pod.name} -o yaml\`).`,
  );
};
