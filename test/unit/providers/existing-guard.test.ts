// The existing provider's guard, every way round: each context name, with and without the
// consent flag, on and off the allow-list. Only "throwaway name or listed" AND "flag" passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allowListFile, judgeContext, looksDisposable, readAllowList } from '../../../sandbox/providers/existing/guard.ts';

const THROWAWAY = ['kind-kind', 'kind-coredns-lab', 'minikube', 'docker-desktop', 'k3d-dev', 'rancher-desktop'];
const PRODUCTION = [
  'prod', 'gke_acme_europe-west1_prod', 'arn:aws:eks:eu-west-1:123456789012:cluster/prod', 'coredns-lab', 'kind', 'kind-',
  'my-kind-cluster', 'minikube-prod', 'Minikube', 'k3d', 'docker-desktop-2', 'rancher-desktop.prod', ' kind-x',
];

test('names that local throwaway-cluster tools give are recognised, nothing else is', () => {
  for (const c of THROWAWAY) assert.equal(looksDisposable(c), true, c);
  for (const c of PRODUCTION) assert.equal(looksDisposable(c), false, c);
});

test('the guard table: context name x consent flag x allow-list', () => {
  const rows: string[] = [];
  for (const context of [...THROWAWAY, ...PRODUCTION]) {
    for (const consent of [false, true]) {
      for (const listed of [false, true]) {
        const v = judgeContext(context, { consent, allowList: listed ? [context, 'other'] : ['other'] });
        const disposable = THROWAWAY.includes(context);
        const expected = (disposable || listed) && consent;
        assert.equal(v.ok, expected, `${context} consent=${consent} listed=${listed}: ${JSON.stringify(v)}`);
        if (!v.ok) assert.equal(v.refused, disposable || listed ? 'consent' : 'context', `${context} consent=${consent} listed=${listed}`);
        else assert.equal(v.because, disposable ? 'disposable name' : 'allow-list');
        rows.push(`${context}|${consent}|${listed}|${v.ok}`);
      }
    }
  }
  assert.equal(rows.length, (THROWAWAY.length + PRODUCTION.length) * 4);
});

test('the flag alone never passes a production-looking context; the allow-list alone never passes without the flag', () => {
  assert.deepEqual(judgeContext('gke_acme_prod', { consent: true, allowList: [] }), { ok: false, refused: 'context' });
  assert.deepEqual(judgeContext('gke_acme_prod', { consent: false, allowList: ['gke_acme_prod'] }), { ok: false, refused: 'consent' });
  assert.deepEqual(judgeContext('gke_acme_prod', { consent: true, allowList: ['gke_acme_prod'] }), { ok: true, because: 'allow-list' });
  // a listed name matches exactly: no prefixes, no patterns
  assert.equal(judgeContext('gke_acme_prod', { consent: true, allowList: ['gke_acme', 'gke_*', '*'] }).ok, false);
});

test('the allow-list file: in the user config dir, one exact name a line, comments and blanks ignored', () => {
  assert.equal(allowListFile({ XDG_CONFIG_HOME: '/cfg', HOME: '/home/a' }), '/cfg/coredns-lab/allowed-contexts');
  assert.equal(allowListFile({ HOME: '/home/a' }), '/home/a/.config/coredns-lab/allowed-contexts');
  // a relative XDG_CONFIG_HOME is invalid per the XDG spec and ignored
  assert.equal(allowListFile({ XDG_CONFIG_HOME: 'cfg', HOME: '/home/a' }), '/home/a/.config/coredns-lab/allowed-contexts');
  const dir = mkdtempSync(join(tmpdir(), 'allow-'));
  try {
    const file = allowListFile({ XDG_CONFIG_HOME: dir });
    assert.deepEqual(readAllowList(file), []);
    mkdirSync(join(dir, 'coredns-lab'));
    writeFileSync(file, '# throwaway clusters of mine\n\n  lab-eks-sandbox  \n#prod\nstaging-kubeadm\n');
    assert.deepEqual(readAllowList(file), ['lab-eks-sandbox', 'staging-kubeadm']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
