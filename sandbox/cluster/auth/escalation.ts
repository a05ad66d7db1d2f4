// RBAC's privilege-escalation check on writes of roles and bindings (pkg/registry/rbac/*/
// policybased and rbac/validation): a user may only write a role whose rules it holds itself,
// and only bind a role whose rules it holds, unless it may `escalate` the role or `bind` it.
// system:masters skips the check. Refusals are worded as the apiserver words them.
import type { KubeObject } from '../contracts.ts';
import { notFound, StatusError } from '../errors.ts';
import { PRIVILEGED_GROUP, type RoleRef } from './rbac.ts';
import type { ReviewContext } from './review.ts';
import type { PolicyRule } from './rules.ts';

const GROUP = 'rbac.authorization.k8s.io';

/** one rule per group, resource, verb (and name), then per URL and verb, as BreakdownRule */
export function breakdownRule(r: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const g of r.apiGroups ?? [])
    for (const res of r.resources ?? [])
      for (const verb of r.verbs ?? []) {
        if (r.resourceNames?.length)
          for (const n of r.resourceNames) out.push({ apiGroups: [g], resources: [res], verbs: [verb], resourceNames: [n] });
        else out.push({ apiGroups: [g], resources: [res], verbs: [verb] });
      }
  for (const u of r.nonResourceURLs ?? []) for (const verb of r.verbs ?? []) out.push({ nonResourceURLs: [u], verbs: [verb] });
  return out;
}

const has = (set: string[] | undefined, v: string) => (set ?? []).includes(v);
const hasAll = (set: string[] | undefined, vs: string[] | undefined) => (vs ?? []).every((v) => has(set, v));

function resourceCoversAll(set: string[] | undefined, covers: string[] | undefined): boolean {
  if (has(set, '*') || hasAll(set, covers)) return true;
  for (const path of covers ?? []) {
    if (has(set, path)) continue;
    const slash = path.indexOf('/');
    if (slash < 0 || !has(set, `*/${path.slice(slash + 1)}`)) return false;
  }
  return true;
}

const urlCovers = (owner: string, sub: string) => owner === sub || (owner.endsWith('*') && sub.startsWith(owner.replace(/\*+$/, '')));

function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const verbs = has(owner.verbs, '*') || hasAll(owner.verbs, sub.verbs);
  const groups = has(owner.apiGroups, '*') || hasAll(owner.apiGroups, sub.apiGroups);
  const urls = (sub.nonResourceURLs ?? []).every((u) => (owner.nonResourceURLs ?? []).some((o) => urlCovers(o, u)));
  const names = !sub.resourceNames?.length
    ? !owner.resourceNames?.length
    : !owner.resourceNames?.length || hasAll(owner.resourceNames, sub.resourceNames);
  return verbs && groups && resourceCoversAll(owner.resources, sub.resources) && urls && names;
}

/** the broken-down rules of `wanted` that none of `owner` covers */
export function uncovered(owner: PolicyRule[], wanted: PolicyRule[]): PolicyRule[] {
  return wanted.flatMap(breakdownRule).filter((sub) => !owner.some((o) => ruleCovers(o, sub)));
}

/** rules of one group and resource (and at most one name) that differ only by verb, merged, as CompactRules */
function compactRules(rules: PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const r of rules) {
    const isSimple =
      !r.nonResourceURLs?.length && (r.resourceNames?.length ?? 0) <= 1 && r.apiGroups?.length === 1 && r.resources?.length === 1;
    if (!isSimple) {
      out.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups, r.resources, r.resourceNames ?? []]);
    const have = simple.get(key);
    if (!have) simple.set(key, { ...r, verbs: [...r.verbs] });
    else for (const v of r.verbs) if (!have.verbs.includes(v)) have.verbs.push(v);
  }
  return out.concat([...simple.values()]);
}

const goQuoted = (list: string[]) => `[${list.map((x) => JSON.stringify(x)).join(' ')}]`;

