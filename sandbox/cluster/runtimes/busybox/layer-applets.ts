// busybox 1.28's touch, mkdir and rm over the container's writable layer (ShellState.written),
// with busybox's messages. The docs' liveness example (`touch /tmp/healthy; sleep 30; rm -f
// /tmp/healthy`) needs them: without touch its exec probe failed from the first try.
// The layer holds what the container wrote; the image's files and the mounted volumes sit below
// it and have no whiteouts here, so rm removes only what the container itself created.
import { listDir, readFile, resolvePath, type AppletContext } from './context.ts';
import { getopts, gnuWording, missingOperand } from './usage.ts';

const parentOf = (path: string) => path.slice(0, path.lastIndexOf('/')) || '/';
const isDir = (ctx: AppletContext, path: string) => listDir(ctx, path) !== undefined;

export async function touch(ctx: AppletContext): Promise<number> {
  const o = getopts(ctx, 'touch', ctx.argv, 'chd:t:r:', { anywhere: true });
  if (!o) return 1;
  if (o.operands.length === 0) { missingOperand(ctx, 'touch'); return 1; }
  let status = 0;
  for (const f of o.operands) {
    const { normalized } = resolvePath(ctx, f);
    if (readFile(ctx, f) !== undefined || isDir(ctx, normalized) || o.flags.has('c')) continue;
    if (!isDir(ctx, parentOf(normalized))) {
      ctx.err(gnuWording(ctx) ? `touch: cannot touch '${f}': No such file or directory\n` : `touch: ${f}: No such file or directory\n`);
      status = 1;
      continue;
    }
    ctx.state.written.set(normalized, '');
  }
  return status;
}

export async function mkdir(ctx: AppletContext): Promise<number> {
  const o = getopts(ctx, 'mkdir', ctx.argv, 'm:p', { anywhere: true });
  if (!o) return 1;
  if (o.operands.length === 0) { missingOperand(ctx, 'mkdir'); return 1; }
  const parents = o.flags.has('p');
  let status = 0;
  for (const d of o.operands) {
    const { normalized } = resolvePath(ctx, d);
    const fail = (why: string) => { ctx.err(`mkdir: ${gnuWording(ctx) ? 'cannot' : "can't"} create directory '${d}': ${why}\n`); status = 1; };
    if (isDir(ctx, normalized) || readFile(ctx, d) !== undefined) {
      if (!parents || readFile(ctx, d) !== undefined) fail('File exists');
      continue;
    }
    if (!parents && !isDir(ctx, parentOf(normalized))) { fail('No such file or directory'); continue; }
    // an empty directory is kept as "<dir>/." (the marker tar.ts uses); with -p each missing parent too
    const missing: string[] = [];
    for (let p = normalized; p !== '/' && !isDir(ctx, p); p = parentOf(p)) missing.push(p);
    for (const p of missing) ctx.state.written.set(`${p}/.`, '');
  }
  return status;
}

export async function rm(ctx: AppletContext): Promise<number> {
  const o = getopts(ctx, 'rm', ctx.argv, 'fiRrv', { anywhere: true });
  if (!o) return 1;
  const force = o.flags.has('f');
  const recursive = o.flags.has('r') || o.flags.has('R');
  if (o.operands.length === 0) {
    if (force) return 0;
    missingOperand(ctx, 'rm');
    return 1;
  }
  let status = 0;
  const cannot = gnuWording(ctx) ? 'cannot' : "can't";
  for (const f of o.operands) {
    const { normalized } = resolvePath(ctx, f);
    const written = ctx.state.written;
    if (isDir(ctx, normalized)) {
      if (!recursive) { ctx.err(gnuWording(ctx) ? `rm: cannot remove '${f}': Is a directory\n` : `rm: '${f}' is a directory\n`); status = 1; continue; }
      const prefix = `${normalized}/`;
      const own = [...written.keys()].filter((k) => k.startsWith(prefix));
      if ((ctx.files.list(normalized) ?? []).length > 0 || own.length === 0) {
        ctx.err(`rm: ${cannot} remove '${f}': Read-only file system\n`);
        status = 1;
        continue;
      }
      for (const k of own) written.delete(k);
      continue;
    }
    if (written.delete(normalized)) continue;
    if (readFile(ctx, f) !== undefined) {
      ctx.err(`rm: ${cannot} remove '${f}': Read-only file system\n`);
      status = 1;
    } else if (!force) {
      ctx.err(`rm: ${cannot} remove '${f}': No such file or directory\n`);
      status = 1;
    }
  }
  return status;
}
