// nslookup: `nslookup <query>` in the pod answers from the cluster DNS Service's ClusterIP with
// the ClusterIP of the asked-for Service. Both IPs are read live from the cluster.
import type { CheckFn } from './env.ts';
import { error, fail, pass } from './env.ts';
import { refText } from '../cluster.ts';
import { execFailure, execIn, podForExec, podNamespace } from './pod-exec.ts';

export interface NslookupAnswer {
  /** the Server line's address */
  server?: string;
  /** the reverse name busybox 1.28 prints after the server's address */
  serverName?: string;
  /** the Name line */
  name?: string;
  addresses: { ip: string; name?: string }[];
  /** nslookup's own failure line ("nslookup: can't resolve 'x'", "** server can't find x: NXDOMAIN") */
  error?: string;
}

/**
 * Reads busybox's nslookup output: 1.28's layout ("Server:    100.64.0.10",
 * "Address 1: 100.64.0.10 kube-dns.kube-system.svc.cluster.local", "Name:      kubernetes.default",
 * "Address 1: 100.64.0.1 kubernetes.default.svc.cluster.local") and the newer one
 * ("Address:\t10.96.0.10:53", "Address: 10.96.0.1").
 */
export function parseNslookup(text: string): NslookupAnswer {
  const out: NslookupAnswer = { addresses: [] };
  let inAnswer = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^Server:\s*(\S+)/.exec(line))) {
      out.server = stripPort(m[1]!);
    } else if ((m = /^Name:\s*(\S+)/.exec(line))) {
      inAnswer = true;
      out.name ??= m[1]!;
    } else if ((m = /^Address(?:\s+\d+)?:\s*(\S+)(?:\s+(\S+))?/.exec(line))) {
      const ip = stripPort(m[1]!);
      if (inAnswer) {
        if (!out.addresses.some((a) => a.ip === ip)) out.addresses.push({ ip, ...(m[2] ? { name: m[2] } : {}) });
      } else if (m[2] && ip === out.server) {
        out.serverName = m[2];
      }
    } else if (/^nslookup:|^\*\* server can't find|^;; /.test(line)) {
      out.error ??= line;
    }
  }
  return out;
}

/** "10.96.0.10:53" and "10.96.0.10#53" -> "10.96.0.10"; IPv6 addresses keep their colons */
function stripPort(addr: string): string {
  const m = /^(\d+\.\d+\.\d+\.\d+)[:#]\d+$/.exec(addr);
  return m ? m[1]! : addr;
}

export const nslookup: CheckFn<'nslookup'> = async (spec, env) => {
  const serverNs = spec.server.namespace ?? 'default';
  const answerNs = spec.answer.namespace ?? 'default';
  const [serverSvc, answerSvc] = await Promise.all([
    env.cluster.readService(serverNs, spec.server.name),
    env.cluster.readService(answerNs, spec.answer.name),
  ]);
  const serverRef = refText(serverNs, spec.server.name);
  const answerRef = refText(answerNs, spec.answer.name);
  const serverIP = serverSvc?.spec?.clusterIP;
  const answerIP = answerSvc?.spec?.clusterIP;
  const podRef = refText(podNamespace(spec.pod), spec.pod.name);
  const expected = `nslookup ${spec.query} in pod ${podRef} answers from Server ${serverIP ?? `(the ClusterIP of ${serverRef})`} (${serverRef}) with ${answerIP ?? `the ClusterIP of ${answerRef}`} (${answerRef})`;
  if (!serverIP) return fail(expected, `there is no Service ${serverRef} with a ClusterIP`, `The cluster DNS Service ${serverRef} is missing; it must keep its ClusterIP, which every pod's resolv.conf names. Re-create it from the lesson's manifest.`);
  if (!answerIP) return fail(expected, `there is no Service ${answerRef} with a ClusterIP`, `The Service ${answerRef} the query should find is missing.`);
  const target = await podForExec(env, spec.pod, expected);
  if ('failed' in target) return target.failed;
  const r = await execIn(env, target.pod, ['nslookup', spec.query]);
  const a = parseNslookup(r.stdout + '\n' + r.stderr);
  if (a.server === undefined && a.error === undefined) {
    return error(expected, `kubectl exec could not run nslookup in ${podRef}: ${execFailure(r)}`, `Check that the pod's image has nslookup (busybox:1.28 does) with \`kubectl exec ${spec.pod.name} -- nslookup ${spec.query}\`.`);
  }
  const shown = `Server ${a.server ?? '(none)'}${a.serverName ? ` (${a.serverName})` : ''}, ${a.addresses.length ? `answer ${a.addresses.map((x) => `${x.ip}${x.name ? ` (${x.name})` : ''}`).join(', ')}` : `no answer${a.error ? `: ${a.error}` : ''}`}`;
  if (a.server === serverIP && a.addresses.some((x) => x.ip === answerIP)) return pass(expected, shown);
  if (a.server !== serverIP) {
    return fail(expected, shown, `The pod asks ${a.server ?? 'no server'} instead of ${serverIP}, the ClusterIP of ${serverRef}: its /etc/resolv.conf must name ${serverIP}. Re-create the pod after fixing the cluster DNS setting.`);
  }
  const eps = await env.cluster.readyEndpoints(serverNs, spec.server.name);
  return fail(
    expected,
    shown,
    eps.length === 0
      ? `${serverRef} (${serverIP}) has no ready endpoints, so nothing answers there: check \`kubectl describe svc ${spec.server.name} -n ${serverNs}\` and that its selector matches Running, Ready DNS pods.`
      : `The DNS server behind ${serverRef} (endpoints ${eps.map((e) => e.ip).join(', ')}) did not answer ${answerIP}; read its logs (\`kubectl logs -n ${serverNs} -l <its selector>\`) and check its Corefile.`,
  );
};
