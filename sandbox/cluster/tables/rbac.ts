// RBAC kinds. Roles and ClusterRoles have no printer in the real API server, so they get the
// generic TableConvertor's NAME / CREATED AT (an RFC 3339 time, not an age). Bindings print
// ROLE AGE | USERS GROUPS SERVICEACCOUNTS.
import type { KubeObject } from '../contracts.ts';
import { age } from './age.ts';
import { ageColumn, col, createdAtColumn, nameColumn } from './columns.ts';
import { doc } from './descriptions.ts';
import type { KindPrinter } from './types.ts';

interface BindingLike extends KubeObject {
  roleRef?: { kind?: string; name?: string };
  subjects?: Array<{ kind?: string; name?: string; namespace?: string }>;
}

/** RFC 3339 in UTC to the second, as Go's time.RFC3339 prints it */
export function rfc3339(ts: string | undefined): string {
  if (!ts) return '';
  const t = Date.parse(ts);
  return Number.isNaN(t) ? '' : new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const rolePrinter: KindPrinter = {
  columns: [nameColumn, createdAtColumn],
  cells(obj) {
    return [obj.metadata.name, rfc3339(obj.metadata.creationTimestamp)];
  },
};

function subjects(b: BindingLike): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of b.subjects ?? []) {
    if (s.kind === 'User') users.push(s.name ?? '');
    else if (s.kind === 'Group') groups.push(s.name ?? '');
    else if (s.kind === 'ServiceAccount') sas.push(`${s.namespace ?? ''}:${s.name ?? ''}`);
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

function bindingPrinter(scope: 'roleBinding' | 'clusterRoleBinding'): KindPrinter {
  return {
    columns: [
      nameColumn,
      col('Role', 'string', scope === 'roleBinding' ? doc.rbRoleRef : doc.crbRoleRef),
      ageColumn,
      col('Users', 'string', `Users in the ${scope}`, 1),
      col('Groups', 'string', `Groups in the ${scope}`, 1),
      col('ServiceAccounts', 'string', `ServiceAccounts in the ${scope}`, 1),
    ],
    cells(obj, now) {
      const b = obj as BindingLike;
      return [b.metadata.name, `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`, age(b.metadata.creationTimestamp, now), ...subjects(b)];
    },
  };
}

export const roleBindingPrinter = bindingPrinter('roleBinding');
export const clusterRoleBindingPrinter = bindingPrinter('clusterRoleBinding');
