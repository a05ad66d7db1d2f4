// Secret: NAME TYPE DATA AGE.
import type { KubeObject } from '../contracts.ts';
import { age } from './age.ts';
import { ageColumn, col, nameColumn } from './columns.ts';
import { doc } from './descriptions.ts';
import type { KindPrinter } from './types.ts';

type SecretLike = KubeObject & { type?: string; data?: Record<string, string> };

export const secretPrinter: KindPrinter = {
  columns: [nameColumn, col('Type', 'string', doc.secretType), col('Data', 'string', doc.secretData), ageColumn],
  cells(obj, now) {
    const s = obj as SecretLike;
    return [s.metadata.name, s.type ?? 'Opaque', Object.keys(s.data ?? {}).length, age(s.metadata.creationTimestamp, now)];
  },
};
