// axe-core (npm), injected into a page to find what keeps people who use a screen reader or only
// a keyboard out. The page's context needs bypassCSP: the lab's policy allows no injected script.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe's serious and critical findings on the page as it is now, one line each */
export async function axeFindings(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const { violations, passed } = await page.evaluate(async () => {
    type Results = { violations: AxeViolation[]; passes: unknown[] };
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<Results> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return { violations: r.violations, passed: r.passes.length };
  });
  // a scan that ran no rule (axe not loaded, an empty page) would find nothing and prove nothing
  if (passed === 0) throw new Error(`axe ran no rule that passed on ${page.url()}`);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`);
}
