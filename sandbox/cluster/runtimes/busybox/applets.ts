// The applets of the lab's busybox 1.28 and the names busybox would also answer to. A name in
// the table runs; any other command is "not found", exactly as the real image says it.
import type { Applet } from './context.ts';
import { nslookup } from './nslookup.ts';
import { ping, wget } from './net-applets.ts';
import { cat, date, echo, env, grep, hostname, id, ls, printenv, pwd, sleepApplet, uname, whoami } from './file-applets.ts';

export const APPLETS: Record<string, Applet> = {
  cat, date, echo, env, grep, hostname, id, ls, nslookup, ping, printenv, pwd, uname, wget, whoami,
  sleep: sleepApplet,
  true: async () => 0,
  false: async () => 1,
};

/** shell builtins handled by the interpreter itself */
export const BUILTINS = new Set(['cd', 'exit', 'export', 'unset', 'sh', 'ash']);

/** /bin/nslookup, /bin/busybox nslookup, nslookup: the applet name, or undefined */
export function appletName(argv: string[]): { name: string; argv: string[] } | undefined {
  if (argv.length === 0) return undefined;
  let name = argv[0];
  let rest = argv;
  if (/^\/(usr\/)?s?bin\//.test(name)) name = name.replace(/^.*\//, '');
  if (name === 'busybox') {
    if (argv.length < 2) return undefined;
    rest = argv.slice(1);
    name = rest[0];
  }
  if (name in APPLETS || BUILTINS.has(name)) return { name, argv: [name, ...rest.slice(1)] };
  return undefined;
}

/** what `ls /bin` shows: one entry per applet, as the image has one hard link per applet */
export function binEntries(): string[] {
  return [...Object.keys(APPLETS), 'sh', 'ash', 'busybox'].sort();
}
