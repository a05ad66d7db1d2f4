// A small, strict option parser shared by every CLI command. Unknown options are an
// error that names the option and the command's --help, never silently ignored.

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
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = byName.get(name);
    if (!spec) throw new UsageError(`unknown option --${name} for "${command}"; see "coredns-lab ${command} --help"`);
    if (spec.type === 'boolean') {
      if (eq >= 0) throw new UsageError(`option --${name} takes no value`);
      options[name] = true;
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--')))
      throw new UsageError(`option --${name} needs a value; see "coredns-lab ${command} --help"`);
    options[name] = value;
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
