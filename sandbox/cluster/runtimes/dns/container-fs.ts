// The DNS server's files hook for a container: every path resolves inside the pod's own view
// (PodFiles: its volumes, the kubelet's files, the image's files), relative paths against the
// container's working directory. `..` cannot climb above the container's /, and no path reaches
// the host's filesystem. Errors are Go's os errors, as CoreDNS would print them.
import type { FileHooks } from './server-api.ts';
import { normalizePath, type PodFiles } from '../pod-files.ts';

function osError(op: string, path: string, code: 'ENOENT' | 'EISDIR' | 'ENOTDIR'): Error {
  const words = { ENOENT: 'no such file or directory', EISDIR: 'is a directory', ENOTDIR: 'not a directory' }[code];
  return Object.assign(new Error(`${op} ${path}: ${words}`), { code });
}

export function containerFiles(files: PodFiles, workingDir = '/'): FileHooks {
  const abs = (path: string) => normalizePath(path, workingDir);
  return {
    readFile(path) {
      const p = abs(path);
      const text = files.read(p);
      if (text !== undefined) return text;
      if (files.list(p)) throw osError('read', p, 'EISDIR');
      throw osError('open', p, 'ENOENT');
    },
    readDir(path) {
      const p = abs(path);
      const names = files.list(p);
      if (names) return names;
      throw osError('open', p, files.read(p) !== undefined ? 'ENOTDIR' : 'ENOENT');
    },
    stat(path) {
      const p = abs(path);
      const st = files.stat(p);
      if (!st) throw osError('stat', p, 'ENOENT');
      return st;
    },
  };
}
