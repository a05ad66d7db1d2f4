// A container's files as its main process sees them: the writable layer (what `kubectl exec`
// wrote, the map busybox/container.ts keeps) over the image and the volumes (PodFiles). nginx
// serves through it, so a page written with `kubectl exec web -- sh -c 'echo hi > .../index.html'`
// is what the next request gets, as on a real node where both share the container's filesystem.
import { normalizePath, type PodFiles } from './pod-files.ts';

export type FileView = Pick<PodFiles, 'read' | 'list' | 'stat'>;

export function layeredFiles(base: PodFiles, layer: ReadonlyMap<string, string>): FileView {
  const mtimes = new Map<string, { text: string; mtimeMs: number }>();
  const read = (path: string) => {
    const p = normalizePath(path);
    return layer.get(p) ?? base.read(p);
  };
  const list = (dir: string) => {
    const d = normalizePath(dir);
    const prefix = d === '/' ? '/' : `${d}/`;
    // an empty directory made in the layer is kept as "<dir>/." (tar.ts, layer-applets.ts)
    const own = [...layer.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length).split('/')[0]);
    const below = base.list(d);
    if (below === undefined && own.length === 0) return undefined;
    return [...new Set([...(below ?? []), ...own.filter((n) => n !== '.')])].sort();
  };
  return {
    read,
    list,
    stat(path) {
      const p = normalizePath(path);
      const text = layer.get(p);
      if (text === undefined) return list(p) && !base.stat(p) ? { isDirectory: true, size: 4096, mtimeMs: 0 } : base.stat(p);
      let seen = mtimes.get(p);
      if (!seen || seen.text !== text) mtimes.set(p, (seen = { text, mtimeMs: Date.now() }));
      return { isDirectory: false, size: Buffer.byteLength(text), mtimeMs: seen.mtimeMs };
    },
  };
}
