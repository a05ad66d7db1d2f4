import { notYetAvailable } from '../command.ts';

export const check = notYetAvailable(
  'check',
  "run the lessons' checks against the current sandbox",
  'coredns-lab check [lesson[/step]] [--json]',
  [
    { name: 'json', type: 'boolean', description: 'print results as JSON' },
    { name: 'state-dir', type: 'string', description: 'the sandbox state dir', default: '.coredns-lab' },
  ],
  'the lessons with checks and solves',
);
