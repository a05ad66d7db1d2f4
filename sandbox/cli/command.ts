// The shape every CLI command module exports. main.ts owns dispatch and help;
// commands own their options and their work.
import type { OptionSpec } from './args.ts';

export interface Command {
  name: string;
  /** one line for the command list */
  summary: string;
  /** e.g. "coredns-lab serve [options]" */
  usage: string;
  options: OptionSpec[];
  /** longer help shown under the usage line */
  description?: string;
  /** resolves to the process exit code */
  run(argv: string[]): Promise<number>;
}

/** A command whose issue has not landed yet: present, documented, and honest about it. */
export function notYetAvailable(name: string, summary: string, usage: string, options: OptionSpec[], comingWith: string): Command {
  return {
    name,
    summary: `${summary} (not yet available)`,
    usage,
    options,
    async run() {
      process.stderr.write(
        `coredns-lab ${name}: not yet available in this version. It is coming with ${comingWith}.\n` +
          `Run "coredns-lab --help" to see what works today.\n`,
      );
      return 2;
    },
  };
}
