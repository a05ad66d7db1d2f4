// The apiserver's 403 for a request its authorizer refused (responsewriters.Forbidden with
// apierrors.NewForbidden), word for word, so kubectl prints `Error from server (Forbidden): ...`.
import { StatusError, type StatusDetails } from '../errors.ts';
import type { RequestAttributes } from './types.ts';

/** `User "x" cannot list resource "pods" in API group "" in the namespace "default"` */
export function forbiddenMessage(attrs: RequestAttributes): string {
  const user = JSON.stringify(attrs.user.username);
  if (!attrs.resourceRequest) return `User ${user} cannot ${attrs.verb} path ${JSON.stringify(attrs.path)}`;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const where = attrs.namespace ? `in the namespace ${JSON.stringify(attrs.namespace)}` : 'at the cluster scope';
  return `User ${user} cannot ${attrs.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attrs.apiGroup)} ${where}`;
}

export function forbiddenError(attrs: RequestAttributes, reason: string): StatusError {
  const why = reason ? `${forbiddenMessage(attrs)}: ${reason}` : forbiddenMessage(attrs);
  // the qualified resource is group and resource without the subresource: `pods`, `deployments.apps`
  const qualified = attrs.resource ? (attrs.apiGroup ? `${attrs.resource}.${attrs.apiGroup}` : attrs.resource) : '';
  const message = !qualified ? `forbidden: ${why}` : attrs.name ? `${qualified} ${JSON.stringify(attrs.name)} is forbidden: ${why}` : `${qualified} is forbidden: ${why}`;
  // Go leaves empty details fields out (omitempty)
  const details: StatusDetails = {};
  if (attrs.name) details.name = attrs.name;
  if (attrs.apiGroup) details.group = attrs.apiGroup;
  if (attrs.resource) details.kind = attrs.resource;
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Forbidden', details, code: 403 });
}
