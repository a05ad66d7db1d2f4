// Picks a cluster provider by name: embedded, kind, minikube or existing.
import { embeddedProvider } from './embedded/index.ts';
import { existingProvider } from './existing/index.ts';
import { kindProvider } from './kind/index.ts';
import { minikubeProvider } from './minikube/index.ts';
import type { Provider, ProviderName } from './types.ts';

export const PROVIDER_NAMES: ProviderName[] = ['embedded', 'kind', 'minikube', 'existing'];

export class ProviderUnavailableError extends Error {
  readonly code = 'LAB_ERR_PROVIDER_UNAVAILABLE';
  constructor(readonly provider: string) {
    super(`provider "${provider}" is not yet available in this version; use --provider embedded (the default), which needs nothing but Node`);
    this.name = 'ProviderUnavailableError';
  }
}

export class UnknownProviderError extends Error {
  readonly code = 'LAB_ERR_UNKNOWN_PROVIDER';
  constructor(readonly provider: string) {
    super(`unknown provider "${provider}"; choose one of ${PROVIDER_NAMES.join(', ')}`);
    this.name = 'UnknownProviderError';
  }
}

export function isProviderName(name: string): name is ProviderName {
  return (PROVIDER_NAMES as string[]).includes(name);
}

export function getProvider(name: string): Provider {
  if (!isProviderName(name)) throw new UnknownProviderError(name);
  if (name === 'embedded') return embeddedProvider;
  if (name === 'kind') return kindProvider;
  if (name === 'minikube') return minikubeProvider;
  if (name === 'existing') return existingProvider;
  throw new ProviderUnavailableError(name);
}

export type { Provider, ProviderName, SandboxHandle, SandboxStatus, UpOptions } from './types.ts';
