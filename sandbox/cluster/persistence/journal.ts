// The cluster's state on disk: a snapshot plus a write-ahead log of every change after it.
// Each change is appended with one write() before the store makes it visible, so a crash of
// the process (kill -9) loses nothing acknowledged: the bytes are in the kernel already.
// flush() adds an fdatasync, shared by every write since the last one, for power loss;
// the HTTP layer awaits it before answering a write. When the log grows, it is folded into a
// new snapshot (temp file, fsync, rename, fsync dir) and truncated.
import { closeSync, existsSync, fdatasync, fsyncSync, ftruncateSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { makePrivateDir, openPrivateFile, writePrivateFile } from '../../private-state.ts';
import type { KubeObject } from '../contracts.ts';
import type { Journal, JournalRecord } from '../store.ts';

export interface Snapshot {
  rv: number;
  objects: Array<{ resource: string; obj: KubeObject }>;
}

export interface LoadedState {
  snapshot: Snapshot;
  records: JournalRecord[];
}

export class JournalError extends Error {
  readonly code = 'LAB_ERR_STATE_CORRUPT' as const;
  override readonly name = 'JournalError';
}

export const SNAPSHOT_FILE = 'snapshot.json';
export const WAL_FILE = 'wal.log';

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some file systems do not allow fsync on a directory; the rename is still atomic
  }
}

/** read the snapshot and the log; a torn last line (crash mid-append) is dropped and cut off */
export function loadState(dir: string): LoadedState {
  makePrivateDir(dir);
  let snapshot: Snapshot = { rv: 0, objects: [] };
  const snapPath = join(dir, SNAPSHOT_FILE);
  if (existsSync(snapPath)) {
    try {
      snapshot = JSON.parse(readFileSync(snapPath, 'utf8')) as Snapshot;
    } catch (e) {
      throw new JournalError(`the cluster state in ${snapPath} is unreadable (${(e as Error).message}); run \`coredns-lab sandbox reset\` to start over`);
    }
  }
  const records: JournalRecord[] = [];
  const walPath = join(dir, WAL_FILE);
  if (existsSync(walPath)) {
    const buf = readFileSync(walPath);
    let start = 0;
    let goodEnd = 0;
    while (start < buf.length) {
      const nl = buf.indexOf(10, start);
      if (nl < 0) break;
      const line = buf.subarray(start, nl).toString('utf8');
      try {
        const rec = JSON.parse(line) as JournalRecord;
        if (rec.rv > snapshot.rv) records.push(rec);
      } catch {
        break;
      }
      start = nl + 1;
      goodEnd = start;
    }
    if (goodEnd < buf.length) {
      const fd = openSync(walPath, 'r+');
      try {
        ftruncateSync(fd, goodEnd);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  }
  return { snapshot, records };
}

export interface FileJournalOptions {
  /** fold the log into a snapshot after this many records */
  compactEvery?: number;
  /** what to snapshot when compacting */
  dump: () => Snapshot;
}

export class FileJournal implements Journal {
  private fd: number;
  private count = 0;
  private syncing?: Promise<void>;
  private dirty = false;
  private readonly compactEvery: number;
  private closed = false;

  constructor(private readonly dir: string, private readonly opts: FileJournalOptions) {
    makePrivateDir(dir);
    // the log holds Secrets: 0600 whatever the umask, and an older 0644 one is tightened
    this.fd = openPrivateFile(join(dir, WAL_FILE), 'a');
    this.compactEvery = opts.compactEvery ?? 2000;
  }

  append(rec: JournalRecord): void {
    if (this.closed) throw new JournalError('the cluster state is closed; this write would be lost');
    const line = Buffer.from(`${JSON.stringify(rec)}\n`);
    let off = 0;
    while (off < line.length) off += writeSync(this.fd, line, off);
    this.dirty = true;
    if (++this.count >= this.compactEvery) queueMicrotask(() => this.compactIfDue());
  }

  private compactIfDue(): void {
    if (!this.closed && this.count >= this.compactEvery) this.compact();
  }

  /** resolves once every record appended so far is on stable storage */
  flush(): Promise<void> {
    if (this.closed || !this.dirty) return this.syncing ?? Promise.resolve();
    if (this.syncing) return this.syncing.then(() => this.flush());
    this.dirty = false;
    const fd = this.fd;
    this.syncing = new Promise<void>((resolve) => fdatasync(fd, () => resolve())).finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  /** write the whole state as a snapshot and start an empty log */
  compact(): void {
    const snap = this.opts.dump();
    const tmp = join(this.dir, `${SNAPSHOT_FILE}.tmp`);
    writePrivateFile(tmp, JSON.stringify(snap));
    const fd = openSync(tmp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, join(this.dir, SNAPSHOT_FILE));
    fsyncDir(this.dir);
    ftruncateSync(this.fd, 0);
    fsyncSync(this.fd);
    this.count = 0;
    this.dirty = false;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.compact();
    this.closed = true;
    closeSync(this.fd);
  }
}

/** remove the state (reset): an empty snapshot and log */
export function wipeState(dir: string): void {
  makePrivateDir(dir);
  writePrivateFile(join(dir, `${SNAPSHOT_FILE}.tmp`), JSON.stringify({ rv: 0, objects: [] }));
  renameSync(join(dir, `${SNAPSHOT_FILE}.tmp`), join(dir, SNAPSHOT_FILE));
  writePrivateFile(join(dir, WAL_FILE), '');
  fsyncDir(dir);
}
