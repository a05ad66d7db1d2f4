// The chapter's step plan as the check tests know it: written into a temp lessons dir (with a
// copy of lessons/templates) when lessons/index.yaml is absent, so the chapter walk always has
// a chapter to walk. Same ids, checks and solves as the lesson content's plan.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { CheckSpec, SolveAction } from '../../../sandbox/checks/schema.ts';

interface PlanStep { id: string; commands: string[]; checks: CheckSpec[]; solve: SolveAction[] }

const busybox = { namespace: 'default', name: 'busybox' };
const kubeDns = { namespace: 'kube-system', name: 'kube-dns' };
const nslookup: CheckSpec = { kind: 'nslookup', pod: busybox, query: 'kubernetes.default', server: kubeDns, answer: { namespace: 'default', name: 'kubernetes' } };
const banner: CheckSpec = { kind: 'logs-contain', namespace: 'kube-system', podSelector: 'k8s-app=coredns', pattern: 'CoreDNS-\\d+\\.\\d+\\.\\d+', describe: 'the CoreDNS start banner' };
const aQuery: CheckSpec = { kind: 'logs-contain', namespace: 'kube-system', podSelector: 'k8s-app=coredns', pattern: '"A IN kubernetes\\.default\\.svc\\.cluster\\.local\\. (udp|tcp) \\d+ (true|false) \\d+" NOERROR', describe: 'a log line for the A query of kubernetes.default.svc.cluster.local.' };
const match: CheckSpec = { kind: 'endpoints-match-pods', namespace: 'kube-system', service: 'kube-dns', podSelector: 'k8s-app=coredns' };

export const PLAN: Record<string, PlanStep[]> = {
  prerequisites: [{ id: 'cluster', commands: ['kubectl get nodes'], checks: [{ kind: 'nodes-ready', min: 1 }], solve: [] }],
  'status-quo': [
    { id: 'kube-dns-service', commands: ['kubectl describe svc kube-dns -n kube-system'], checks: [{ kind: 'service', namespace: 'kube-system', name: 'kube-dns', endpoints: true }], solve: [] },
    {
      id: 'busybox',
      commands: ['kubectl create -f templates/busybox.yaml'],
      checks: [{ kind: 'pods-ready', namespace: 'default', name: 'busybox' }],
      solve: [{ kubectl: 'create -f templates/busybox.yaml', ignore: ['AlreadyExists'] }, { waitFor: { kind: 'pods-ready', namespace: 'default', name: 'busybox' } }],
    },
    { id: 'nslookup', commands: ['kubectl exec -ti busybox -- nslookup kubernetes.default'], checks: [nslookup], solve: [] },
    { id: 'resolv-conf', commands: ['kubectl exec busybox -- cat /etc/resolv.conf'], checks: [{ kind: 'resolv-conf', pod: busybox, server: kubeDns, search: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'] }], solve: [] },
  ],
  'deploy-coredns': [
    {
      id: 'create',
      commands: ['kubectl create -f templates/coredns-kops.yaml'],
      checks: [{
        kind: 'exists',
        objects: [
          { kind: 'serviceaccount', namespace: 'kube-system', name: 'coredns' },
          { kind: 'clusterrole', name: 'system:coredns' },
          { kind: 'clusterrolebinding', name: 'system:coredns' },
          { kind: 'configmap', namespace: 'kube-system', name: 'coredns' },
          { kind: 'deployment', namespace: 'kube-system', name: 'coredns' },
        ],
      }],
      solve: [{ kubectl: 'create -f templates/coredns-kops.yaml', ignore: ['AlreadyExists'] }],
    },
    {
      id: 'running',
      commands: ['kubectl get pods -n kube-system -l k8s-app=coredns'],
      checks: [{ kind: 'deployment-available', namespace: 'kube-system', name: 'coredns' }, { kind: 'pods-ready', namespace: 'kube-system', selector: 'k8s-app=coredns' }],
      solve: [{ waitFor: { kind: 'deployment-available', namespace: 'kube-system', name: 'coredns' } }, { waitFor: { kind: 'pods-ready', namespace: 'kube-system', selector: 'k8s-app=coredns' } }],
    },
    { id: 'logs', commands: ['kubectl logs -n kube-system -l k8s-app=coredns'], checks: [banner], solve: [{ waitFor: banner }] },
  ],
  'switch-to-coredns': [
    {
      id: 'apply-service',
      commands: ['kubectl apply -f templates/coredns-service.yaml'],
      checks: [{ kind: 'service', namespace: 'kube-system', name: 'kube-dns', selector: 'k8s-app=coredns' }, match],
      solve: [{ kubectl: 'apply -f templates/coredns-service.yaml' }, { waitFor: match }],
    },
    { id: 'endpoints', commands: ['kubectl describe svc kube-dns -n kube-system'], checks: [match], solve: [] },
    {
      id: 'nslookup',
      commands: ['kubectl exec -ti busybox -- nslookup kubernetes.default'],
      checks: [nslookup, aQuery],
      solve: [{ kubectl: 'exec busybox -- nslookup kubernetes.default' }, { waitFor: aQuery }],
    },
  ],
  'delete-kube-dns': [
    {
      id: 'delete',
      commands: ['kubectl delete deployment kube-dns -n kube-system'],
      checks: [{ kind: 'absent', object: { kind: 'deployment', namespace: 'kube-system', name: 'kube-dns' } }, nslookup],
      solve: [{ kubectl: 'delete deployment kube-dns -n kube-system', ignore: ['NotFound'] }],
    },
  ],
};

/** writes the plan as a lessons dir (index.yaml, <id>/lesson.md, <id>/steps.yaml, templates/) */
export function writePlan(dir: string, templatesFrom: string): void {
  writeFileSync(join(dir, 'index.yaml'), stringify({ title: 'Using CoreDNS for Service Discovery', lessons: Object.keys(PLAN) }));
  for (const [id, steps] of Object.entries(PLAN)) {
    mkdirSync(join(dir, id));
    writeFileSync(join(dir, id, 'lesson.md'), `---\ntitle: ${id}\nsummary: the ${id} lesson of the test plan\n---\nThe test plan's ${id}.\n`);
    writeFileSync(join(dir, id, 'steps.yaml'), stringify(steps.map((s) => ({ ...s, title: s.id, body: `Step ${s.id}.` }))));
  }
  cpSync(templatesFrom, join(dir, 'templates'), { recursive: true });
}
