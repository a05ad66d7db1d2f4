// The running sandbox authorizes with RBAC: the bootstrap policy is there (and comes back on the
// next start when it is missing, as for a state dir from before RBAC), the kube-system
// ServiceAccounts get what their bindings say, and the learner everything.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kubectl, ROOT, Sandbox, tempDir } from './sandbox-process.ts';
import { waitFor } from '../../support/wait.ts';

describe('RBAC in the running sandbox', () => {
  /** kubectl apply of a manifest given as text */
  const applyText = async (yaml: string) => {
    const file = join(stateDir, 'manifest.yaml');
    writeFileSync(file, yaml);
    await kubectl.ok(['apply', '-f', file]);
  };
  const stateDir = tempDir('rbac');
  let sb: Sandbox & { kubeconfig: string };
  let kubectl: Kubectl;

  before(async () => {
    sb = await Sandbox.up(stateDir);
    kubectl = new Kubectl(sb.kubeconfig);
  });
  after(async () => {
    await sb?.stop('SIGKILL');
    kubectl?.cleanup();
    rmSync(stateDir, { recursive: true, force: true });
  });

  test('the learner is admin in system:masters and may do anything', async () => {
    assert.match(await kubectl.ok(['auth', 'whoami']), /Username\s+admin\nGroups\s+\[system:masters system:authenticated\]/);
    assert.equal(await kubectl.ok(['auth', 'can-i', '*', '*', '-A']), 'yes\n');
  });

  test('a ServiceAccount gets exactly its bindings, refusals worded as the apiserver words them', async () => {
    const r = await kubectl.run(['get', 'pods', '--as', 'system:serviceaccount:default:default']);
    assert.equal(r.stderr, 'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"\n');
    const kubeDns = ['--as', 'system:serviceaccount:kube-system:kube-dns'];
    assert.equal(await kubectl.ok(['auth', 'can-i', 'watch', 'endpoints', '-A', ...kubeDns]), 'yes\n');
    assert.equal((await kubectl.run(['auth', 'can-i', 'get', 'secrets', '-n', 'kube-system', ...kubeDns])).stdout, 'no\n');
    const dnsController = ['--as', 'system:serviceaccount:kube-system:dns-controller'];
    assert.equal(await kubectl.ok(['auth', 'can-i', 'list', 'nodes', ...dnsController]), 'yes\n', 'kops binds it as a User named like the ServiceAccount');
  });

  test('the bootstrap roles carry the rbac-defaults label, and view shows its aggregated rules', async () => {
    const names = (await kubectl.ok(['get', 'clusterroles', '-l', 'kubernetes.io/bootstrapping=rbac-defaults', '-o', 'name'])).split('\n').filter(Boolean);
    for (const n of ['cluster-admin', 'admin', 'edit', 'view', 'system:discovery', 'system:basic-user', 'system:public-info-viewer', 'system:kube-dns', 'coredns-lab:kube-dns-stand-in'])
      assert.ok(names.includes(`clusterrole.rbac.authorization.k8s.io/${n}`), n);
    assert.match(await kubectl.ok(['describe', 'clusterrole', 'view']), /\n  pods\/log +\[\] +\[\] +\[get list watch\]\n/);
    assert.match(await kubectl.ok(['get', 'clusterrolebinding', 'cluster-admin', '-o', 'jsonpath={.subjects[0].kind}/{.subjects[0].name}']), /^Group\/system:masters$/);
  });

  test('a missing bootstrap role is back after a restart', async () => {
    await kubectl.ok(['delete', 'clusterrole', 'system:kube-dns']);
    assert.equal((await kubectl.run(['auth', 'can-i', 'watch', 'endpoints', '-A', '--as', 'system:serviceaccount:kube-system:kube-dns'])).stdout,
      'no - RBAC: clusterrole.rbac.authorization.k8s.io "system:kube-dns" not found\n');
    await sb.stop('SIGTERM');
    sb = await Sandbox.up(stateDir);
    kubectl.kubeconfig = sb.kubeconfig;
    assert.equal(await kubectl.ok(['auth', 'can-i', 'watch', 'endpoints', '-A', '--as', 'system:serviceaccount:kube-system:kube-dns']), 'yes\n');
  });
  test("the chapter's CoreDNS runs on its own ServiceAccount: without endpointslices in its ClusterRole it logs the reflector's forbidden line and stays unready, with them it becomes ready", async () => {
    const template = readFileSync(join(ROOT, 'lessons/templates/coredns-kops.yaml'), 'utf8');
    const slices = '- apiGroups:\n  - discovery.k8s.io\n  resources:\n  - endpointslices\n  verbs:\n  - list\n  - watch\n';
    assert.ok(template.includes(slices), 'the template grants endpointslices as this test expects');
    // the chapter's 2017 ClusterRole: no endpointslices
    await applyText(template.replace(slices, ''));
    const user = 'system:serviceaccount:kube-system:coredns';
    const line = `Failed to watch *v1.EndpointSlice: failed to list *v1.EndpointSlice: endpointslices.discovery.k8s.io is forbidden: User "${user}" cannot list resource "endpointslices" in API group "discovery.k8s.io" at the cluster scope`;
    const pod = await waitFor(async () => (await kubectl.ok(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=coredns', '-o', 'name'])).split('\n').filter(Boolean)[0], { what: 'a coredns pod' });
    await waitFor(async () => (await kubectl.ok(['logs', '-n', 'kube-system', pod])).includes(line), { what: 'the forbidden reflector line in its log', timeout: 20_000 });
    assert.match(await kubectl.ok(['get', '-n', 'kube-system', pod, '-o', 'jsonpath={.status.containerStatuses[0].ready}']), /^false$/);
    // the lesson's template grants them: the reflector's next list succeeds and the pod turns ready
    await applyText(template);
    await waitFor(async () => {
      const ready = await kubectl.ok(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=coredns', '-o', 'jsonpath={.items[*].status.containerStatuses[0].ready}']);
      return ready.trim() !== '' && ready.trim().split(' ').every((r) => r === 'true');
    }, { what: 'the coredns pods ready', timeout: 30_000 });
  });
});
