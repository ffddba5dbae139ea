const UUID_BODY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Describes what {@link normalizeUuid} accepts, for error messages. */
export const UUID_EXPECTED =
  'a UUID of 8-4-4-4-12 hex digits, braces optional, e.g. "{0f3c7a52-6c1e-4f0b-9d5e-2b8a1c9e7d40}"';

/**
 * Normalizes a Bitbucket UUID to the form tokens carry: lower case, in braces.
 * Returns undefined when the value is not a UUID.
 * @example normalizeUuid("0F3C7A52-6C1E-4F0B-9D5E-2B8A1C9E7D40") // "{0f3c7a52-6c1e-4f0b-9d5e-2b8a1c9e7d40}"
 */
export function normalizeUuid(value: string): string | undefined {
  const trimmed = value.trim();
  const braced = trimmed.startsWith("{") && trimmed.endsWith("}");
  const bare = (braced ? trimmed.slice(1, -1) : trimmed).toLowerCase();
  if ((trimmed.startsWith("{") || trimmed.endsWith("}")) && !braced) return undefined;
  return UUID_BODY.test(bare) ? `{${bare}}` : undefined;
}

/** The UUID without braces, as Bitbucket's default audience carries it. */
export function bareUuid(normalized: string): string {
  return normalized.replace(/^\{|\}$/g, "");
}
