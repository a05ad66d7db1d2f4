// The review resources: create-only, answered for the user who asks and never stored.
// `kubectl auth can-i` (SelfSubjectAccessReview), `kubectl auth can-i --list`
// (SelfSubjectRulesReview) and `kubectl auth whoami` (SelfSubjectReview).
import { reviewContext, type ReviewContext } from '../auth/review.ts';
import type { RequestAttributes } from '../auth/types.ts';
import { badRequest, fieldErr } from '../errors.ts';
import type { KubeObject } from '../contracts.ts';
import type { ResourceDef } from './types.ts';
import { isObject } from './validation.ts';

// the apiserver answers a review with a null creationTimestamp, which ObjectMeta's type does not allow
const answered = (obj: KubeObject, status: unknown): KubeObject => ({
  ...obj,
  metadata: { ...obj.metadata, creationTimestamp: null as unknown as undefined },
  status,
});
const specOf = (obj: KubeObject): Record<string, unknown> => (isObject(obj.spec) ? obj.spec : {});
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** spec.resourceAttributes or spec.nonResourceAttributes as the authorizer's attributes */
function reviewAttributes(spec: Record<string, unknown>, review: ReviewContext): RequestAttributes {
  const base = { user: review.user, path: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '' };
  if (isObject(spec.resourceAttributes)) {
    const r = spec.resourceAttributes;
    return {
      ...base, resourceRequest: true, verb: str(r.verb), apiGroup: str(r.group), apiVersion: str(r.version),
      resource: str(r.resource), subresource: str(r.subresource), namespace: str(r.namespace), name: str(r.name),
    };
  }
  const n = isObject(spec.nonResourceAttributes) ? spec.nonResourceAttributes : {};
  return { ...base, resourceRequest: false, verb: str(n.verb), path: str(n.path) };
}

export const selfsubjectaccessreviews: ResourceDef = {
  group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', singular: 'selfsubjectaccessreview',
  namespaced: false, verbs: ['create'],
  virtual: (obj: KubeObject, review = reviewContext()) => {
    const d = review.authorize(reviewAttributes(specOf(obj), review));
    return answered(obj, { allowed: d.allowed, ...(d.reason ? { reason: d.reason } : {}) });
  },
  validate(obj: KubeObject) {
    const s = obj.spec;
    if (!isObject(s) || (!isObject(s.resourceAttributes) && !isObject(s.nonResourceAttributes)))
      return [fieldErr.invalid('spec.resourceAttributes', isObject(s) ? (s.resourceAttributes ?? null) : null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified')];
    if (isObject(s.resourceAttributes) && isObject(s.nonResourceAttributes))
      return [fieldErr.invalid('spec.nonResourceAttributes', s.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes')];
    return [];
  },
};

export const selfsubjectrulesreviews: ResourceDef = {
  group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview', singular: 'selfsubjectrulesreview',
  namespaced: false, verbs: ['create'],
  virtual: (obj: KubeObject, review = reviewContext()) => answered(obj, review.rulesFor(str(specOf(obj).namespace))),
};

export const selfsubjectreviews: ResourceDef = {
  group: 'authentication.k8s.io', version: 'v1', resource: 'selfsubjectreviews', kind: 'SelfSubjectReview', singular: 'selfsubjectreview',
  namespaced: false, verbs: ['create'],
  virtual: (obj: KubeObject, review = reviewContext()) => {
    const u = review.user;
    return answered(obj, {
      userInfo: { username: u.username, ...(u.uid ? { uid: u.uid } : {}), groups: u.groups, ...(u.extra ? { extra: u.extra } : {}) },
    });
  },
};

/** spec.user/groups/uid/extra as the user whose access is asked about */
function subjectOf(spec: Record<string, unknown>): ReviewContext['user'] {
  const groups = Array.isArray(spec.groups) ? spec.groups.map(String) : [];
  return {
    username: str(spec.user), groups,
    ...(str(spec.uid) ? { uid: str(spec.uid) } : {}),
    ...(isObject(spec.extra) ? { extra: spec.extra as Record<string, string[]> } : {}),
  };
}

const subjectReview = (resource: 'subjectaccessreviews' | 'localsubjectaccessreviews', kind: string, namespaced: boolean): ResourceDef => ({
  group: 'authorization.k8s.io', version: 'v1', resource, kind, singular: kind.toLowerCase(), namespaced, verbs: ['create'],
  virtual: (obj: KubeObject, review = reviewContext()) => {
    const spec = specOf(obj);
    const attrs = { ...reviewAttributes(spec, review), user: subjectOf(spec) };
    // a LocalSubjectAccessReview asks about its own namespace
    if (namespaced && attrs.resourceRequest) attrs.namespace = obj.metadata.namespace ?? attrs.namespace;
    const d = review.authorize(attrs);
    return answered(obj, { allowed: d.allowed, ...(d.reason ? { reason: d.reason } : {}) });
  },
  validate(obj: KubeObject) {
    const s = specOf(obj);
    const out = selfsubjectaccessreviews.validate!(obj, undefined as never);
    if (!str(s.user) && !(Array.isArray(s.groups) && s.groups.length))
      out.push(fieldErr.invalid('spec.user', str(s.user), 'at least one of user or group must be specified'));
    if (namespaced && isObject(s.resourceAttributes) && str(s.resourceAttributes.namespace) !== (obj.metadata.namespace ?? ''))
      out.push(fieldErr.invalid('spec.resourceAttributes.namespace', str(s.resourceAttributes.namespace), 'must match metadata.namespace'));
    return out;
  },
});

/** `kubectl auth can-i --as` goes through impersonation; these ask about anyone, as a webhook or an admin does */
export const subjectaccessreviews = subjectReview('subjectaccessreviews', 'SubjectAccessReview', false);
export const localsubjectaccessreviews = subjectReview('localsubjectaccessreviews', 'LocalSubjectAccessReview', true);

/**
 * authentication.k8s.io/v1 TokenReview: is this bearer token good, and whose is it (the same
 * authenticator chain as every request's). An audience list other than the API's own is not checked.
 */
export const tokenreviews: ResourceDef = {
  group: 'authentication.k8s.io', version: 'v1', resource: 'tokenreviews', kind: 'TokenReview', singular: 'tokenreview',
  namespaced: false, verbs: ['create'],
  virtual: (obj: KubeObject, review = reviewContext()) => {
    const token = str(specOf(obj).token);
    if (!token) throw badRequest('token is required for TokenReview in authentication');
    const user = token && review.authenticateToken ? review.authenticateToken(token) : undefined;
    if (!user) return answered(obj, { user: {}, error: '[invalid bearer token, token lookup failed]' });
    return answered(obj, {
      authenticated: true,
      user: {
        username: user.username, ...(user.uid ? { uid: user.uid } : {}), groups: user.groups, ...(user.extra ? { extra: user.extra } : {}),
      },
      audiences: ['https://kubernetes.default.svc.cluster.local'],
    });
  },
};
