// The chapter through the page on the kind provider, first half: `serve --provider kind` with the
// fake kind and docker over an embedded cluster playing a fresh kind cluster
// (support/provider-lab.ts). The badge names kind and its context, the terminal's kubectl reaches
// that cluster, the lessons name the kind templates, and the first two lessons turn green as the
// learner types them. (The chapter is split in four files so each fits the runner's 3 minutes on
// a loaded machine; kind-chapter-2 to -4 play the rest after a `solve`.)
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { providerPage } from './support/provider-lab.ts';
import { chapterOf, typeCommand, typeLessons } from './support/type-lessons.ts';

describe('the chapter through the page on kind, lessons 1-2 (fake kind, emulated cluster)', () => {
  const pp = providerPage('kind');

  test('serve made the kind cluster with the commands kind documents; the badge shows kind and its context', async () => {
    const { pl, page } = pp;
    const made = pl.fakes.commands().map((c) => c.split(' ').slice(0, 3).join(' '));
    assert.deepEqual(made, ['docker info --format', 'kind get clusters', 'kind create cluster', 'docker build -t', 'kind load docker-image']);
    await page.goto(pl.lab.url);
    const badge = page.locator('[data-cluster-status="running"]');
    await badge.waitFor({ timeout: 60_000 });
    assert.equal(await badge.innerText(), 'cluster: kind · running');
    assert.equal(await page.locator('[data-cluster-message]').innerText(), 'kubectl context: kind-coredns-lab');
  });

  test('the terminal\'s kubectl reaches the kind cluster; the lessons name the kind templates; lessons 1-2 turn green as typed', async () => {
    const { pl, page, problems } = pp;
    await page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 60_000 });
    await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 30_000 });
    await typeCommand(page, 'kubectl config current-context; kubectl get nodes -o name');
    const rows = await page.locator('[data-terminal] .xterm-rows').innerText();
    assert.match(rows, /^kind-coredns-lab$/m);
    assert.match(rows, /^node\/coredns-lab-control-plane$/m);
    const chapter = await chapterOf(page, pl.lab.url);
    const typed = chapter.lessons.flatMap((l) => l.steps.flatMap((s) => s.commands));
    assert.ok(typed.includes('kubectl create -f templates/coredns-kind.yaml'), typed.join('\n'));
    assert.ok(typed.includes('kubectl apply -f templates/coredns-service-kind.yaml'), typed.join('\n'));
    assert.deepEqual(typed.filter((c) => /coredns-kops|coredns-service\.yaml/.test(c)), []);
    await typeLessons(page, chapter, ['prerequisites', 'status-quo'], 'kind-chapter');
    assert.deepEqual(problems, []);
  });
});
