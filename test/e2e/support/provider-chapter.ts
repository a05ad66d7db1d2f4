// One part of the chapter through the page on a provider (fake tools, emulated cluster): a fresh
// `serve --provider P`, brought to the end of `solveUpTo` (if any) by `coredns-lab solve` (which must name
// the provider's templates), then `lessons` typed into the page's terminal. The chapter is split
// in parts so each file fits the runner's 3 minutes on a loaded machine.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { providerPage } from './provider-lab.ts';
import { chapterOf, typeLessons } from './type-lessons.ts';
import { ROOT, run } from '../../integration/sandbox/sandbox-process.ts';

export interface ChapterPart {
  provider: 'kind' | 'minikube';
  /** the lesson `solve` finishes before the page opens (none: the chapter's start) */
  solveUpTo?: string;
  /** the template files solve's output must name */
  solvedWith?: RegExp[];
  /** the lessons typed in the page */
  lessons: string[];
  title: string;
  /** the last part: the chapter-complete summary shows */
  completes?: boolean;
}

export function providerChapterPart(part: ChapterPart): void {
  describe(`the chapter through the page on ${part.provider}: ${part.lessons.join(', ')} (fake ${part.provider}, emulated cluster)`, () => {
    const pp = providerPage(part.provider);

    test(part.title, async () => {
      const { pl, page, problems } = pp;
      if (part.solveUpTo) {
        const cli = join(ROOT, 'bin', 'coredns-lab.js');
        const solved = await run(process.execPath, [cli, 'solve', part.solveUpTo, '--state-dir', pl.lab.stateDir], { timeoutMs: 120_000 });
        assert.equal(solved.code, 0, solved.stderr);
        for (const file of part.solvedWith ?? []) assert.match(solved.stderr, file);
      }
      await page.goto(pl.lab.url);
      await page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 60_000 });
      await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 30_000 });
      await typeLessons(page, await chapterOf(page, pl.lab.url), part.lessons, `${part.provider}-chapter`);
      if (part.completes) {
        const summary = page.locator('[data-chapter-complete]');
        await summary.waitFor({ state: 'visible', timeout: 30_000 });
        assert.match(await summary.innerText(), /Chapter complete/);
      }
      assert.deepEqual(problems, []);
    });
  });
}
