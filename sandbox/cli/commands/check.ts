// `coredns-lab check [lesson[/step]]`: runs the lessons' checks against the sandbox and says, per
// step, what was expected, what the cluster shows and what to do about it.
import { resolve } from 'node:path';
import { parseArgs, UsageError, type OptionSpec } from '../args.ts';
import type { Command } from '../command.ts';
import { labContext, printLessonError, stepOrUsage } from './lesson-context.ts';

const OPTIONS: OptionSpec[] = [
  { name: 'json', type: 'boolean', description: 'print the results as JSON (a list of step results)' },
  { name: 'state-dir', type: 'string', description: 'the sandbox state dir (its kubeconfig is used)', default: '.coredns-lab' },
  { name: 'kubeconfig', type: 'string', description: 'check this cluster instead of the sandbox on --state-dir' },
];

const MARK = { pass: 'PASS ', fail: 'FAIL ', error: 'ERROR' } as const;

export const check: Command = {
  name: 'check',
  summary: "run the lessons' checks against the current sandbox",
  usage: 'coredns-lab check [lesson[/step]] [--json]',
  description: [
    "run the lessons' checks against the current sandbox",
    '',
    'With no argument every step of the chapter is checked; "status-quo" checks one lesson,',
    '"status-quo/nslookup" one step. Exit 0 when every check passes, 1 otherwise.',
  ].join('\n'),
  options: OPTIONS,
  async run(argv) {
    const { options, positionals } = parseArgs(argv, OPTIONS, 'check');
    if (positionals.length > 1) throw new UsageError(`check takes at most one lesson or lesson/step, got "${positionals.join(' ')}"`);
    const address = positionals[0];
    const ctx = await labContext(resolve(String(options['state-dir'])), options.kubeconfig as string | undefined);
    const { checkAddress, loadChapter, findStep } = await import('../../checks/index.ts');
    let results;
    try {
      const chapter = loadChapter();
      if (address !== undefined) stepOrUsage(findStep, chapter, address);
      results = await checkAddress(ctx, chapter, address);
    } catch (err) {
      return printLessonError(err, 'check');
    }
    if (options.json) {
      process.stdout.write(JSON.stringify(results, null, 2) + '\n');
    } else {
      const width = Math.max(...results.map((r) => r.step.length));
      for (const r of results) {
        process.stdout.write(`${MARK[r.status]}  ${r.step.padEnd(width)}  ${r.status === 'pass' ? r.actual : `expected ${r.expected}`}\n`);
        if (r.status !== 'pass') {
          process.stdout.write(`${' '.repeat(width + 9)}actual:   ${r.actual}\n`);
          if (r.hint) process.stdout.write(`${' '.repeat(width + 9)}hint:     ${r.hint}\n`);
        }
      }
      const passed = results.filter((r) => r.status === 'pass').length;
      process.stdout.write(`${passed} of ${results.length} step${results.length === 1 ? '' : 's'} pass\n`);
    }
    return results.every((r) => r.status === 'pass') ? 0 : 1;
  },
};
