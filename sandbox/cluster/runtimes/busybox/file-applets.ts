// busybox applets that read the container's files and environment, with busybox's messages.
import { readFile, resolvePath, sleep, type AppletContext } from './context.ts';
import { getopts, gnuWording, missingOperand } from './usage.ts';

export async function cat(ctx: AppletContext): Promise<number> {
  const paths = ctx.argv.slice(1).filter((a) => a !== '-');
  if (paths.length === 0) {
    ctx.out(ctx.stdin ?? '');
    return 0;
  }
  let status = 0;
  for (const p of paths) {
    const text = readFile(ctx, p);
    if (text !== undefined) ctx.out(text);
    else if (ctx.files.list(resolvePath(ctx, p).normalized)) { ctx.err(gnuWording(ctx) ? `cat: ${p}: Is a directory\n` : 'cat: read error: Is a directory\n'); status = 1; }
    else { ctx.err(gnuWording(ctx) ? `cat: ${p}: No such file or directory\n` : `cat: can't open '${p}': No such file or directory\n`); status = 1; }
  }
  return status;
}

// ls is in ls.ts (its long format needs what stat would say about each file)
export { ls, columns } from './ls.ts';

export async function echo(ctx: AppletContext): Promise<number> {
  let args = ctx.argv.slice(1);
  let newline = true;
  while (args[0] === '-n' || args[0] === '-e') {
    if (args[0] === '-n') newline = false;
    args = args.slice(1);
  }
  ctx.out(args.join(' ') + (newline ? '\n' : ''));
  return 0;
}

export async function hostname(ctx: AppletContext): Promise<number> {
  if (ctx.argv.includes('-i')) ctx.out(`${ctx.podIP}\n`);
  else if (ctx.argv.includes('-f')) ctx.out(`${canonicalName(ctx)}\n`);
  else ctx.out(`${ctx.hostname}\n`);
  return 0;
}

