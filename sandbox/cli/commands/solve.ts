// `coredns-lab solve <lesson>[/<step>]`: runs the solves of every step up to that one, then
// checks that step, so a learner who is stuck (or an instructor catching a room up) lands in the
// state the next step expects.
import { resolve } from 'node:path';
import { parseArgs, UsageError, type OptionSpec } from '../args.ts';
import type { Command } from '../command.ts';
import { labContext, printLessonError, stepOrUsage } from './lesson-context.ts';

const OPTIONS: OptionSpec[] = [
  { name: 'state-dir', type: 'string', description: 'the sandbox state dir (its kubeconfig is used)', default: '.coredns-lab' },
  { name: 'kubeconfig', type: 'string', description: 'solve on this cluster instead of the sandbox on --state-dir' },
];

export const solve: Command = {
  name: 'solve',
  summary: 'bring the sandbox to the state after a lesson or step',
  usage: 'coredns-lab solve <lesson>[/<step>]',
  description: [
    'bring the sandbox to the state after a lesson or step',
    '',
    'Runs the commands of every step from the start of the chapter up to and including the one',
    'named (a lesson name means its last step), skipping what is already done, then checks it.',
  ].join('\n'),
  options: OPTIONS,
  async run(argv) {
    const { options, positionals } = parseArgs(argv, OPTIONS, 'solve');
    if (positionals.length !== 1) throw new UsageError('say which lesson or step to solve up to, e.g. "coredns-lab solve status-quo/busybox"; "coredns-lab check" lists the steps');
    const address = positionals[0]!;
    const ctx = await labContext(resolve(String(options['state-dir'])), options.kubeconfig as string | undefined);
    const { checkAddress, loadChapter, findStep, solveTo, templateSetFor, withTemplates } = await import('../../checks/index.ts');
    const { readProviderRecord } = await import('../../providers/record.ts');
    // the state dir says which cluster it holds, and so which templates fit it (--kubeconfig: the chapter's own)
    const record = options.kubeconfig === undefined ? readProviderRecord(resolve(String(options['state-dir']))) : undefined;
    try {
      const chapter = withTemplates(loadChapter(), record ? templateSetFor(record) : 'kops');
      const { lesson, step } = stepOrUsage(findStep, chapter, address);
      const last = `${lesson.id}/${(step ?? lesson.steps[lesson.steps.length - 1]!).id}`;
      await solveTo(ctx, chapter, address, (line) => process.stderr.write(`solve: ${line}\n`));
      const [r] = await checkAddress(ctx, chapter, last);
      if (r!.status !== 'pass') {
        process.stderr.write(`solve: ran every action, but ${last} does not pass yet\n  expected: ${r!.expected}\n  actual:   ${r!.actual}\n${r!.hint ? `  hint:     ${r!.hint}\n` : ''}`);
        return 1;
      }
      process.stdout.write(`solved: the sandbox is in the state after ${last} (${r!.actual})\n`);
      return 0;
    } catch (err) {
      return printLessonError(err, 'solve');
    }
  },
};
