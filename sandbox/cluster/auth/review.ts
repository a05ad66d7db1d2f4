// What the review resources (SelfSubjectAccessReview, SelfSubjectRulesReview,
// SelfSubjectReview) need to answer for the requesting user: its identity, the authorizer's
// decision on any attributes, and the rules that apply to it in a namespace.
import { LEARNER } from './access.ts';
import type { Resolved, RoleRef, RulesReview } from './rbac.ts';
import type { PolicyRule } from './rules.ts';
import type { Authorizer, Decision, RequestAttributes, UserInfo } from './types.ts';

export interface ReviewContext {
  user: UserInfo;
  authorize(attrs: RequestAttributes): Decision;
  rulesFor(namespace: string): RulesReview;
  /** a bearer token's user as the authenticator chain sees it (TokenReview); absent on servers without authentication */
  authenticateToken?(token: string): UserInfo | undefined;
  /** what the escalation check of RBAC writes needs; absent without an RBAC authorizer */
  rules?: {
    owner(namespace: string): { rules: PolicyRule[]; errors: string[] };
    roleRef(ref: RoleRef, namespace: string): Resolved;
  };
}

/** an authorizer that can also list a user's rules (the RBAC one) */
interface RuleResolver {
  rulesFor(user: UserInfo, namespace: string): RulesReview;
  ownerRules(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] };
  roleRefRules(ref: RoleRef, namespace: string): Resolved;
}

const EVERYTHING: RulesReview = {
  resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
  nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
  incomplete: false,
};

/** without an authorizer (in-process callers, in-memory test servers) everything is allowed */
export function reviewContext(
  user: UserInfo = LEARNER,
  authorizer?: Authorizer & Partial<RuleResolver>,
  authenticateToken?: (token: string) => UserInfo | undefined,
): ReviewContext {
  return {
    user,
    ...(authenticateToken ? { authenticateToken } : {}),
    authorize: (attrs) => authorizer?.authorize(attrs) ?? { allowed: true, reason: '' },
    rulesFor: (namespace) => authorizer?.rulesFor?.(user, namespace) ?? structuredClone(EVERYTHING),
    ...(authorizer?.ownerRules && authorizer.roleRefRules
      ? {
          rules: {
            owner: (ns: string) => authorizer.ownerRules!(user, ns),
            roleRef: (ref: RoleRef, ns: string) => authorizer.roleRefRules!(ref, ns),
          },
        }
      : {}),
  };
}
