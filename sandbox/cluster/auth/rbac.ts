// The RBAC authorizer (plugin/pkg/auth/authorizer/rbac): a request is allowed when a
// ClusterRoleBinding, or a RoleBinding in the request's namespace, binds the user (by name,
// group or ServiceAccount) to a role with a rule that matches. Nothing denies; a request no rule
// allows is refused. Bindings are indexed by subject and rebuilt only after one of the four RBAC
// resources changes, so a request costs a few map lookups and the rules of its own bindings.
import type { ClusterStore, KubeObject } from '../contracts.ts';
import { selectorMatches, type LabelSelectorObject } from '../resources/label-selector.ts';
import { ruleAllows, type PolicyRule } from './rules.ts';
import type { Authorizer, Decision, RequestAttributes, UserInfo } from './types.ts';

const GROUP = 'rbac.authorization.k8s.io';
export const RBAC_RESOURCES = {
  roles: `roles.${GROUP}`,
  clusterroles: `clusterroles.${GROUP}`,
  rolebindings: `rolebindings.${GROUP}`,
  clusterrolebindings: `clusterrolebindings.${GROUP}`,
} as const;

/** kube-apiserver allows this group before any authorizer runs (authorizerfactory.NewPrivilegedGroups) */
export const PRIVILEGED_GROUP = 'system:masters';

const SA_PREFIX = 'system:serviceaccount:';

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

export interface RoleRef {
  kind: string;
  name: string;
}

/** one binding as it applies to one of its subjects */
interface Grant {
  /** '' for a ClusterRoleBinding: it applies in every namespace and at the cluster scope */
  namespace: string;
  bindingName: string;
  roleRef: RoleRef;
  subject: Subject;
}

export type Resolved = { rules: PolicyRule[] } | { error: string };

export interface RulesReview {
  resourceRules: Array<{ verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[] }>;
  nonResourceRules: Array<{ verbs: string[]; nonResourceURLs: string[] }>;
  incomplete: boolean;
  evaluationError?: string;
}

/** the username a ServiceAccount authenticates as */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SA_PREFIX}${namespace}:${name}`;
}

/** system:serviceaccount:<ns>:<name> split, or undefined for any other username */
export function parseServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SA_PREFIX)) return undefined;
  const parts = username.slice(SA_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

/** the subject's key in the index: ServiceAccounts are users named system:serviceaccount:<ns>:<name> */
function subjectKey(s: Subject, bindingNamespace: string): string | undefined {
  switch (s?.kind) {
    case 'User':
      return `u:${s.name}`;
    case 'Group':
      return `g:${s.name}`;
    case 'ServiceAccount': {
      // a RoleBinding may leave out its ServiceAccount's namespace: it means its own
      const ns = s.namespace || bindingNamespace;
      return ns && s.name ? `u:${serviceAccountUsername(ns, s.name)}` : undefined;
    }
    default:
      return undefined;
  }
}

/** `ServiceAccount "coredns/kube-system"`, `Group "system:masters"`: how RBAC names a subject in its reasons */
function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} ${JSON.stringify(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${JSON.stringify(s.name)}`;
}

function describeGrant(g: Grant): string {
  const binding = g.namespace ? `RoleBinding ${JSON.stringify(`${g.bindingName}/${g.namespace}`)}` : `ClusterRoleBinding ${JSON.stringify(g.bindingName)}`;
  return `${binding} of ${g.roleRef.kind} ${JSON.stringify(g.roleRef.name)} to ${describeSubject(g.subject, g.namespace)}`;
}

function rulesOf(o: KubeObject | undefined): PolicyRule[] {
  const r = (o as { rules?: unknown } | undefined)?.rules;
  return Array.isArray(r) ? (r.filter((x) => x && typeof x === 'object') as PolicyRule[]) : [];
}

export class RbacAuthorizer implements Authorizer {
  private dirty = true;
  private grants = new Map<string, Grant[]>();
  private clusterRoles = new Map<string, KubeObject>();
  private roles = new Map<string, KubeObject>();
  /** effective rules per role ("ClusterRole/admin", "Role/ns/name"), filled as requests need them */
  private resolved = new Map<string, Resolved>();
  private readonly stops: Array<() => void> = [];

  constructor(private readonly store: ClusterStore) {
    const invalidate = () => {
      this.dirty = true;
    };
    for (const r of Object.values(RBAC_RESOURCES)) this.stops.push(store.watch(r, {}, invalidate));
  }

