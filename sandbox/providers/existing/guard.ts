// Which kubeconfig contexts the existing provider may change. It replaces kube-system's DNS
// objects, so two things must both hold and neither can stand in for the other: the learner
// said so (--i-understand-this-changes-kube-system), and the context is one that local
// throwaway-cluster tools name (kind, minikube, Docker Desktop, k3d, Rancher Desktop) or one the
// learner listed, by exact name, in their allow-list file.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** the context names kind, minikube (its default profile), Docker Desktop, k3d and Rancher Desktop give their clusters */
const DISPOSABLE: RegExp[] = [/^kind-.+/, /^minikube$/, /^docker-desktop$/, /^k3d-.+/, /^rancher-desktop$/];

export function looksDisposable(context: string): boolean {
  return DISPOSABLE.some((re) => re.test(context));
}

/** $XDG_CONFIG_HOME/coredns-lab/allowed-contexts, else ~/.config/coredns-lab/allowed-contexts */
export function allowListFile(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(env.HOME || homedir(), '.config');
  return join(base, 'coredns-lab', 'allowed-contexts');
}

/** one context name a line, exact; blank lines and lines starting with # are ignored; no file, no names */
export function readAllowList(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

export type GuardVerdict =
  | { ok: true; because: 'disposable name' | 'allow-list' }
  | { ok: false; refused: 'context' | 'consent' };

/**
 * The name is judged first: a production-looking context is refused whatever flag is given, so
 * adding the flag after a refusal never helps. A throwaway-looking one still needs the flag.
 */
export function judgeContext(context: string, opts: { consent: boolean; allowList: string[] }): GuardVerdict {
  const listed = opts.allowList.includes(context);
  if (!looksDisposable(context) && !listed) return { ok: false, refused: 'context' };
  if (!opts.consent) return { ok: false, refused: 'consent' };
  return { ok: true, because: listed && !looksDisposable(context) ? 'allow-list' : 'disposable name' };
}

/** the flag, without its dashes: long on purpose, so that nobody types it by accident */
export const CONSENT_FLAG = 'i-understand-this-changes-kube-system';
