// busybox 1.28's text filters: head, tail, wc, test/[, with their options, messages and exit codes.
import { listDir, readFile, resolvePath, type AppletContext } from './context.ts';
import { getopts, gnuWording, showUsage, sizeArg } from './usage.ts';

/** FILE operands (or stdin), each read or reported as busybox's open error */
function inputs(ctx: AppletContext, applet: string, files: string[]): Array<{ name: string; text?: string }> {
  if (files.length === 0) return [{ name: '-', text: ctx.stdin ?? '' }];
  return files.map((name) => {
    if (name === '-') return { name, text: ctx.stdin ?? '' };
    const text = readFile(ctx, name);
    if (text === undefined) {
      const dir = listDir(ctx, resolvePath(ctx, name).normalized) !== undefined;
      if (!gnuWording(ctx)) ctx.err(dir ? `${applet}: read error: Is a directory\n` : `${applet}: can't open '${name}': No such file or directory\n`);
      // coreutils: head and tail open for reading, then read; wc names the file as cat does
      else if (applet === 'wc') ctx.err(`wc: ${name}: ${dir ? 'Is a directory' : 'No such file or directory'}\n`);
      else ctx.err(dir ? `${applet}: error reading '${name}': Is a directory\n` : `${applet}: cannot open '${name}' for reading: No such file or directory\n`);
    }
    return { name, text };
  });
}

const splitLines = (text: string) => text.split(/(?<=\n)/).filter((l) => l !== '');

async function headTail(ctx: AppletContext, applet: 'head' | 'tail'): Promise<number> {
  // `head -5` and `tail -5`: the obsolete -N form busybox still accepts
  const argv = ctx.argv.map((a, i) => (i > 0 && /^-\d+$/.test(a) ? `-n${a.slice(1)}` : a));
  const o = getopts(ctx, applet, argv, applet === 'head' ? 'n:c:qv' : 'fFn:c:qvs:');
  if (!o) return 1;
  const nArg = o.flags.get('n')?.at(-1);
  const cArg = o.flags.get('c')?.at(-1);
  const raw = cArg ?? nArg ?? '10';
  const sign = /^[-+]/.test(raw) ? raw[0] : '';
  const count = sizeArg(raw.replace(/^[-+]/, ''));
  if (count === undefined) {
    ctx.err(gnuWording(ctx) ? `${applet}: invalid number of ${cArg !== undefined ? 'bytes' : 'lines'}: '${raw}'\n` : `${applet}: invalid number '${raw}'\n`);
    return 1;
  }
  const files = inputs(ctx, applet, o.operands);
  const headers = o.flags.has('v') || (files.length > 1 && !o.flags.has('q'));
  let status = 0;
  let first = true;
  for (const f of files) {
    if (f.text === undefined) { status = 1; continue; }
    if (headers) ctx.out(`${first ? '' : '\n'}==> ${f.name === '-' ? 'standard input' : f.name} <==\n`);
    first = false;
    if (cArg !== undefined) {
      const bytes = Buffer.from(f.text);
      const part = applet === 'head'
        ? (sign === '-' ? bytes.subarray(0, Math.max(0, bytes.length - count)) : bytes.subarray(0, count))
        : (sign === '+' ? bytes.subarray(Math.max(0, count - 1)) : bytes.subarray(Math.max(0, bytes.length - count)));
      ctx.out(part.toString());
      continue;
    }
    const lines = splitLines(f.text);
    const part = applet === 'head'
      ? (sign === '-' ? lines.slice(0, Math.max(0, lines.length - count)) : lines.slice(0, count))
      : (sign === '+' ? lines.slice(Math.max(0, count - 1)) : lines.slice(Math.max(0, lines.length - count)));
    ctx.out(part.join(''));
  }
  return status;
}

export const head = (ctx: AppletContext) => headTail(ctx, 'head');
export const tail = (ctx: AppletContext) => headTail(ctx, 'tail');

