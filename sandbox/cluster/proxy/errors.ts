// Errors of the service proxy. Callers branch on `code`, never on the message.

/** A listen address for publish() is taken or not allowed. */
export class PublishError extends Error {
  readonly code = 'LAB_ERR_PROXY_PUBLISH' as const;
  override readonly name = 'PublishError';
}
