// busybox applets that read the container's files and environment, with busybox's messages.
import { readFile, resolvePath, sleep, type AppletContext } from './context.ts';

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
    else if (ctx.files.list(resolvePath(ctx, p).normalized)) { ctx.err(`cat: read error: Is a directory\n`); status = 1; }
    else { ctx.err(`cat: can't open '${p}': No such file or directory\n`); status = 1; }
  }
  return status;
}

export async function ls(ctx: AppletContext): Promise<number> {
  const opts = ctx.argv.slice(1).filter((a) => a.startsWith('-')).join('');
  const targets = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  if (targets.length === 0) targets.push('.');
  let status = 0;
  const many = targets.length > 1;
  for (const t of targets) {
    const { normalized } = resolvePath(ctx, t);
    const written = [...ctx.state.written.keys()].filter((k) => k.startsWith(normalized === '/' ? '/' : `${normalized}/`))
      .map((k) => k.slice(normalized === '/' ? 1 : normalized.length + 1).split('/')[0]);
    const listed = ctx.files.list(normalized);
    if (listed === undefined && written.length === 0) {
      if (readFile(ctx, t) !== undefined) { ctx.out(`${t}\n`); continue; }
      ctx.err(`ls: ${t}: No such file or directory\n`);
      status = 1;
      continue;
    }
    const names = [...new Set([...(listed ?? []), ...written])].sort();
    if (many) ctx.out(`${t}:\n`);
    const oneper = opts.includes('l') || opts.includes('1') || !ctx.state.tty;
    ctx.out(oneper ? names.map((n) => `${n}\n`).join('') : columns(names, ctx.state.columns));
  }
  return status;
}

/** busybox ls on a terminal: columns as wide as the longest name plus 2, filled top to bottom */
export function columns(names: string[], width: number): string {
  if (names.length === 0) return '';
  const col = Math.max(...names.map((n) => n.length)) + 2;
  const perRow = Math.max(1, Math.floor(width / col));
  const rows = Math.ceil(names.length / perRow);
  let out = '';
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c * rows + r < names.length; c++) cells.push(names[c * rows + r]);
    out += cells.map((n, i) => (i === cells.length - 1 ? n : n.padEnd(col))).join('') + '\n';
  }
  return out;
}

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
  const args = ctx.argv.slice(1);
  const flags = args.filter((a) => /^-[ivc]+$/.test(a)).join('');
  const rest = args.filter((a) => !/^-[ivc]+$/.test(a));
  const [pattern, ...files] = rest;
  if (pattern === undefined) {
    ctx.err('BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: grep [-HhnlLoqvsriwFE] [-m N] [-A/B/C N] PATTERN/-e PATTERN.../-f FILE [FILE]...\n');
    return 2;
  }
  let re: RegExp;
  try {
    re = new RegExp(pattern, flags.includes('i') ? 'i' : '');
  } catch {
    re = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags.includes('i') ? 'i' : '');
  }
  const sources = files.length ? files.map((f) => ({ name: f, text: readFile(ctx, f) })) : [{ name: '-', text: ctx.stdin ?? '' }];
  let matched = 0;
  let status = 0;
  for (const s of sources) {
    if (s.text === undefined) { ctx.err(`grep: ${s.name}: No such file or directory\n`); status = 2; continue; }
    const lines = s.text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const hits = lines.filter((l) => re.test(l) !== flags.includes('v'));
    matched += hits.length;
    if (flags.includes('c')) ctx.out(`${files.length > 1 ? `${s.name}:` : ''}${hits.length}\n`);
    else ctx.out(hits.map((l) => `${files.length > 1 ? `${s.name}:` : ''}${l}\n`).join(''));
  }
  return status === 2 && matched === 0 ? 2 : matched > 0 ? 0 : 1;
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
