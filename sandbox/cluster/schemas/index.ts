// OpenAPI v3 schemas for the served kinds. Placeholder until the schema package lands:
// no component schemas, so no unknown-field checks.
export function componentSchemas(_group: string, _version: string): Record<string, unknown> {
  return {};
}

/** dotted paths of fields the kind does not declare ("spec.foo"); empty when unknown */
export function unknownFields(_apiVersion: string, _kind: string, _obj: unknown): string[] {
  return [];
}
