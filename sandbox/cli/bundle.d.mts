export function cliBundle(): Promise<string | undefined>;
export function dnsServerBundle(): Promise<string>;