/** `{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}`, as rbac's CompactString */
export function compactString(r: PolicyRule): string {
  const parts: string[] = [];
  if (r.apiGroups?.length) parts.push(`APIGroups:${goQuoted(r.apiGroups)}`);
  if (r.resources?.length) parts.push(`Resources:${goQuoted(r.resources)}`);
  if (r.nonResourceURLs?.length) parts.push(`NonResourceURLs:${goQuoted(r.nonResourceURLs)}`);
  if (r.resourceNames?.length) parts.push(`ResourceNames:${goQuoted(r.resourceNames)}`);
  if (r.verbs?.length) parts.push(`Verbs:${goQuoted(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}

function forbidden(resource: string, name: string, message: string): StatusError {
  return new StatusError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 403, reason: 'Forbidden',
    message: `${resource}.${GROUP} ${JSON.stringify(name)} is forbidden: ${message}`,
    details: { name, group: GROUP, kind: resource },
  });
}

function confirmNoEscalation(review: ReviewContext, namespace: string, wanted: PolicyRule[]): string | undefined {
  const owner = review.rules!.owner(namespace);
  const missing = uncovered(owner.rules, wanted);
  if (missing.length === 0) return undefined;
  const lines = [...new Set(compactRules(missing).map(compactString))].sort();
  let msg = `user ${JSON.stringify(review.user.username)} (groups=${goQuoted(review.user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
  if (owner.errors.length) msg += `; resolution errors: [${owner.errors.join(' ')}]`;
  return msg;
}

function rulesOf(o: KubeObject): PolicyRule[] {
  const r = (o as { rules?: unknown }).rules;
  return Array.isArray(r) ? (r as PolicyRule[]) : [];
}

/**
 * Throws the apiserver's 403 when a Role or ClusterRole write grants more than its writer holds.
 * An aggregationRule can gather anything, so setting one needs every permission.
 */
export function admitRoleWrite(resource: 'roles' | 'clusterroles', obj: KubeObject, review: ReviewContext | undefined): void {
  if (!review?.rules || review.user.groups.includes(PRIVILEGED_GROUP)) return;
  const namespace = obj.metadata.namespace ?? '';
  const name = obj.metadata.name ?? '';
  const escalate = review.authorize({
    user: review.user, verb: 'escalate', resourceRequest: true, path: '', apiGroup: GROUP, apiVersion: '*', resource, subresource: '', namespace, name,
  });
  if (escalate.allowed) return;
  const why = confirmNoEscalation(review, namespace, rulesOf(obj));
  if (why) throw forbidden(resource, name, why);
  if (resource === 'clusterroles' && (obj as { aggregationRule?: unknown }).aggregationRule && confirmNoEscalation(review, namespace, [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] }]))
    throw forbidden(resource, name, 'must have cluster-admin privileges to use the aggregationRule');
}

/** Throws the apiserver's 403 when a binding's writer may not `bind` its role and does not hold the role's rules. */
export function admitBindingWrite(resource: 'rolebindings' | 'clusterrolebindings', obj: KubeObject, review: ReviewContext | undefined): void {
  if (!review?.rules || review.user.groups.includes(PRIVILEGED_GROUP)) return;
  const namespace = obj.metadata.namespace ?? '';
  const name = obj.metadata.name ?? '';
  const ref = (obj as { roleRef?: RoleRef }).roleRef;
  if (!ref) return; // validation reports it
  const bind = review.authorize({
    user: review.user, verb: 'bind', resourceRequest: true, path: '', apiGroup: GROUP, apiVersion: '*',
    resource: ref.kind === 'ClusterRole' ? 'clusterroles' : 'roles', subresource: '', namespace, name: ref.name,
  });
  if (bind.allowed) return;
  const rules = review.rules.roleRef(ref, namespace);
  // the apiserver answers the role lookup's own NotFound here
  if ('error' in rules) throw notFound({ group: GROUP, resource: ref.kind === 'ClusterRole' ? 'clusterrole' : 'role' }, ref.name);
  const why = confirmNoEscalation(review, namespace, rules.rules);
  if (why) throw forbidden(resource, name, why);
}
