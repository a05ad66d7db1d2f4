// The applets of the lab's busybox 1.28 and the names busybox would also answer to. A name in
// the table runs; any other command is "not found", exactly as the real image says it.
import type { Applet, AppletContext, Toolbox } from './context.ts';
import { nslookup } from './nslookup.ts';
import { nc, ping, wget } from './net-applets.ts';
import { cat, date, echo, env, grep, hostname, id, ls, printenv, pwd, sleepApplet, uname, whoami } from './file-applets.ts';
import { head, ps, tail, test, wc } from './text-applets.ts';
import { tar } from './tar.ts';
import { mkdir, rm, touch } from './layer-applets.ts';
import { BANNER } from './usage.ts';

/** `busybox` alone: its banner and applet list, wrapped as appletlib.c wraps it (to stdout) */
async function busybox(ctx: AppletContext): Promise<number> {
  const arg = ctx.argv[1];
  const names = binEntries().filter((n) => n !== 'busybox');
  if (arg === '--list' || arg === '--list-full') {
    ctx.out(names.map((n) => `${arg === '--list-full' ? (['sh', 'ash', 'cat', 'date', 'echo', 'grep', 'hostname', 'ls', 'mkdir', 'ping', 'pwd', 'rm', 'sleep', 'tar', 'touch', 'true', 'false', 'uname', 'ps'].includes(n) ? 'bin/' : 'usr/bin/') : ''}${n}\n`).join(''));
    return 0;
  }
  if (arg !== undefined && arg !== '--help') {
    ctx.err(`${arg}: applet not found\n`);
    return 127;
  }
  let text = `${BANNER} multi-call binary.\nBusyBox is copyrighted by many authors between 1998-2015.\n` +
    'Licensed under GPLv2. See source distribution for detailed\ncopyright notices.\n\n' +
    'Usage: busybox [function [arguments]...]\n   or: busybox --list[-full]\n   or: busybox --install [-s] [DIR]\n' +
    '   or: function [arguments]...\n\n' +
    '\tBusyBox is a multi-call binary that combines many common Unix\n' +
    '\tutilities into a single executable.  Most people will create a\n' +
    '\tlink to busybox for each function they wish to use and BusyBox\n' +
    '\twill act like whatever it was invoked as.\n\nCurrently defined functions:\n';
  // the terminal's width (80 off a terminal), less one so no comma lands in the last column
  const width = (ctx.state.tty ? ctx.state.columns : 80) - 1;
  let col = 0;
  for (const n of names) {
    const len = n.length + 2;
    if (col >= width - len) { text += ',\n'; col = 0; }
    if (col === 0) { col = 6; text += '\t'; } else text += ', ';
    text += n;
    col += len;
  }
  ctx.out(`${text}\n`);
  return 0;
}

export const APPLETS: Record<string, Applet> = {
  busybox, cat, date, echo, env, grep, head, hostname, id, ls, mkdir, nc, nslookup, ping, printenv, ps, pwd, rm, tail, tar, touch,
  uname, wc, wget, whoami,
  '[': test,
  test,
  sleep: sleepApplet,
  true: async () => 0,
  false: async () => 1,
};

/** shell builtins handled by the interpreter itself */
export const BUILTINS = new Set(['cd', 'exit', 'export', 'unset', 'sh', 'ash']);

/** /bin/nslookup, /bin/busybox nslookup, nslookup: the applet name, or undefined */
export function appletName(argv: string[], toolbox?: Toolbox): { name: string; argv: string[] } | undefined {
  if (argv.length === 0) return undefined;
  if (toolbox) {
    const bare = argv[0].replace(/^\/(usr\/)?(local\/)?s?bin\//, '');
    if (toolbox.shells.includes(bare)) return { name: 'sh', argv: [bare, ...argv.slice(1)] };
    const known = bare in toolbox.commands || (BUILTINS.has(bare) && bare !== 'sh' && bare !== 'ash');
    return known ? { name: bare, argv: [bare, ...argv.slice(1)] } : undefined;
  }
  let name = argv[0];
  let rest = argv;
  if (/^\/(usr\/)?s?bin\//.test(name)) name = name.replace(/^.*\//, '');
  if (name === 'busybox' && argv.length >= 2 && !argv[1].startsWith('-')) {
    rest = argv.slice(1);
    name = rest[0];
  }
  if (name in APPLETS || BUILTINS.has(name)) return { name, argv: [name, ...rest.slice(1)] };
  // `busybox foo`: the multi-call binary runs and says "foo: applet not found"
  if (rest !== argv) return { name: 'busybox', argv };
  return undefined;
}

/** what `ls /bin` shows: one entry per applet, as the image has one hard link per applet */
export function binEntries(): string[] {
  return [...new Set([...Object.keys(APPLETS), 'sh', 'ash'])].sort();
}
