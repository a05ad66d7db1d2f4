// Everything the API needs to authenticate, in one place: the PKI, the admin token and the
// ServiceAccount token signer, from a state dir (kept across restarts) or in memory.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterStore } from '../contracts.ts';
import { loadOrCreatePki, createMemoryPki, type Pki } from './pki.ts';
import { ADMIN_TOKEN_FILE, loadOrCreateAdminToken, randomToken, serviceAccountTokens, tokenAuthenticator, type ServiceAccountTokens } from './tokens.ts';
import type { Authenticator } from './types.ts';

export interface ApiCredentials {
  pki: Pki;
  /** the learner's (admin's) bearer token */
  adminToken: string;
  serviceAccounts: ServiceAccountTokens;
}

export async function stateDirCredentials(stateDir: string): Promise<ApiCredentials> {
  const pki = await loadOrCreatePki(stateDir);
  return { pki, adminToken: loadOrCreateAdminToken(stateDir), serviceAccounts: serviceAccountTokens(pki.serviceAccountKey) };
}

/** credentials that live and die with the process (tests, benches) */
export async function memoryCredentials(): Promise<ApiCredentials> {
  const pki = await createMemoryPki();
  return { pki, adminToken: randomToken(), serviceAccounts: serviceAccountTokens(pki.serviceAccountKey) };
}

/** the API server options that make it authenticate with these credentials: HTTPS and the token authenticator */
export function secureApiOptions(creds: ApiCredentials, store: Pick<ClusterStore, 'get'>): { authenticator: Authenticator; tls: { cert: string; key: string } } {
  return {
    authenticator: tokenAuthenticator({ adminToken: creds.adminToken, serviceAccounts: creds.serviceAccounts, store }),
    tls: creds.pki.serving,
  };
}

/** what a client on this machine presents to the state dir's API (`sandbox status`): its CA and the admin token; {} when absent */
export function stateDirClientCredentials(stateDir: string): { ca?: string; token?: string } {
  const read = (p: string) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  };
  return { ca: read(join(stateDir, 'pki', 'ca.crt')), token: read(join(stateDir, ADMIN_TOKEN_FILE))?.trim() };
}
