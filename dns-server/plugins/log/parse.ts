// log [NAMES...] [FORMAT] { class success|denial|error|all }
// 2017's "log stdout" and "log NAME stdout" (output target) are accepted: stdout is the only target.
import { PluginError, type Directive } from '../../core/plugin.ts';
import { normalizeZone } from '../../corefile/address.ts';

export const COMMON_FORMAT = '{remote}:{port} - {>id} "{type} {class} {name} {proto} {size} {>do} {>bufsize}" {rcode} {>rflags} {rsize} {duration}';
export const COMBINED_FORMAT = COMMON_FORMAT + ' "{>opcode}"';

export type LogClass = 'success' | 'denial' | 'error';

export interface LogConfig {
  names: string[];
  format: string;
  classes: Set<LogClass>;
}

export function parseLog(d: Directive): LogConfig {
  const fail = (msg: string, line = d.line) => new PluginError('log', msg, d.file, line);
  const args = d.args.filter((a) => a !== 'stdout');
  let format = COMMON_FORMAT;
  const names: string[] = [];
  for (const a of args) {
    if (a === '{common}') format = COMMON_FORMAT;
    else if (a === '{combined}') format = COMBINED_FORMAT;
    else if (a.includes('{')) format = a;
    else if (a.includes('/') && !a.endsWith('.')) throw fail(`writing to a file ("${a}") is not supported; CoreDNS logs to standard output only, remove "${a}"`);
    else names.push(normalizeZone(a));
  }
  const classes = new Set<LogClass>();
  for (const b of d.block) {
    if (b.name !== 'class') throw fail(`unknown property "${b.name}"; the only property is "class success|denial|error|all"`, b.line);
    if (b.args.length === 0) throw fail('class needs at least one of success, denial, error, all', b.line);
    for (const c of b.args) {
      if (c === 'all') ['success', 'denial', 'error'].forEach((x) => classes.add(x as LogClass));
      else if (c === 'success' || c === 'denial' || c === 'error') classes.add(c);
      else throw fail(`invalid class "${c}"; use success, denial, error or all`, b.line);
    }
  }
  if (classes.size === 0) ['success', 'denial', 'error'].forEach((x) => classes.add(x as LogClass));
  return { names: names.length ? names : ['.'], format, classes };
}
