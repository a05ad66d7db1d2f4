// Which templates the page, /api/lessons and solve name on each cluster (sandbox/checks/templates.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadChapter } from '../../../sandbox/checks/load-lessons.ts';
import { templateSetFor, withTemplates } from '../../../sandbox/checks/templates.ts';

test('the template set by cluster', () => {
  const table: Array<[Parameters<typeof templateSetFor>[0], string]> = [
    [{ provider: 'embedded' }, 'kops'],
    [{ provider: 'embedded', profile: 'kops' }, 'kops'],
    [{ provider: 'embedded', profile: 'kind' }, 'kind'],
    [{ provider: 'embedded', profile: 'minikube' }, 'minikube'],
    [{ provider: 'kind', context: 'kind-coredns-lab' }, 'kind'],
    [{ provider: 'minikube', context: 'coredns-lab' }, 'minikube'],
    [{ provider: 'existing', context: 'kind-dev' }, 'kind'],
    [{ provider: 'existing', context: 'minikube' }, 'minikube'],
    [{ provider: 'existing', context: 'docker-desktop' }, 'kops'],
    [{ provider: 'none' }, 'kops'],
  ];
  assert.deepEqual(table.map(([c]) => templateSetFor(c)), table.map(([, want]) => want));
});

test('the chapter with the kind files: commands, solves and prose; busybox and the revert file unchanged', () => {
  const kops = loadChapter();
  assert.equal(withTemplates(kops, 'kops'), kops);
  const kind = withTemplates(kops, 'kind');
  const text = (c: typeof kops) => JSON.stringify(c);
  assert.doesNotMatch(text(kind), /templates\/coredns-kops\.yaml|templates\/coredns-service\.yaml/);
  const commands = kind.lessons.flatMap((l) => l.steps.flatMap((s) => s.commands));
  assert.ok(commands.includes('kubectl create -f templates/coredns-kind.yaml'));
  assert.ok(commands.includes('kubectl apply -f templates/coredns-service-kind.yaml'));
  assert.ok(commands.includes('kubectl create -f templates/busybox.yaml'));
  const solves = kind.lessons.flatMap((l) => l.steps.flatMap((s) => s.solve.flatMap((a) => ('kubectl' in a ? [a.kubectl] : []))));
  assert.ok(solves.includes('create -f templates/coredns-kind.yaml'), solves.join('\n'));
  assert.match(text(kind), /templates\/kubedns-service\.yaml/);
  assert.match(text(withTemplates(kops, 'minikube')), /templates\/coredns-service-minikube\.yaml/);
  // the loaded chapter itself is left as it was
  assert.match(text(kops), /templates\/coredns-kops\.yaml/);
});
