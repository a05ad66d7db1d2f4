// ConfigMap: NAME DATA AGE (DATA counts data and binaryData keys).
import type { KubeObject } from '../contracts.ts';
import { age } from './age.ts';
import { ageColumn, col, nameColumn } from './columns.ts';
import { doc } from './descriptions.ts';
import type { KindPrinter } from './types.ts';

type ConfigMapLike = KubeObject & { data?: Record<string, string>; binaryData?: Record<string, string> };

export const configMapPrinter: KindPrinter = {
  columns: [nameColumn, col('Data', 'string', doc.cmData), ageColumn],
  cells(obj, now) {
    const cm = obj as ConfigMapLike;
    return [
      cm.metadata.name,
      Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length,
      age(cm.metadata.creationTimestamp, now),
    ];
  },
};
