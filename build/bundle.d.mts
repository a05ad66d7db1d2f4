export class BundleError extends Error {
  readonly code: 'LAB_ERR_BUNDLE';
  constructor(what: string, root: string, cause: unknown);
}
export function cliBundle(): Promise<string | undefined>;
export function dnsServerBundle(): Promise<string>;
export const ownImportMeta: import('esbuild').Plugin;
export function externalPackages(): Promise<string[]>;
export const REQUIRE_BANNER: string;
