// The option parsing every CLI command shares: node's util.parseArgs splits the arguments into
// tokens, and each token is checked against the command's specs here, so that an unknown option
// or a missing value is an error naming the option and the command's --help (util.parseArgs's own
// strict errors name neither the command nor its help). The dns-server command keeps CoreDNS's
// single-dash flags and its own parser (dns-server/cli.ts).
import { parseArgs as tokenize } from 'node:util';

export interface OptionSpec {
  /** long name without dashes, e.g. "state-dir" */
  name: string;
  /** 'string' takes a value, 'boolean' does not */
  type: 'string' | 'boolean';
  description: string;
  default?: string;
}

export interface ParsedArgs {
  options: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export class UsageError extends Error {
  readonly code = 'LAB_ERR_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseArgs(argv: string[], specs: OptionSpec[], command: string): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const options: ParsedArgs['options'] = {};
  for (const s of specs) if (s.default !== undefined) options[s.name] = s.default;
  const positionals: string[] = [];
  // not strict: unknown options come back as tokens, to be refused below with the command's help
  const { tokens } = tokenize({
    args: argv,
    options: Object.fromEntries(specs.map((s) => [s.name, { type: s.type }])),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const t of tokens) {
    if (t.kind === 'positional') positionals.push(t.value);
    if (t.kind !== 'option') continue;
    const spec = byName.get(t.name);
    // a single dash is a short option (`-x`, or each letter of `-xy`): the lab's commands have none
    if (!spec || t.rawName !== `--${t.name}`) throw new UsageError(`unknown option ${t.rawName} for "${command}"; see "coredns-lab ${command} --help"`);
    if (spec.type === 'boolean') {
      if (t.inlineValue) throw new UsageError(`option --${t.name} takes no value`);
      options[t.name] = true;
      continue;
    }
    // `--state-dir --json` is a forgotten value, not a directory named --json; `--x=--y` is meant
    if (t.value === undefined || (!t.inlineValue && t.value.startsWith('--')))
      throw new UsageError(`option --${t.name} needs a value; see "coredns-lab ${command} --help"`);
    options[t.name] = t.value;
  }
  return { options, positionals };
}

export function intOption(value: string | boolean | undefined, name: string, min = 0, max = 65535): number | undefined {
  if (value === undefined || value === false) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${String(value)}"`);
  return n;
}

export function formatHelp(usage: string, summary: string, specs: OptionSpec[]): string {
  const lines = [`Usage: ${usage}`, '', summary];
  if (specs.length) {
    lines.push('', 'Options:');
    const width = Math.max(...specs.map((s) => s.name.length + (s.type === 'string' ? 8 : 0)));
    for (const s of specs) {
      const left = `--${s.name}${s.type === 'string' ? ' <value>' : ''}`;
      const def = s.default !== undefined ? ` (default: ${s.default})` : '';
      lines.push(`  ${left.padEnd(width + 4)}${s.description}${def}`);
    }
  }
  return lines.join('\n');
}
