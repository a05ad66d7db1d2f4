// The meta.k8s.io/v1 Table shapes, and what one kind's printer provides.
import type { KubeObject } from '../contracts.ts';

export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  /** 0 = always shown; 1 = only with `kubectl get -o wide` */
  priority: number;
}

export interface TableRowCondition {
  type: 'Completed';
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

export interface TableRow {
  cells: unknown[];
  conditions?: TableRowCondition[];
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumn[];
  rows: TableRow[];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  now: Date;
  /** what row.object carries; the API default is Metadata (PartialObjectMetadata) */
  includeObject: IncludeObject;
  /** the list's metadata (resourceVersion, continue) to carry into the Table */
  listMeta?: Table['metadata'];
}

/**
 * One kind's server-side printer. Like the real API server, cells always include the
 * priority-1 (wide) columns; kubectl hides those unless `-o wide`.
 */
export interface KindPrinter {
  columns: TableColumn[];
  cells(obj: KubeObject, now: Date): unknown[];
  conditions?(obj: KubeObject): TableRowCondition[] | undefined;
}
