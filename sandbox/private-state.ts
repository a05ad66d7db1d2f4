// The state dir holds Secrets (the cluster's wal.log and snapshot.json), the kubeconfig and the
// shells' history, so only its owner may read it. Every part of the lab that writes there goes
// through these, so the modes never depend on the umask of whoever started the lab.
import { chmodSync, closeSync, fchmodSync, lstatSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * The second line of defence for processes that own a state dir (`serve`, `sandbox up|reset`):
 * a file some part of the lab creates without going through this module is still 0600. The
 * learner's shells set `umask 022` again in their rcfile (sandbox/terminal/workspace.ts).
 */
export function usePrivateUmask(): void {
  process.umask(0o077);
}

/** mkdir -p; `dir` (new or old) and every directory created on the way end up 0700 */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * Writes (creates or truncates) a 0600 file. The mode is set on the open descriptor too,
 * because `mode` only applies when the file is created and an older file may be 0644.
 */
export function writePrivateFile(path: string, data: string | Uint8Array, flags: 'w' | 'wx' = 'w'): void {
  const fd = openSync(path, flags, PRIVATE_FILE_MODE);
  try {
    fchmodSync(fd, PRIVATE_FILE_MODE);
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off);
  } finally {
    closeSync(fd);
  }
}

/** opens a 0600 file (e.g. an append-only log), tightening an older wider one */
export function openPrivateFile(path: string, flags: string): number {
  const fd = openSync(path, flags, PRIVATE_FILE_MODE);
  fchmodSync(fd, PRIVATE_FILE_MODE);
  return fd;
}

/**
 * What the lab keeps in a state dir, by name. Only these are tightened on start: `--state-dir`
 * may name a folder that holds other things (a repo, a home directory), and those are not
 * the lab's to chmod. `trees` are walked (every directory 0700, every file 0600).
 */
export const LAB_STATE_ENTRIES = {
  files: ['kubeconfig', 'admin-token', 'api-port', 'sandbox.pid', 'bashrc', 'bash_history', 'provider.json', 'dns-backup.json', 'kind-config.yaml'],
  trees: ['cluster', 'sessions', 'pki'],
  /** the dir itself only: the learner's own files in it keep their modes (the 0700 state dir hides them) */
  dirs: ['workspace'],
} as const;

/**
 * A state dir made by an older lab (0755 dir, 0644 files) is tightened on start: the dir and
 * the lab's directories in it become 0700 and the lab's files 0600. Symlinks are not followed.
 */
export function tightenStateDir(stateDir: string): void {
  makePrivateDir(stateDir);
  for (const name of LAB_STATE_ENTRIES.files) tighten(join(stateDir, name), 'file');
  for (const name of LAB_STATE_ENTRIES.dirs) tighten(join(stateDir, name), 'dir');
  const walk = (dir: string): void => {
    if (!tighten(dir, 'dir')) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) tighten(path, 'file');
    }
  };
  for (const name of LAB_STATE_ENTRIES.trees) walk(join(stateDir, name));
}

/** false when there is no such file or dir at `path` (nothing, a symlink, or the other kind) */
function tighten(path: string, kind: 'file' | 'dir'): boolean {
  try {
    const st = lstatSync(path);
    if (kind === 'dir' ? !st.isDirectory() : !st.isFile()) return false;
    const mode = kind === 'dir' ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
    if ((st.mode & 0o777) !== mode) chmodSync(path, mode);
    return true;
  } catch (err) {
    // absent, or removed while we walked (a session ending): nothing to protect
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
