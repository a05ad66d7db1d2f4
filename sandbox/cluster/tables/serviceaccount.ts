// ServiceAccount: NAME SECRETS AGE.
import type { KubeObject } from '../contracts.ts';
import { age } from './age.ts';
import { ageColumn, col, nameColumn } from './columns.ts';
import { doc } from './descriptions.ts';
import type { KindPrinter } from './types.ts';

export const serviceAccountPrinter: KindPrinter = {
  columns: [nameColumn, col('Secrets', 'string', doc.saSecrets), ageColumn],
  cells(obj, now) {
    const secrets = (obj as KubeObject & { secrets?: unknown[] }).secrets ?? [];
    return [obj.metadata.name, secrets.length, age(obj.metadata.creationTimestamp, now)];
  },
};
