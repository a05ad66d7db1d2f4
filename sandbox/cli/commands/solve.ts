import { notYetAvailable } from '../command.ts';

export const solve = notYetAvailable(
  'solve',
  'bring the sandbox to the state after a lesson or step',
  'coredns-lab solve <lesson>[/<step>]',
  [{ name: 'state-dir', type: 'string', description: 'the sandbox state dir', default: '.coredns-lab' }],
  'the lessons with checks and solves',
);
