export function sourceStamp(paths: string[]): string;
export function cachedBundle(o: {
  root: string;
  sources: string[];
  entry: string;
  build: (outdir: string) => Promise<void>;
}): Promise<string>;
