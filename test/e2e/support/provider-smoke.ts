// A short visit to the page on a provider (support/provider-lab.ts): the badge names the provider
// and its context, the terminal's kubectl reaches that cluster, the lessons name the templates
// that fit it, and one step turns green as the learner types it. The existing provider's page test
// (kind and minikube play the whole chapter: support/provider-chapter.ts).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { providerPage, type ProviderUnderTest } from './provider-lab.ts';
import { typeCommand } from './type-lessons.ts';

export interface SmokeCase {
  provider: ProviderUnderTest;
  /** the fake tool calls serve made, first three words of each */
  commands: string[];
  node: string;
  /** the CoreDNS template the page names */
  template: string;
}

export function providerSmoke(c: SmokeCase): void {
  describe(`the page on --provider ${c.provider} (emulated cluster)`, () => {
    const pp = providerPage(c.provider);

    test(`badge, terminal and a step on ${c.provider}`, async () => {
      const { pl, page, problems } = pp;
      assert.deepEqual(pl.fakes.commands().map((l) => l.split(' ').slice(0, 3).join(' ')), c.commands);
      await page.goto(pl.lab.url);
      const badge = page.locator('[data-cluster-status="running"]');
      await badge.waitFor({ timeout: 60_000 });
      assert.equal(await badge.innerText(), `cluster: ${c.provider} · running`);
      assert.equal(await page.locator('[data-cluster-message]').innerText(), `kubectl context: ${pl.context}`);
      const create = (await page.locator('[data-step-id="deploy-coredns/create"]').textContent()) ?? '';
      assert.ok(create.includes(`kubectl create -f templates/${c.template}`), create);

      await page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 60_000 });
      await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 30_000 });
      await typeCommand(page, 'kubectl config current-context; kubectl get nodes -o name');
      const rows = await page.locator('[data-terminal] .xterm-rows').innerText();
      assert.match(rows, new RegExp(`^${pl.context}$`, 'm'));
      assert.match(rows, new RegExp(`^node/${c.node}$`, 'm'));

      await page.locator('[data-section-id="status-quo"] [data-lesson-toggle]').click();
      const busybox = page.locator('[data-step-id="status-quo/busybox"]');
      assert.notEqual(await busybox.getAttribute('data-check-status'), 'pass');
      await typeCommand(page, 'kubectl create -f templates/busybox.yaml');
      await page.waitForSelector('[data-step-id="status-quo/busybox"][data-check-status="pass"]', { timeout: 90_000 });
      assert.deepEqual(problems, []);
    });
  });
}
