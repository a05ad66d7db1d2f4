// busybox 1.28's ls (coreutils/ls.c at tag 1_28_4): names, -1/-a/-A/-d, and the long format of
// -l (-h, -n): "%-10s %4lu %-8.8s %-8.8s %9llu " then the date as ctime gives it ("Dec  7 04:57 ",
// or "Jan  2  2020 " when the file is more than half a year old or over 15 minutes in the
// future), then the name. A directory's listing under -l starts with "total N": its entries'
// 512-byte blocks, halved after adding one (calculate_blocks). With several operands, files come
// first, then each directory under a "dir:" line, a blank line between groups.
//
// The emulated files have no inodes, so what stat would say is derived here: directories 4096
// bytes (one 4 KiB block) with 2 links plus one per subdirectory, files 1 link; the busybox
// image's own entries dated when the image was built, the kubelet's and volumes' files when the
// container first saw them, what the container wrote when ls first saw that content. The applet
// links in /bin share one inode, as in the image; its size is approximate (no binary ships here).
import { listDir, readFile, resolvePath, type AppletContext } from './context.ts';
import { gnuWording } from './usage.ts';

/** busybox 1.28.4's build (the banner's date): when the busybox image's files were made */
const BUSYBOX_BUILT_MS = Date.UTC(2018, 4, 22, 17, 0, 17);
/** the busybox binary the /bin applets link to; approximate */
const BUSYBOX_BINARY_SIZE = 1_001_112;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface Entry {
  name: string;
  dir: boolean;
  mode: string;
  nlink: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
}

/** when the container's own writes were first seen with their current content, per container layer */
const writtenSeen = new WeakMap<Map<string, string>, Map<string, { text: string; ms: number }>>();

function seenAt(written: Map<string, string>, path: string, text: string): number {
  let m = writtenSeen.get(written);
  if (!m) writtenSeen.set(written, (m = new Map()));
  const s = m.get(path);
  if (s && s.text === text) return s.ms;
  const ms = Date.now();
  m.set(path, { text, ms });
  return ms;
}

/** the special directories of a Linux root: sticky /tmp, private /root, the pseudo filesystems */
function dirMode(path: string): { mode: string; size: number } {
  if (path === '/tmp' || path === '/var/tmp') return { mode: 'drwxrwxrwt', size: 4096 };
  if (path === '/root') return { mode: 'drwx------', size: 4096 };
  if (path === '/proc' || path === '/sys') return { mode: 'dr-xr-xr-x', size: 0 };
  return { mode: 'drwxr-xr-x', size: 4096 };
}

function stat(ctx: AppletContext, path: string, name: string): Entry | undefined {
  const written = ctx.state.written;
  const base = ctx.toolbox ? undefined : BUSYBOX_BUILT_MS;
  const children = listDir(ctx, path);
  if (children !== undefined) {
    const prefix = path === '/' ? '/' : `${path}/`;
    const subdirs = children.filter((c) => listDir(ctx, `${prefix}${c}`) !== undefined).length;
    // a directory changes when an entry is added to it: the latest write directly below it
    let mtimeMs = written.has(`${prefix}.`) ? seenAt(written, `${prefix}.`, '') : base ?? ctx.files.stat(path)?.mtimeMs ?? Date.now();
    if (!mtimeMs) mtimeMs = Date.now();
    for (const c of children) {
      const p = `${prefix}${c}`;
      const t = written.get(p) ?? (written.has(`${p}/.`) ? '' : undefined);
      if (t !== undefined) mtimeMs = Math.max(mtimeMs, seenAt(written, written.has(p) ? p : `${p}/.`, t));
    }
    return { name, dir: true, ...dirMode(path), nlink: 2 + subdirs, uid: 0, gid: 0, mtimeMs };
  }
  const text = readFile(ctx, path);
  if (text === undefined) return undefined;
  const size = Buffer.byteLength(text);
  if (written.has(path)) return { name, dir: false, mode: '-rw-r--r--', nlink: 1, uid: 0, gid: 0, size, mtimeMs: seenAt(written, path, text) };
  const imageFile = base !== undefined && (path === '/etc/passwd' || path === '/etc/group');
  return { name, dir: false, mode: '-rw-r--r--', nlink: 1, uid: 0, gid: 0, size, mtimeMs: imageFile ? base : ctx.files.stat(path)?.mtimeMs || Date.now() };
}

