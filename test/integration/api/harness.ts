// Starts the embedded API (store + HTTP) on a random port with a temp state dir, and runs the
// real kubectl against it with its own kubeconfig and cache dir.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessControl } from '../../../sandbox/cluster/auth/access.ts';
import type { PodRuntimeHost } from '../../../sandbox/cluster/contracts.ts';
import { createStore, kubeconfigFor, startApiServer, type ApiServer, type PersistentStore } from '../../../sandbox/cluster/index.ts';

export interface Lab {
  dir: string;
  store: PersistentStore;
  api: ApiServer;
  kubeconfig: string;
  kubectl(args: string[], opts?: { input?: string; env?: Record<string, string> }): Promise<{ code: number; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

export interface LabOptions {
  runtime?: PodRuntimeHost;
  historySize?: number;
  bookmarkEveryMs?: number;
  /** an authenticator and authorizer for the API, built over the lab's store */
  access?: (store: PersistentStore) => AccessControl;
}

export async function startLab(opts: LabOptions = {}): Promise<Lab> {
  const dir = mkdtempSync(join(tmpdir(), 'lab-api-'));
  const store = await createStore({ stateDir: join(dir, 'state'), historySize: opts.historySize });
  const api = await startApiServer({ store, runtime: opts.runtime, bookmarkEveryMs: opts.bookmarkEveryMs, ...opts.access?.(store) });
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigFor(api.url));
  const kubectl: Lab['kubectl'] = (args, o = {}) =>
    new Promise((resolve) => {
      const child = execFile(
        'kubectl', args,
        { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dir, 'cache'), ...o.env }, timeout: 30_000 },
        (err, stdout, stderr) => resolve({ code: err ? (typeof (err as any).code === 'number' ? (err as any).code : 1) : 0, stdout, stderr }),
      );
      if (o.input !== undefined) child.stdin?.end(o.input);
      else child.stdin?.end();
    });
  return {
    dir, store, api, kubeconfig, kubectl,
    close: async () => {
      await api.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
