export function cliBundle(): Promise<string | undefined>;