/** an executable on the image's PATH (the /bin applets), which the emulated files hold no text for */
function binaryEntry(ctx: AppletContext, path: string, name: string): Entry | undefined {
  const dir = path.slice(0, path.lastIndexOf('/')) || '/';
  if (!['/bin', '/usr/bin', '/sbin', '/usr/sbin'].includes(dir)) return undefined;
  if (!(listDir(ctx, dir) ?? []).includes(path.slice(path.lastIndexOf('/') + 1))) return undefined;
  if (ctx.toolbox) return { name, dir: false, mode: '-rwxr-xr-x', nlink: 1, uid: 0, gid: 0, size: 0, mtimeMs: ctx.files.stat(dir)?.mtimeMs || Date.now() };
  const links = (listDir(ctx, '/bin') ?? []).length;
  return { name, dir: false, mode: '-rwxr-xr-x', nlink: links, uid: 0, gid: 0, size: BUSYBOX_BINARY_SIZE, mtimeMs: BUSYBOX_BUILT_MS };
}

function entryAt(ctx: AppletContext, path: string, name: string): Entry | undefined {
  return stat(ctx, path, name) ?? binaryEntry(ctx, path, name);
}

/** libbb's make_human_readable_str(size, 1, 0): one decimal and a K/M/G suffix from 1024 up */
export function humanSize(bytes: number): string {
  if (bytes === 0) return '0';
  let val = bytes;
  let frac = 0;
  let unit = 0;
  while (val >= 1024) {
    frac = Math.floor(((val % 1024) * 10 + 512) / 1024);
    val = Math.floor(val / 1024);
    unit++;
  }
  if (unit === 0) return String(val);
  if (frac >= 10) { val++; frac = 0; }
  return `${val}.${frac}${' KMGTPE'[unit]}`;
}

/** ls's date column from ctime(3) in the container's zone (UTC) */
export function lsDate(mtimeMs: number, nowMs = Date.now()): string {
  const d = new Date(mtimeMs);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const age = (nowMs - mtimeMs) / 1000;
  if (age < (3600 * 24 * 365) / 2 && age > -15 * 60) {
    const hm = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    return `${MONTHS[d.getUTCMonth()]} ${day} ${hm} `;
  }
  return `${MONTHS[d.getUTCMonth()]} ${day} ${String(d.getUTCFullYear()).padStart(5, ' ')} `;
}

/** the first name for an id in the container's passwd or group file, else the number */
function idName(ctx: AppletContext, file: string, id: number): string {
  for (const line of (readFile(ctx, file) ?? '').split('\n')) {
    const f = line.split(':');
    if (f.length > 2 && Number(f[2]) === id && f[2] !== '') return f[0];
  }
  return String(id);
}

function longLine(ctx: AppletContext, e: Entry, flags: Set<string>): string {
  const ids = flags.has('n') ? `${String(e.uid).padEnd(8)} ${String(e.gid).padEnd(8)} `
    : `${idName(ctx, '/etc/passwd', e.uid).slice(0, 8).padEnd(8)} ${idName(ctx, '/etc/group', e.gid).slice(0, 8).padEnd(8)} `;
  const size = flags.has('h') ? humanSize(e.size).padStart(7) : String(e.size).padStart(9);
  return `${e.mode.padEnd(10)} ${String(e.nlink).padStart(4)} ${ids}${size} ${lsDate(e.mtimeMs)}${e.name}\n`;
}

