// Namespace: NAME STATUS AGE.
import type { KubeObject } from '../contracts.ts';
import { age } from './age.ts';
import { ageColumn, col, nameColumn } from './columns.ts';
import type { KindPrinter } from './types.ts';

export const namespacePrinter: KindPrinter = {
  columns: [nameColumn, col('Status', 'string', 'The status of the namespace'), ageColumn],
  cells(obj, now) {
    const phase = (obj as KubeObject & { status?: { phase?: string } }).status?.phase ?? '';
    return [obj.metadata.name, phase, age(obj.metadata.creationTimestamp, now)];
  },
};
