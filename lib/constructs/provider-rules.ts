import { ACCOUNT_ID_EXPECTED, ACCOUNT_ID_PATTERN, OIDC_PROVIDER_ARN_EXPECTED, OIDC_PROVIDER_ARN_PATTERN, THUMBPRINT_EXPECTED, THUMBPRINT_PATTERN } from "../iam/arn";
import { defaultAudience, issuerHostPath, WORKSPACE_SLUG_EXPECTED, WORKSPACE_SLUG_PATTERN } from "../bitbucket/bitbucket";
import { IAM_LIMITS } from "../iam/iam-limits";
import { joinPath, ProblemList } from "../core/problems";
import { isToken, trustTokenMessage } from "../core/tokens";
import { checkTags } from "./role-rules";
import { isSupportedPartition, PARTITION_EXPECTED } from "../iam/partition";
import { bareUuid, normalizeUuid, UUID_EXPECTED } from "../bitbucket/uuid";

/** How the provider's TLS thumbprints are set: not at all, computed at plan time, or listed. */
export type ThumbprintSource = "none" | "tls" | readonly string[];

/** The provider fields that are checked the same way in config files and in TypeScript. */
export interface ProviderSpec {
  readonly workspaceSlug: string;
  readonly workspaceUuid?: string;
  readonly audiences?: readonly string[];
  readonly thumbprints?: ThumbprintSource;
  readonly existingArn?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** Field names as the caller spells them, so that messages point at the caller's own fields. */
export interface ProviderFieldNames {
  readonly workspaceSlug: string;
  readonly workspaceUuid: string;
}

/** Checks a provider spec; returns the audiences it accepts (normalized), or [] when none could be made. */
export function checkProvider(
  spec: ProviderSpec,
  path: string,
  list: ProblemList,
  names: ProviderFieldNames = { workspaceSlug: "workspaceSlug", workspaceUuid: "workspaceUuid" },
): string[] {
  if (isToken(spec.workspaceSlug)) {
    list.add(names.workspaceSlug, spec.workspaceSlug, trustTokenMessage("workspace slug"));
  } else if (!WORKSPACE_SLUG_PATTERN.test(spec.workspaceSlug ?? "")) {
    list.add(names.workspaceSlug, spec.workspaceSlug, `expected ${WORKSPACE_SLUG_EXPECTED}`);
  }
  let workspaceUuid: string | undefined;
  if (spec.workspaceUuid !== undefined) {
    workspaceUuid = isToken(spec.workspaceUuid) ? undefined : normalizeUuid(spec.workspaceUuid);
    if (isToken(spec.workspaceUuid)) list.add(names.workspaceUuid, spec.workspaceUuid, trustTokenMessage("workspace UUID"));
    else if (!workspaceUuid) list.add(names.workspaceUuid, spec.workspaceUuid, `expected ${UUID_EXPECTED}`);
  }
  const audiences = spec.audiences ?? (workspaceUuid ? [defaultAudience(bareUuid(workspaceUuid))] : []);
  if (spec.audiences === undefined && spec.workspaceUuid === undefined) {
    list.add(names.workspaceUuid, undefined, "expected the workspace UUID (for the default audience) or an explicit list of audiences");
  }
  if (spec.audiences !== undefined) {
    if (spec.audiences.length === 0 || spec.audiences.length > IAM_LIMITS.clientIdsPerProvider) {
      list.add(joinPath(path, "audiences"), spec.audiences, `expected 1 to ${IAM_LIMITS.clientIdsPerProvider} audiences`);
    }
    spec.audiences.forEach((aud, i) => {
      if (isToken(aud)) list.add(joinPath(joinPath(path, "audiences"), i), aud, trustTokenMessage("audience"));
      else if (typeof aud !== "string" || aud.length === 0 || aud.length > IAM_LIMITS.clientIdMaxLength) {
        list.add(joinPath(joinPath(path, "audiences"), i), aud, `expected a non-empty audience of at most ${IAM_LIMITS.clientIdMaxLength} characters`);
      } else if (aud.includes("${")) {
        // The trust policy tests aud with StringEquals, where IAM reads "${...}" as a policy variable.
        list.add(joinPath(joinPath(path, "audiences"), i), aud, 'expected an audience without "${": IAM reads "${...}" in a trust policy as a policy variable, so tokens with this audience would never match');
      }
    });
  }
  const thumbprints = spec.thumbprints;
  if (Array.isArray(thumbprints)) {
    if (thumbprints.length === 0 || thumbprints.length > IAM_LIMITS.thumbprintsPerProvider) {
      list.add(joinPath(path, "thumbprints"), thumbprints, `expected 1 to ${IAM_LIMITS.thumbprintsPerProvider} thumbprints, or "none", or "tls"`);
    }
    thumbprints.forEach((t, i) => {
      if (!THUMBPRINT_PATTERN.test(t)) list.add(joinPath(joinPath(path, "thumbprints"), i), t, `expected ${THUMBPRINT_EXPECTED}`);
    });
  } else if (thumbprints !== undefined && thumbprints !== "none" && thumbprints !== "tls") {
    list.add(joinPath(path, "thumbprints"), thumbprints, 'expected "none" (AWS checks the issuer through its trusted CAs), "tls" (computed at plan time) or a list of thumbprints');
  }
  checkTags(spec.tags, joinPath(path, "tags"), list);
  // A Terraform reference to the provider (a data source, a variable, another stack's output) is
  // known at plan time; the trust's condition keys still name this workspace's issuer.
  if (spec.existingArn !== undefined && !isToken(spec.existingArn)) {
    const hostPath = issuerHostPath(spec.workspaceSlug);
    if (!OIDC_PROVIDER_ARN_PATTERN.test(spec.existingArn)) {
      list.add(joinPath(path, "existingArn"), spec.existingArn, `expected ${OIDC_PROVIDER_ARN_EXPECTED}`);
    } else if (!spec.existingArn.endsWith(`:oidc-provider/${hostPath}`)) {
      list.add(joinPath(path, "existingArn"), spec.existingArn, `expected the provider of workspace "${spec.workspaceSlug}", whose ARN ends with ":oidc-provider/${hostPath}"`);
    }
  }
  return [...audiences];
}

/** How a created provider may adopt an existing one (construct props). */
export interface AdoptionSpec {
  readonly adopt?: boolean;
  readonly existingArn?: string;
  readonly accountId?: string;
  readonly partition?: string;
}

/**
 * Checks the adoption props of a provider the stack declares: `existingArn` and `accountId` only
 * name the provider to adopt, so they need `adopt: true`, and only one of them may be given.
 */
export function checkAdoption(spec: AdoptionSpec, path: string, list: ProblemList): void {
  if (spec.adopt !== true) {
    if (spec.existingArn !== undefined) {
      list.add(joinPath(path, "existingArn"), spec.existingArn, "only names the provider to adopt: set adopt: true to import it, or use BitbucketOidcProvider.fromArn(...) to reference it without managing it");
    }
    if (spec.accountId !== undefined) list.add(joinPath(path, "accountId"), spec.accountId, "only builds the ARN of a provider to adopt: set adopt: true, or remove it");
    return;
  }
  if (spec.accountId !== undefined && !ACCOUNT_ID_PATTERN.test(spec.accountId)) list.add(joinPath(path, "accountId"), spec.accountId, `expected ${ACCOUNT_ID_EXPECTED}`);
  if (spec.partition !== undefined && !isSupportedPartition(spec.partition)) list.add(joinPath(path, "partition"), spec.partition, `expected ${PARTITION_EXPECTED}`);
  if (spec.accountId !== undefined && spec.existingArn !== undefined) {
    list.add(joinPath(path, "accountId"), spec.accountId, "give existingArn or accountId, not both: existingArn already names the provider to adopt");
  }
}
