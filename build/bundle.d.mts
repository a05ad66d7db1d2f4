export class BundleError extends Error {
  readonly code: 'LAB_ERR_BUNDLE';
  constructor(what: string, root: string, cause: unknown);
}
export function cliBundle(): Promise<string | undefined>;
export function dnsServerBundle(): Promise<string>;
export function ownSourcesOptions(): Promise<import('esbuild').BuildOptions>;