// busybox's `hostname -f` prints gethostbyname(hostname)->h_name: the first name on the
// /etc/hosts line that lists the hostname, which the kubelet makes the FQDN for subdomain pods
function canonicalName(ctx: AppletContext): string {
  for (const line of (readFile(ctx, '/etc/hosts') ?? '').split('\n')) {
    const names = line.replace(/#.*/, '').trim().split(/\s+/).slice(1);
    if (names.includes(ctx.hostname)) return names[0]!;
  }
  return ctx.hostname;
}

export async function env(ctx: AppletContext): Promise<number> {
  ctx.out([...ctx.state.env].map(([k, v]) => `${k}=${v}\n`).join(''));
  return 0;
}

export async function printenv(ctx: AppletContext): Promise<number> {
  const names = ctx.argv.slice(1);
  if (names.length === 0) return env(ctx);
  let status = 0;
  for (const n of names) {
    const v = ctx.state.env.get(n);
    if (v === undefined) status = 1;
    else ctx.out(`${v}\n`);
  }
  return status;
}

/** busybox sleep: N, Ns, Nm, Nh, Nd, fractions allowed */
export async function sleepApplet(ctx: AppletContext): Promise<number> {
  const args = ctx.argv.slice(1);
  if (args.length === 0) {
    ctx.err('BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: sleep [N]...\n\nPause for a time equal to the total of the args given, where each arg can\nhave an optional suffix of (s)econds, (m)inutes, (h)ours, or (d)ays\n');
    return 1;
  }
  let ms = 0;
  for (const a of args) {
    const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(a);
    if (!m) {
      ctx.err(`sleep: invalid number '${a}'\n`);
      return 1;
    }
    ms += Number(m[1]) * { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  }
  const slept = await sleep(ms, ctx.signal);
  return slept ? 0 : 130;
}

export async function pwd(ctx: AppletContext): Promise<number> {
  ctx.out(`${ctx.state.cwd}\n`);
  return 0;
}

export async function grep(ctx: AppletContext): Promise<number> {
  const o = getopts(ctx, 'grep', ctx.argv, 'HhnlLcoqvsriwxFEm:A:B:C:e:f:', { anywhere: true });
  if (!o) return 2;
  const has = (f: string) => o.flags.has(f);
  const patterns = [...(o.flags.get('e') ?? [])];
  for (const f of o.flags.get('f') ?? []) {
    const text = readFile(ctx, f);
    if (text === undefined) { ctx.err(`grep: ${f}: No such file or directory\n`); return 2; }
    patterns.push(...text.split('\n').filter((l, i, a) => l !== '' || i < a.length - 1));
  }
  const operands = [...o.operands];
  if (patterns.length === 0) {
    const p = operands.shift();
    if (p === undefined) { missingOperand(ctx, 'grep'); return 2; }
    patterns.push(p);
  }
  // BRE and ERE as JavaScript patterns: in a BRE, \( \) \{ \} \| are the operators and ( ) { } | + ? literal
  const toJs = (p: string) => {
    if (has('F')) return p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (has('E')) return p;
    return p.replace(/\\([(){}|+?])|([(){}|+?])/g, (_m, op: string | undefined, lit: string | undefined) => (op ? op : `\\${lit}`));
  };
  let res: RegExp[];
  try {
    res = patterns.map((p) => {
      let src = toJs(p);
      if (has('w')) src = `(?<![A-Za-z0-9_])(?:${src})(?![A-Za-z0-9_])`;
      if (has('x')) src = `^(?:${src})$`;
      return new RegExp(src, has('i') ? 'gi' : 'g');
    });
  } catch {
    ctx.err(`grep: bad regex '${patterns[0]}'\n`);
    return 2;
  }
  const files = operands.length ? operands : ['-'];
  const prefixName = has('H') || (files.length > 1 && !has('h'));
  const max = o.flags.has('m') ? Number(o.flags.get('m')!.at(-1)) : Infinity;
  let matchedAny = false;
  let status = 0;
  for (const name of files) {
    const text = name === '-' ? ctx.stdin ?? '' : readFile(ctx, name);
    const label = name === '-' ? '(standard input)' : name;
    if (text === undefined) {
      if (!has('s')) ctx.err(`grep: ${name}: No such file or directory\n`);
      status = 2;
      continue;
    }
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    let count = 0;
    for (let n = 0; n < lines.length && count < max; n++) {
      const line = lines[n];
      const hit = res.some((re) => { re.lastIndex = 0; return re.test(line); });
      if (hit === has('v')) continue;
      count++;
      if (has('q') || has('l') || has('L') || has('c')) continue;
      const pre = `${prefixName ? `${label}:` : ''}${has('n') ? `${n + 1}:` : ''}`;
      if (has('o') && !has('v')) {
        for (const re of res) { re.lastIndex = 0; for (const m of line.matchAll(re)) if (m[0]) ctx.out(`${pre}${m[0]}\n`); }
      } else ctx.out(`${pre}${line}\n`);
    }
    if (count) matchedAny = true;
    if (has('q') && matchedAny) return 0;
    if (has('c')) ctx.out(`${prefixName ? `${label}:` : ''}${count}\n`);
    if (has('l') && count) ctx.out(`${label}\n`);
    if (has('L') && !count) ctx.out(`${label}\n`);
  }
  if (has('L')) return status === 2 ? 2 : 0;
  return matchedAny ? 0 : status === 2 ? 2 : 1;
}

export async function uname(ctx: AppletContext): Promise<number> {
  ctx.out(ctx.argv.includes('-a') ? `Linux ${ctx.hostname} 4.4.78-k8s #1 SMP Fri Jul 28 01:28:39 UTC 2017 x86_64 GNU/Linux\n` : 'Linux\n');
  return 0;
}

export async function id(ctx: AppletContext): Promise<number> {
  ctx.out('uid=0(root) gid=0(root) groups=10(wheel)\n');
  return 0;
}

export async function whoami(ctx: AppletContext): Promise<number> {
  ctx.out('root\n');
  return 0;
}

export async function date(ctx: AppletContext): Promise<number> {
  const d = new Date();
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  ctx.out(`${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}\n`);
  return 0;
}
