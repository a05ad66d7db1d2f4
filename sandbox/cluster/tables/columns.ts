// Column definitions every kind repeats: NAME first, AGE, and a plain string column.
import { doc } from './descriptions.ts';
import type { TableColumn } from './types.ts';

export const nameColumn: TableColumn = { name: 'Name', type: 'string', format: 'name', description: doc.name, priority: 0 };
export const ageColumn: TableColumn = { name: 'Age', type: 'string', format: '', description: doc.creationTimestamp, priority: 0 };

export function col(name: string, type: 'string' | 'integer' | 'date' | 'boolean', description: string, priority = 0): TableColumn {
  return { name, type, format: '', description, priority };
}

/** the generic TableConvertor's columns, for kinds the real server has no printer for (roles) */
export const createdAtColumn: TableColumn = { name: 'Created At', type: 'date', format: '', description: doc.creationTimestamp, priority: 0 };
