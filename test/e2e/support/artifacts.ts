// Where the end-to-end tests keep what a person may want to look at afterwards (screenshots):
// test-results/e2e/ at the repository root, ignored by git.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../../../test-results/e2e/', import.meta.url));

export function artifactPath(name: string): string {
  mkdirSync(DIR, { recursive: true });
  return join(DIR, name);
}
