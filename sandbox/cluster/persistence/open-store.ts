// createStore: the store, loaded from and journaled to a state dir (or in memory without one),
// with the namespaces every cluster has.
import { join } from 'node:path';
import { MemoryStore, type StoreOptions } from '../store.ts';
import { FileJournal, loadState, wipeState } from './journal.ts';
import { admitQuota } from '../resources/quota.ts';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export interface CreateStoreOptions extends Omit<StoreOptions, 'journal'> {
  /** keep state in <stateDir>/cluster; without it the store lives in memory only */
  stateDir?: string;
  /** fold the log into a snapshot after this many writes (default 2000) */
  compactEvery?: number;
}

export class PersistentStore extends MemoryStore {
  private fileJournal?: FileJournal;
  private readonly dir?: string;

  constructor(opts: CreateStoreOptions) {
    super(opts);
    if (opts.stateDir) {
      this.dir = join(opts.stateDir, 'cluster');
      const { snapshot, records } = loadState(this.dir);
      this.load(snapshot.objects, snapshot.rv);
      for (const r of records) this.replay(r);
      this.fileJournal = new FileJournal(this.dir, { compactEvery: opts.compactEvery, dump: () => this.dump() });
      this.journal = this.fileJournal;
    }
    this.ensureSystemNamespaces();
  }

  /** resolves when every acknowledged write is on stable storage */
  flush(): Promise<void> {
    return this.fileJournal?.flush() ?? Promise.resolve();
  }

  /** write a snapshot now (also done automatically as the log grows) */
  compact(): void {
    this.fileJournal?.compact();
  }

  /** back to an empty cluster with only the system namespaces; the caller seeds the rest */
  reset(): void {
    this.wipe();
    this.ensureSystemNamespaces();
    this.fileJournal?.compact();
  }

  /** true when nothing but the system namespaces exists (a fresh state dir) */
  isPristine(): boolean {
    const d = this.dump().objects;
    return d.every((o) => o.resource === 'namespaces' && SYSTEM_NAMESPACES.includes(o.obj.metadata.name!));
  }

  override async close(): Promise<void> {
    super.close();
    await this.fileJournal?.close();
  }

  private ensureSystemNamespaces(): void {
    for (const name of SYSTEM_NAMESPACES)
      if (!this.get('namespaces', undefined, name)) this.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { fieldManager: 'kube-apiserver' });
  }
}

/** wipe a state dir's cluster state without starting a store (sandbox reset while stopped) */
export function wipeClusterState(stateDir: string): void {
  wipeState(join(stateDir, 'cluster'));
}

/** the cluster's store: its state dir (if any) and the apiserver's cross-resource admission (ResourceQuota) */
export async function createStore(opts: CreateStoreOptions = {}): Promise<PersistentStore> {
  return new PersistentStore({ admission: [admitQuota], ...opts });
}