  close(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  authorize(attrs: RequestAttributes): Decision {
    if (attrs.user.groups.includes(PRIVILEGED_GROUP)) return { allowed: true, reason: '' };
    const errors: string[] = [];
    for (const g of this.grantsFor(attrs.user, attrs.namespace)) {
      const r = this.resolve(g.roleRef, g.namespace);
      if ('error' in r) {
        errors.push(r.error);
        continue;
      }
      if (r.rules.some((rule) => ruleAllows(attrs, rule))) return { allowed: true, reason: `RBAC: allowed by ${describeGrant(g)}` };
    }
    return { allowed: false, reason: errors.length === 0 ? '' : `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}` };
  }

  /**
   * What SelfSubjectRulesReview lists: every rule that applies to the user in the namespace. As in
   * kube-apiserver, the system:masters shortcut lists nothing itself (cluster-admin's binding does).
   */
  rulesFor(user: UserInfo, namespace: string): RulesReview {
    const out: RulesReview = { resourceRules: [], nonResourceRules: [], incomplete: false };
    const { rules, errors } = this.ownerRules(user, namespace);
    for (const rule of rules) {
      if (rule.resources?.length)
        out.resourceRules.push({
          verbs: rule.verbs, apiGroups: rule.apiGroups ?? [], resources: rule.resources,
          ...(rule.resourceNames?.length ? { resourceNames: rule.resourceNames } : {}),
        });
      if (rule.nonResourceURLs?.length) out.nonResourceRules.push({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs });
    }
    if (errors.length) {
      out.incomplete = true;
      out.evaluationError = errors.join(', ');
    }
    return out;
  }

  /** the rules a user holds in a namespace ('' for the cluster scope), and why some could not be read */
  ownerRules(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    for (const g of this.grantsFor(user, namespace)) {
      const r = this.resolve(g.roleRef, g.namespace);
      if ('error' in r) errors.push(r.error);
      else rules.push(...r.rules);
    }
    return { rules, errors };
  }

  /** the rules a binding's roleRef names, in the binding's namespace */
  roleRefRules(ref: RoleRef, namespace: string): Resolved {
    if (this.dirty) this.rebuild();
    return this.resolve(ref, namespace);
  }

  /** a ClusterRole's effective rules (an aggregated one's gathered from the roles it selects) */
  clusterRoleRulesOf(name: string): PolicyRule[] | undefined {
    if (this.dirty) this.rebuild();
    return this.clusterRoles.has(name) ? this.clusterRoleRules(name, new Set()) : undefined;
  }

  /** ClusterRoleBindings first, then RoleBindings of the namespace, as the apiserver visits them */
  private grantsFor(user: UserInfo, namespace: string): Grant[] {
    if (this.dirty) this.rebuild();
    const keys = [`u:${user.username}`, ...user.groups.map((g) => `g:${g}`)];
    const cluster: Grant[] = [];
    const local: Grant[] = [];
    for (const k of keys)
      for (const g of this.grants.get(k) ?? []) {
        if (g.namespace === '') cluster.push(g);
        else if (namespace && g.namespace === namespace) local.push(g);
      }
    return cluster.concat(local);
  }

  private rebuild(): void {
    this.dirty = false;
    this.grants = new Map();
    this.resolved = new Map();
    this.clusterRoles = new Map(this.store.list(RBAC_RESOURCES.clusterroles).items.map((o) => [o.metadata.name!, o]));
    this.roles = new Map(this.store.list(RBAC_RESOURCES.roles).items.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o]));
    const add = (b: KubeObject, namespace: string) => {
      const roleRef = (b as { roleRef?: RoleRef }).roleRef;
      const subjects = (b as { subjects?: Subject[] }).subjects;
      if (!roleRef || !Array.isArray(subjects)) return;
      for (const subject of subjects) {
        const key = subjectKey(subject, namespace);
        if (!key) continue;
        const list = this.grants.get(key) ?? [];
        list.push({ namespace, bindingName: b.metadata.name!, roleRef, subject });
        this.grants.set(key, list);
      }
    };
    for (const b of this.store.list(RBAC_RESOURCES.clusterrolebindings).items) add(b, '');
    for (const b of this.store.list(RBAC_RESOURCES.rolebindings).items) add(b, b.metadata.namespace!);
  }

  private resolve(ref: RoleRef, namespace: string): Resolved {
    const key = ref.kind === 'ClusterRole' ? `ClusterRole/${ref.name}` : `Role/${namespace}/${ref.name}`;
    let r = this.resolved.get(key);
    if (!r) {
      if (ref.kind === 'ClusterRole') {
        r = this.clusterRoles.has(ref.name) ? { rules: this.clusterRoleRules(ref.name, new Set()) } : { error: `clusterrole.${GROUP} ${JSON.stringify(ref.name)} not found` };
      } else if (ref.kind === 'Role' && namespace) {
        const role = this.roles.get(`${namespace}/${ref.name}`);
        r = role ? { rules: rulesOf(role) } : { error: `role.${GROUP} ${JSON.stringify(ref.name)} not found` };
      } else {
        r = { error: `unsupported role reference kind: ${JSON.stringify(ref.kind)}` };
      }
      this.resolved.set(key, r);
    }
    return r;
  }

  /**
   * An aggregated ClusterRole's rules are those of every ClusterRole its selectors match (the
   * clusterrole-aggregation controller writes them into it); aggregated roles that select other
   * aggregated ones (admin > edit > view) get theirs transitively.
   */
  private clusterRoleRules(name: string, seen: Set<string>): PolicyRule[] {
    const role = this.clusterRoles.get(name);
    const selectors = (role as { aggregationRule?: { clusterRoleSelectors?: LabelSelectorObject[] } } | undefined)?.aggregationRule
      ?.clusterRoleSelectors;
    if (!Array.isArray(selectors)) return rulesOf(role);
    seen.add(name);
    const out: PolicyRule[] = [];
    const have = new Set<string>();
    for (const [other, o] of [...this.clusterRoles].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (seen.has(other) || !selectors.some((s) => selectorMatches(s, o.metadata.labels))) continue;
      for (const rule of this.clusterRoleRules(other, new Set(seen))) {
        const k = JSON.stringify(rule);
        if (!have.has(k)) {
          have.add(k);
          out.push(rule);
        }
      }
    }
    return out;
  }
}