/** 512-byte blocks a file of this size takes on a 4 KiB-block filesystem */
const blocks = (e: Entry) => Math.ceil(e.size / 4096) * 8;

/** GNU ls's short options (coreutils ls.c's getopt string, without the argument markers) */
const GNU_LS_FLAGS = 'abcdfghiklmnopqrstuvw:xABCDFGHI:LNQRST:UXZ1'.replace(/:/g, '');

export async function ls(ctx: AppletContext): Promise<number> {
  const flags = new Set<string>();
  const operands: string[] = [];
  let endOfOptions = false;
  for (const a of ctx.argv.slice(1)) {
    if (!endOfOptions && a === '--') endOfOptions = true;
    else if (!endOfOptions && a.startsWith('-') && a.length > 1) for (const ch of a.slice(1)) flags.add(ch);
    else operands.push(a);
  }
  // GNU ls (Debian images) refuses a letter it does not know, and exits 2 for serious trouble
  const gnu = gnuWording(ctx);
  const unknown = gnu ? [...flags].find((f) => !GNU_LS_FLAGS.includes(f)) : undefined;
  if (unknown !== undefined) {
    ctx.err(`ls: invalid option -- '${unknown}'\nTry 'ls --help' for more information.\n`);
    return 2;
  }
  const long = flags.has('l') || flags.has('n');
  if (flags.has('n')) flags.add('l');
  const targets = operands.length ? operands : ['.'];
  const show = (entries: Entry[]): string => {
    if (long) return entries.map((e) => longLine(ctx, e, flags)).join('');
    const names = entries.map((e) => e.name);
    return flags.has('1') || !ctx.state.tty ? names.map((n) => `${n}\n`).join('') : columns(names, ctx.state.columns);
  };

  let status = 0;
  const files: Entry[] = [];
  const dirs: Array<{ label: string; path: string }> = [];
  for (const t of targets) {
    const { normalized } = resolvePath(ctx, t);
    const e = entryAt(ctx, normalized, t);
    if (!e) {
      ctx.err(gnu ? `ls: cannot access '${t}': No such file or directory\n` : `ls: ${t}: No such file or directory\n`);
      status = gnu ? 2 : 1;
      continue;
    }
    if (e.dir && !flags.has('d')) dirs.push({ label: t, path: normalized });
    else files.push(e);
  }
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  let out = show(files.sort(byName));
  const labelled = targets.length > 1;
  dirs.sort((a, b) => byName({ name: a.label }, { name: b.label }));
  dirs.forEach((d, i) => {
    if (labelled) out += `${files.length || i ? '\n' : ''}${d.label}:\n`;
    const prefix = d.path === '/' ? '/' : `${d.path}/`;
    let names = (listDir(ctx, d.path) ?? []).filter((n) => n !== '.' && n !== '..');
    // dotfiles only with -a or -A; "." and ".." only with -a
    if (!flags.has('a') && !flags.has('A')) names = names.filter((n) => !n.startsWith('.'));
    // an entry the image lists without content here (a binary such as jessie-dnsutils' /coredns or
    // agnhost's /agnhost) is still there: an executable whose size the lab does not know
    const entries = names.map((n) => entryAt(ctx, `${prefix}${n}`, n) ??
      { name: n, dir: false, mode: '-rwxr-xr-x', nlink: 1, uid: 0, gid: 0, size: 0, mtimeMs: ctx.toolbox ? Date.now() : BUSYBOX_BUILT_MS });
    if (flags.has('a')) {
      const parent = d.path === '/' ? '/' : d.path.slice(0, d.path.lastIndexOf('/')) || '/';
      for (const [n, p] of [['.', d.path], ['..', parent]] as const) {
        const e = entryAt(ctx, p, n);
        if (e) entries.push(e);
      }
    }
    entries.sort(byName);
    if (long) out += `total ${(1 + entries.reduce((s, e) => s + blocks(e), 0)) >> 1}\n`;
    out += show(entries);
  });
  ctx.out(out);
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
