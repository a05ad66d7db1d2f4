// The whole chapter through the page on a provider (fake tools, emulated cluster), in one page as
// a learner plays it: `serve --provider P` made the cluster with the commands P documents, the
// badge names P and its context, the lessons name P's templates (never the chapter's kops ones),
// then each lesson typed turns green by itself, the last one completes the chapter, and the
// terminal's kubectl names P's context and node. One test per lesson, so each fits the runner's 3 minutes on a
// loaded machine. `solve` with P's templates is the providers' integration tests' part.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { providerPage } from './provider-lab.ts';
import { chapterOf, enterCommand, typeLessons } from './type-lessons.ts';
import type { Chapter } from '../../../sandbox/checks/schema.ts';

export interface ProviderChapter {
  provider: 'kind' | 'minikube';
  /** the fake tool calls serve made, first three words of each */
  commands: string[];
  /** the one node `kubectl get nodes` names */
  node: string;
  /** the CoreDNS Deployment and Service templates the lessons name */
  templates: [string, string];
}

export function providerChapter(c: ProviderChapter): void {
  describe(`the chapter through the page on ${c.provider} (fake ${c.provider}, emulated cluster)`, () => {
    const pp = providerPage(c.provider);
    let chapter: Chapter | undefined;

    test(`serve made the ${c.provider} cluster as ${c.provider} documents; the badge and the lessons' templates are ${c.provider}'s`, async () => {
      const { pl, page, problems } = pp;
      assert.deepEqual(pl.fakes.commands().map((l) => l.split(' ').slice(0, 3).join(' ')), c.commands);
      await page.goto(pl.lab.url);
      const badge = page.locator('[data-cluster-status="running"]');
      await badge.waitFor({ timeout: 60_000 });
      assert.equal(await badge.innerText(), `cluster: ${c.provider} · running`);
      assert.equal(await page.locator('[data-cluster-message]').innerText(), `kubectl context: ${pl.context}`);
      await page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 60_000 });
      await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 30_000 });
      chapter = await chapterOf(page, pl.lab.url);
      const typed = chapter.lessons.flatMap((l) => l.steps.flatMap((s) => s.commands));
      assert.ok(typed.includes(`kubectl create -f templates/${c.templates[0]}`), typed.join('\n'));
      assert.ok(typed.includes(`kubectl apply -f templates/${c.templates[1]}`), typed.join('\n'));
      assert.deepEqual(typed.filter((cmd) => /coredns-kops|coredns-service\.yaml/.test(cmd)), []);
      assert.deepEqual(problems, []);
    });

    for (const lesson of ['prerequisites', 'status-quo', 'deploy-coredns', 'switch-to-coredns', 'delete-kube-dns'])
      test(`${lesson}, typed on ${c.provider}, turns green`, async () => {
        assert.ok(chapter, 'the first test read the chapter');
        await typeLessons(pp.page, chapter, [lesson], `${c.provider}-chapter`);
        assert.deepEqual(pp.problems, []);
      });

    test(`the chapter is complete; the terminal's kubectl was on the ${c.provider} cluster all along`, async () => {
      const summary = pp.page.locator('[data-chapter-complete]');
      await summary.waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(await summary.innerText(), /Chapter complete/);
      // typed only now: a command before the lessons would have the page check (and pass, and
      // close) the first lesson while the learner opens it
      await enterCommand(pp.page, 'kubectl config current-context; kubectl get nodes -o name');
      const rows = await pp.page.locator('[data-terminal] .xterm-rows').innerText();
      assert.match(rows, new RegExp(`^${pp.pl.context}$`, 'm'));
      assert.match(rows, new RegExp(`^node/${c.node}$`, 'm'));
    });
  });
}
