import { notYetAvailable } from '../command.ts';

export const serve = notYetAvailable('serve', 'serve the lab in your browser', 'coredns-lab serve [options]', [], 'the foundation issue');
