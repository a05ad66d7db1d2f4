// Dispatches `coredns-lab <command> ...` to the command modules and prints help.
import { formatHelp, UsageError } from './args.ts';
import type { Command } from './command.ts';
import { commands } from './commands/index.ts';

function topHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: coredns-lab <command> [options]     (from the repo: npm run lab -- <command> [options])',
    '',
    'An offline, hands-on lab for "Using CoreDNS for Service Discovery".',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width + 2)}${c.summary}`),
    '',
    'Run "coredns-lab <command> --help" for the options of a command.',
  ].join('\n');
}

export function commandHelp(c: Command): string {
  return formatHelp(c.usage, c.description ?? c.summary, c.options);
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(topHelp() + '\n');
    return name ? 0 : 1;
  }
  if (name === '--version' || name === '-v') {
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`coredns-lab ${pkg.version}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`coredns-lab: unknown command "${name}"\n\n${topHelp()}\n`);
    return 2;
  }
  // dns-server keeps CoreDNS's single-dash flags, including its own -help.
  if (command.name !== 'dns-server' && (rest.includes('--help') || rest.includes('-h'))) {
    process.stdout.write(commandHelp(command) + '\n');
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`coredns-lab ${name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
