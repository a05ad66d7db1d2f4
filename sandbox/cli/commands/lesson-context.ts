// What check and solve share: which cluster to talk to, and how their errors are printed.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../args.ts';

/** the kubeconfig of the sandbox on stateDir, or the one given with --kubeconfig */
export async function labContext(stateDir: string, kubeconfig: string | undefined): Promise<{ kubeconfig: string }> {
  const path = kubeconfig !== undefined ? resolve(kubeconfig) : join(stateDir, 'kubeconfig');
  if (!existsSync(path)) {
    throw new UsageError(
      kubeconfig !== undefined
        ? `--kubeconfig ${path}: no such file`
        : `no sandbox in ${stateDir} (no kubeconfig there). Start one with "npm run lab -- sandbox up" (or "npm start"), or pass --state-dir or --kubeconfig`,
    );
  }
  return { kubeconfig: path };
}

/** LessonError and SolveError carry a LAB_ERR_ code and a message that names the fix: print it, exit 1 */
export function printLessonError(err: unknown, command: string): number {
  const code = (err as { code?: unknown }).code;
  if (err instanceof UsageError) throw err;
  if (err instanceof Error && typeof code === 'string' && code.startsWith('LAB_ERR_')) {
    process.stderr.write(`coredns-lab ${command}: ${err.message}\n`);
    return 1;
  }
  throw err;
}

/** a lesson/step address that names nothing is a usage error (exit 2), with the names that exist */
export function stepOrUsage<C, R>(find: (chapter: C, address: string) => R, chapter: C, address: string): R {
  try {
    return find(chapter, address);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