export async function wc(ctx: AppletContext): Promise<number> {
  const o = getopts(ctx, 'wc', ctx.argv, 'cmlwL', { anywhere: true });
  if (!o) return 1;
  // without options: lines, words, bytes; columns in wc.c's order
  const wanted = ['l', 'w', 'm', 'c', 'L'].filter((f) => o.flags.has(f));
  const which = wanted.length ? wanted : ['l', 'w', 'c'];
  const files = inputs(ctx, 'wc', o.operands);
  const totals = new Map<string, number>();
  let status = 0;
  const rows: Array<{ counts: number[]; name?: string }> = [];
  for (const f of files) {
    if (f.text === undefined) { status = 1; continue; }
    const counts: Record<string, number> = {
      l: (f.text.match(/\n/g) ?? []).length,
      w: f.text.split(/\s+/).filter(Boolean).length,
      c: Buffer.byteLength(f.text),
      m: [...f.text].length,
      L: Math.max(0, ...f.text.split('\n').map((l) => [...l].length)),
    };
    for (const k of which) totals.set(k, k === 'L' ? Math.max(totals.get(k) ?? 0, counts[k]) : (totals.get(k) ?? 0) + counts[k]);
    rows.push({ counts: which.map((k) => counts[k]), name: o.operands.length ? f.name : undefined });
  }
  if (o.operands.length > 1) rows.push({ counts: which.map((k) => totals.get(k) ?? 0), name: 'total' });
  // "%9u" then " %9u" per count; one count of at most one file prints bare; stdin has no name
  const bare = which.length === 1 && o.operands.length <= 1;
  for (const r of rows) {
    const text = r.counts.map((n, i) => (i === 0 ? (bare ? String(n) : String(n).padStart(9)) : ` ${String(n).padStart(9)}`)).join('');
    ctx.out(`${text}${r.name !== undefined ? ` ${r.name}` : ''}\n`);
  }
  return status;
}

/** test and [: the file, string and integer primaries scripts use */
export async function test(ctx: AppletContext): Promise<number> {
  let args = ctx.argv.slice(1);
  const name = ctx.argv[0];
  if (name === '[') {
    if (args[args.length - 1] !== ']') { ctx.err('[: missing ]\n'); return 2; }
    args = args.slice(0, -1);
  }
  const exists = (p: string) => readFile(ctx, p) !== undefined || listDir(ctx, resolvePath(ctx, p).normalized) !== undefined;
  const int = (s: string): number => {
    if (!/^\s*-?\d+\s*$/.test(s)) throw new Error(`${name}: invalid number '${s}'`);
    return Number(s);
  };
  const evalOne = (a: string[]): boolean => {
    if (a[0] === '!') return !evalOne(a.slice(1));
    if (a.length === 0) return false;
    if (a.length === 1) return a[0] !== '';
    if (a.length === 2) {
      const [op, v] = a;
      switch (op) {
        case '-n': return v !== '';
        case '-z': return v === '';
        case '-e': return exists(v);
        case '-f': return readFile(ctx, v) !== undefined;
        case '-d': return listDir(ctx, resolvePath(ctx, v).normalized) !== undefined;
        case '-s': return (readFile(ctx, v) ?? '') !== '';
        case '-r': case '-w': return exists(v);
        case '-x': return /^\/(usr\/)?s?bin\/./.test(resolvePath(ctx, v).normalized) && exists(v);
        case '-L': case '-h': case '-p': case '-S': case '-b': case '-c': return false;
        default: throw new Error(`${name}: ${op}: unknown operand`);
      }
    }
    const [l, op, r] = a;
    switch (op) {
      case '=': case '==': return l === r;
      case '!=': return l !== r;
      case '-eq': return int(l) === int(r);
      case '-ne': return int(l) !== int(r);
      case '-lt': return int(l) < int(r);
      case '-le': return int(l) <= int(r);
      case '-gt': return int(l) > int(r);
      case '-ge': return int(l) >= int(r);
    }
    const and = a.indexOf('-a');
    if (and > 0) return evalOne(a.slice(0, and)) && evalOne(a.slice(and + 1));
    const or = a.indexOf('-o');
    if (or > 0) return evalOne(a.slice(0, or)) || evalOne(a.slice(or + 1));
    throw new Error(`${name}: syntax error`);
  };
  try {
    return evalOne(args) ? 0 : 1;
  } catch (e) {
    ctx.err(`sh: ${(e as Error).message}\n`);
    return 2;
  }
}

/** ps (DESKTOP build, default columns pid,user,time,args): the container's main process, running execs, and ps itself */
export async function ps(ctx: AppletContext): Promise<number> {
  const o = getopts(ctx, 'ps', ctx.argv, 'o:T', { anywhere: true });
  if (!o) return 1;
  const procs = ctx.processes?.(ctx.argv.join(' ')) ?? [];
  // the user column: the name in this container's /etc/passwd, else the number (nginx's 101 in busybox)
  const names = new Map((readFile(ctx, '/etc/passwd') ?? '').split('\n').map((l) => l.split(':'))
    .filter((f) => f.length > 2).map((f) => [Number(f[2]), f[0]] as const));
  ctx.out('PID   USER     TIME  COMMAND\n');
  for (const p of procs) ctx.out(`${String(p.pid).padStart(5)} ${(names.get(p.uid) ?? String(p.uid)).slice(0, 8).padEnd(8)}  0:00 ${p.args}\n`);
  return 0;
}

export { showUsage };
