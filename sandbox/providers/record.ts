// What a provider's `up` leaves in the state dir for the commands that come after it without a
// running owner (`sandbox status`, `reset`, `down`, `check`): which provider made the cluster,
// its name and kubeconfig context, and the profile the embedded cluster plays.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { makePrivateDir, writePrivateFile } from '../private-state.ts';
import type { ClusterProfile, ProviderName } from './types.ts';

export const PROVIDER_RECORD = 'provider.json';

export interface ProviderRecord {
  provider: ProviderName;
  /** the kubeconfig context in <stateDir>/kubeconfig */
  context: string;
  /** kind's cluster or minikube's profile the lab created */
  cluster?: string;
  /** embedded: the profile it plays */
  profile?: ClusterProfile;
  /** the cluster's DNS Service IP and CIDRs, as read when it was prepared */
  dnsIP?: string;
}

export function writeProviderRecord(stateDir: string, record: ProviderRecord): void {
  makePrivateDir(stateDir);
  writePrivateFile(join(stateDir, PROVIDER_RECORD), JSON.stringify(record, null, 2) + '\n');
}

export function readProviderRecord(stateDir: string): ProviderRecord | undefined {
  try {
    const r = JSON.parse(readFileSync(join(stateDir, PROVIDER_RECORD), 'utf8')) as ProviderRecord;
    return typeof r.provider === 'string' ? r : undefined;
  } catch {
    return undefined;
  }
}

export function forgetProviderRecord(stateDir: string): void {
  rmSync(join(stateDir, PROVIDER_RECORD), { force: true });
}
