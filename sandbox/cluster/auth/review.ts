// What the review resources (SelfSubjectAccessReview, SelfSubjectRulesReview,
// SelfSubjectReview) need to answer for the requesting user: its identity, the authorizer's
// decision on any attributes, and the rules that apply to it in a namespace.
import { LEARNER } from './access.ts';
import type { RulesReview } from './rbac.ts';
import type { Authorizer, Decision, RequestAttributes, UserInfo } from './types.ts';

export interface ReviewContext {
  user: UserInfo;
  authorize(attrs: RequestAttributes): Decision;
  rulesFor(namespace: string): RulesReview;
}

/** an authorizer that can also list a user's rules (the RBAC one) */
interface RuleResolver {
  rulesFor(user: UserInfo, namespace: string): RulesReview;
}

const EVERYTHING: RulesReview = {
  resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
  nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
  incomplete: false,
};

/** without an authorizer (in-process callers, in-memory test servers) everything is allowed */
export function reviewContext(user: UserInfo = LEARNER, authorizer?: Authorizer & Partial<RuleResolver>): ReviewContext {
  return {
    user,
    authorize: (attrs) => authorizer?.authorize(attrs) ?? { allowed: true, reason: '' },
    rulesFor: (namespace) => authorizer?.rulesFor?.(user, namespace) ?? structuredClone(EVERYTHING),
  };
}
