// What every check kind gets, and the result constructors they share.
import type { CheckKind, CheckResult, CheckSpec } from '../schema.ts';
import type { Cluster } from '../cluster.ts';

export interface CheckEnv {
  cluster: Cluster;
  kubeconfig: string;
  signal?: AbortSignal;
}

export type CheckFn<K extends CheckKind> = (spec: Extract<CheckSpec, { kind: K }>, env: CheckEnv) => Promise<CheckResult>;

export const pass = (expected: string, actual: string): CheckResult => ({ status: 'pass', expected, actual });
export const fail = (expected: string, actual: string, hint: string): CheckResult => ({ status: 'fail', expected, actual, hint });
export const error = (expected: string, actual: string, hint: string): CheckResult => ({ status: 'error', expected, actual, hint });

/** "a, b and c" */
export function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
