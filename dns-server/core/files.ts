// How the server reads files: the Corefile (-conf), imports, hosts files, reload's checks, the
// forward plugin's resolv.conf and the kubernetes plugin's credentials. Standalone it is the real
// filesystem; an embedding program (the sandbox) passes hooks.files so that every path resolves
// inside the container's own view and nothing outside it can be named.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import type { ServerHooks } from './plugin.ts';

export interface FileInfo {
  isDirectory: boolean;
  size: number;
  mtimeMs: number;
}

/**
 * A filesystem as the server sees it. Each method throws an Error whose `code` is the errno name
 * (ENOENT, ENOTDIR, EISDIR) and whose message is Go's (`open /etc/x: no such file or directory`).
 */
export interface FileHooks {
  readFile(path: string): string;
  /** names in a directory (not sorted) */
  readDir(path: string): string[];
  stat(path: string): FileInfo;
}

export const hostFiles: FileHooks = {
  readFile: (path) => readFileSync(path, 'utf8'),
  readDir: (path) => readdirSync(path),
  stat: (path) => {
    const st = statSync(path);
    return { isDirectory: st.isDirectory(), size: st.size, mtimeMs: st.mtimeMs };
  },
};

export function filesOf(hooks: ServerHooks | undefined): FileHooks {
  return hooks?.files ?? hostFiles;
}

/** true when path names something (a file or a directory) */
export function exists(files: FileHooks, path: string): boolean {
  try {
    files.stat(path);
    return true;
  } catch {
    return false;
  }
}
