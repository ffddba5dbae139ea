/**
 * IAM's rules and default quotas that this project checks before Terraform ever runs.
 * Source: ../shared/reference/bitbucket-oidc-aws.md (IAM and STS quotas).
 */
export const IAM_LIMITS = {
  /** Role name: 1-64 characters of `[\w+=,.@-]`, unique case-insensitively. */
  roleNamePattern: /^[\w+=,.@-]{1,64}$/,
  roleNameMaxLength: 64,
  /** Role path: `/` or `/segment/.../`, at most 512 characters. */
  rolePathPattern: /^\/(?:[\x21-\x7e]+\/)?$/,
  rolePathMaxLength: 512,
  /** Role description: at most 1,000 characters of tab, newline, carriage return, printable ASCII and Latin-1 (IAM's roleDescriptionType). */
  roleDescriptionMaxLength: 1000,
  roleDescriptionPattern: /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/,
  /** Maximum session duration of a role, seconds. */
  minSessionDuration: 3600,
  maxSessionDuration: 43200,
  /** Trust policy size (non-whitespace characters): default quota and the highest it can be raised to. */
  trustPolicySizeDefault: 2048,
  trustPolicySizeMax: 4096,
  /** Managed policies attached to one role: default quota and the highest it can be raised to. */
  managedPoliciesPerRoleDefault: 10,
  managedPoliciesPerRoleMax: 20,
  /** IAM roles per account: default quota and the highest it can be raised to. */
  rolesPerAccountDefault: 1000,
  rolesPerAccountMax: 5000,
  /** All inline policies of one role together (non-whitespace characters). */
  inlinePoliciesTotalSize: 10240,
  /** Tags on one IAM role. */
  tagsPerRole: 50,
  tagKeyMaxLength: 128,
  tagValueMaxLength: 256,
  /** Characters of a tag key (1 or more) and value (0 or more): letters, spaces, digits and _.:/=+-@ (IAM's tagKeyType, tagValueType). */
  tagKeyPattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u,
  tagValuePattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
  /** OIDC provider: at most 100 client ids (audiences), 5 thumbprints. */
  clientIdsPerProvider: 100,
  clientIdMaxLength: 255,
  thumbprintsPerProvider: 5,
} as const;

/** Counts a policy document the way IAM does for its size quotas: every character but whitespace. */
export function iamPolicySize(documentJson: string): number {
  return documentJson.replace(/\s+/g, "").length;
}
