// busybox 1.28's tar for what `kubectl cp` runs: `tar cf - PATH` (from a pod: a ustar stream on
// stdout, leading '/' removed with tar's notice) and `tar -xmf - -C DIR` (to a pod: a stream on
// stdin, as Go's archive/tar writes it, PAX and GNU long names included), plus `t` and `-v`.
import { listDir, readFile, resolvePath, type AppletContext } from './context.ts';
import { getopts, showUsage } from './usage.ts';

const BLOCK = 512;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, size: number, type: '0' | '5', mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    // ustar splits a long name at a '/' into prefix (155) and name (100)
    const cut = name.lastIndexOf('/', 155);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  h.write(base, 0, 100);
  h.write(octal(type === '5' ? 0o755 : 0o644, 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(size, 12), 124);
  h.write(octal(mtime, 12), 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write('ustar  \0', 257);
  h.write('root', 265);
  h.write('root', 297);
  h.write(prefix, 345, 155);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

function pad(b: Buffer): Buffer {
  const rest = b.length % BLOCK;
  return rest ? Buffer.concat([b, Buffer.alloc(BLOCK - rest)]) : b;
}

interface Entry { name: string; type: 'file' | 'dir'; data: Buffer }

/** the entries of a tar stream; throws with busybox's message on a corrupt one */
export function readTar(stream: Buffer): Entry[] {
  const out: Entry[] = [];
  let off = 0;
  let longName: string | undefined;
  const str = (b: Buffer) => b.toString('utf8').replace(/\0.*$/s, '');
  while (off + BLOCK <= stream.length) {
    const h = stream.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    const magicOk = str(h.subarray(257, 262)) === 'ustar' || h.subarray(257, 263).toString() === 'ustar ';
    const size = parseInt(str(h.subarray(124, 136)).trim() || '0', 8);
    if (!magicOk || Number.isNaN(size)) throw new Error('invalid tar magic');
    const type = String.fromCharCode(h[156] || 48);
    const data = stream.subarray(off + BLOCK, off + BLOCK + size);
    off += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') { longName = str(data); continue; }
    if (type === 'x') {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      if (m) longName = m[1];
      continue;
    }
    if (type === 'g') continue;
    const prefix = str(h.subarray(345, 500));
    const name = longName ?? (prefix ? `${prefix}/${str(h.subarray(0, 100))}` : str(h.subarray(0, 100)));
    longName = undefined;
    if (type === '5') out.push({ name: name.replace(/\/$/, ''), type: 'dir', data: Buffer.alloc(0) });
    else if (type === '0' || type === '\0' || type === '7') out.push({ name, type: 'file', data: Buffer.from(data) });
  }
  return out;
}

export async function tar(ctx: AppletContext): Promise<number> {
  // `tar cf -`: a first argument without '-' is the old bundled form
  const argv = ctx.argv.slice();
  if (argv[1] && !argv[1].startsWith('-')) argv[1] = `-${argv[1]}`;
  const long = new Set(['--no-same-permissions', '--no-same-owner', '--same-owner', '--same-permissions', '--overwrite', '--numeric-owner']);
  const filtered = argv.filter((a, i) => i === 0 || !long.has(a));
  const o = getopts(ctx, 'tar', filtered, 'cxtf:C:vOmhzJjaT:X:', { anywhere: true });
  if (!o) return 1;
  const modes = ['c', 'x', 't'].filter((m) => o.flags.has(m));
  if (modes.length !== 1) {
    showUsage(ctx, 'tar');
    return 1;
  }
  if (['z', 'J', 'j', 'a'].some((f) => o.flags.has(f))) {
    ctx.err('tar: compressed archives are not supported in this lab image\n');
    return 1;
  }
  const file = o.flags.get('f')?.at(-1) ?? '-';
  const dir = o.flags.get('C')?.at(-1);
  const base = dir ? resolvePath(ctx, dir).normalized : ctx.state.cwd;
  if (dir && listDir(ctx, base) === undefined) {
    ctx.err(`tar: can't change directory to '${dir}': No such file or directory\n`);
    return 1;
  }
  const at = (p: string) => resolvePath({ state: { ...ctx.state, cwd: base } }, p).normalized;
  const verbose = o.flags.has('v');

  if (modes[0] === 'c') {
    if (o.operands.length === 0) {
      ctx.err('tar: empty archive\n');
      return 1;
    }
    const blocks: Buffer[] = [];
    let status = 0;
    let warned = false;
    const mtime = Math.floor(Date.now() / 1000);
    const add = (path: string, name: string) => {
      const text = readFile(ctx, path);
      if (text !== undefined) {
        const data = Buffer.from(text);
        blocks.push(header(name, data.length, '0', mtime), pad(data));
        if (verbose) ctx.err(`${name}\n`);
        return;
      }
      const entries = listDir(ctx, path);
      if (entries === undefined) {
        ctx.err(`tar: ${name}: No such file or directory\n`);
        status = 1;
        return;
      }
      blocks.push(header(`${name}/`, 0, '5', mtime));
      if (verbose) ctx.err(`${name}/\n`);
      for (const e of entries) add(path === '/' ? `/${e}` : `${path}/${e}`, `${name}/${e}`);
    };
    for (const op of o.operands) {
      let name = op.replace(/\/+$/, '') || '/';
      if (name.startsWith('/')) {
        if (!warned) ctx.err("tar: removing leading '/' from member names\n");
        warned = true;
        name = name.replace(/^\/+/, '');
      }
      add(at(op), name || '.');
    }
    blocks.push(Buffer.alloc(BLOCK * 2));
    const archive = Buffer.concat(blocks);
    if (file === '-') {
      if (ctx.bytes) ctx.bytes(archive); else ctx.out(archive.toString('latin1'));
    } else {
      ctx.state.written.set(resolvePath(ctx, file).normalized, archive.toString('latin1'));
    }
    return status;
  }

  let stream: Buffer;
  if (file === '-') stream = ctx.stdinBytes ?? Buffer.from(ctx.stdin ?? '', 'latin1');
  else {
    const text = readFile(ctx, file);
    if (text === undefined) {
      ctx.err(`tar: can't open '${file}': No such file or directory\n`);
      return 1;
    }
    stream = Buffer.from(text, 'latin1');
  }
  if (stream.length === 0) {
    ctx.err('tar: short read\n');
    return 1;
  }
  let entries: Entry[];
  try {
    entries = readTar(stream);
  } catch (e) {
    ctx.err(`tar: ${(e as Error).message}\n`);
    return 1;
  }
  const only = o.operands;
  for (const e of entries) {
    if (only.length && !only.some((p) => e.name === p.replace(/\/$/, '') || e.name.startsWith(`${p.replace(/\/$/, '')}/`))) continue;
    if (modes[0] === 't' || verbose) ctx.out(`${e.name}${e.type === 'dir' ? '/' : ''}\n`);
    if (modes[0] === 't') continue;
    if (o.flags.has('O')) { if (e.type === 'file') ctx.out(e.data.toString()); continue; }
    const target = at(e.name.replace(/^\/+/, ''));
    if (e.type === 'dir') {
      // an empty directory exists as long as something is under it; a marker keeps it listed
      if (listDir(ctx, target) === undefined) ctx.state.written.set(`${target}/.`, '');
      continue;
    }
    ctx.state.written.set(target, e.data.toString());
  }
  return 0;
}
