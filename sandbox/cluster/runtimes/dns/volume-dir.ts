// A DNS container's mounted ConfigMap files, written to a real directory, because the DNS server
// reads its Corefile from disk and its reload plugin re-reads it when the learner edits the
// ConfigMap. Kept in sync from the store; removed when the container ends.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import type { ClusterStore } from '../../contracts.ts';
import type { PodFiles } from '../pod-files.ts';

export class VolumeDir {
  readonly root: string;
  #unwatch: () => void;

  /** transform: what the runtime changes in a file on its way to disk (upstream address) */
  constructor(files: PodFiles, store: ClusterStore, namespace: string, private readonly transform: (path: string, text: string) => string, parent?: string) {
    if (parent) mkdirSync(parent, { recursive: true });
    this.root = mkdtempSync(join(parent ?? tmpdir(), 'coredns-lab-volume-'));
    const sync = () => {
      for (const [path, text] of files.mountedFiles()) {
        const host = this.hostPath(path);
        const next = this.transform(path, text);
        if (existsSync(host) && readFileSync(host, 'utf8') === next) continue;
        // mounted files may be Secrets: only this user reads them, as the kubelet's 0600/0700 volumes
        mkdirSync(dirname(host), { recursive: true, mode: 0o700 });
        writeFileSync(host, next, { mode: 0o600 });
      }
    };
    sync();
    this.#unwatch = store.watch('configmaps', { namespace }, () => { try { sync(); } catch { /* the dir is gone: the container is ending */ } });
  }

  /** where a path inside the container lives on the host */
  hostPath(containerPath: string): string {
    return join(this.root, containerPath);
  }

  /** the container's view of a message that mentions host paths */
  containerView(text: string): string {
    return text.split(this.root).join('');
  }

  remove(): void {
    this.#unwatch();
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** forward/proxy lines that name /etc/resolv.conf get the node resolver's address instead */
export function pointUpstream(corefile: string, upstream: string): string {
  return corefile.replace(/^(\s*(?:forward|proxy)\s+\S+\s+)([^{\n]*)/gm, (_m, head: string, targets: string) =>
    head + targets.replace(/(^|\s)\/etc\/resolv\.conf(?=\s|$)/g, `$1${upstream}`));
}
