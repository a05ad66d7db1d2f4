// Lease: NAME HOLDER AGE.
import type { KubeObject } from '../contracts.ts';
import { age } from './age.ts';
import { ageColumn, col, nameColumn } from './columns.ts';
import { doc } from './descriptions.ts';
import type { KindPrinter } from './types.ts';

export const leasePrinter: KindPrinter = {
  columns: [nameColumn, col('Holder', 'string', doc.holderIdentity), ageColumn],
  cells(obj, now) {
    const holder = (obj as KubeObject & { spec?: { holderIdentity?: string } }).spec?.holderIdentity ?? '';
    return [obj.metadata.name, holder, age(obj.metadata.creationTimestamp, now)];
  },
};
