import { IamPolicyDocument } from "../iam/policy-document";

/** File name of the access model, written next to each stack's cdk.tf.json. */
export const ACCESS_MODEL_FILE = "access-model.json";

/** Format version of the access model; bump on incompatible changes. */
export const ACCESS_MODEL_VERSION = 1;

/** A trusted deployment environment, with its name where the config gives one. */
export interface AccessEnvironment {
  /** The environment's UUID, braces and lower case, e.g. `{9e8d...}`. */
  readonly uuid: string;
  /** Its name, where the config or props give one, e.g. `production`. */
  readonly name?: string;
}

/** A trusted repository, with its environments (none: every step of the repository). */
export interface AccessRepository {
  /** The repository's UUID, braces and lower case. */
  readonly uuid: string;
  /** Its name, where the config or props give one, e.g. `web-app`. */
  readonly name?: string;
  /** The deployment environments trusted; none: every step of the repository. */
  readonly environments?: readonly AccessEnvironment[];
}

/** Who can assume a role. */
export interface AccessTrust {
  /** `aud` values accepted (StringEquals). */
  readonly audiences: readonly string[];
  /** `sub` patterns accepted (StringLike). */
  readonly subjects: readonly string[];
  /** The repositories and environments behind the `sub` patterns. */
  readonly repositories: readonly AccessRepository[];
  /** True when every repository of the workspace may assume the role (explicit opt-in). */
  readonly anyRepositoryInWorkspace: boolean;
  /** `aws:SourceIp` ranges; empty: any address. */
  readonly sourceIps: readonly string[];
}

/** One role, as a reviewer and the tools (review, explain, snippet) need it. */
export interface AccessRole {
  /** IAM role name. */
  readonly name: string;
  /** Terraform address, e.g. `aws_iam_role.bitbucket-deploy`. */
  readonly address: string;
  /** Terraform output holding the role's ARN. */
  readonly arnOutput: string;
  /** The role ARN when the account id is known at synth, else undefined. */
  readonly arn?: string;
  /** The role's description. */
  readonly description?: string;
  /** The IAM path, e.g. `/`. */
  readonly path: string;
  /** The longest session, in seconds. */
  readonly maxSessionDuration: number;
  /** The permissions boundary's ARN (or its Terraform expression), if any. */
  readonly permissionsBoundary?: string;
  /** Every managed policy attached, including those a grant attaches (`grants.terraformPlan.managedPolicy`, an opt-in). */
  readonly managedPolicyArns: readonly string[];
  /** Inline policies by name, in IAM's JSON shape. */
  readonly inlinePolicies: Readonly<Record<string, IamPolicyDocument>>;
  /** Who can assume the role. */
  readonly trust: AccessTrust;
  /** The trust policy, with the provider ARN as synthesized (literal or a Terraform reference). */
  readonly trustPolicy: IamPolicyDocument;
  /**
   * Grants by kind, as configured (e.g. `{ ecrPush: { repositories: [...] } }`); each wrote the inline
   * policy `grant-<kind>` (unless all its statements were already there).
   */
  readonly grants: Readonly<Record<string, unknown>>;
  /** Guardrail findings acknowledged for this role, with their reasons. */
  readonly acknowledgements: readonly { readonly rule: string; readonly reason: string }[];
}

/** The access model of one stack: what `review`, `explain` and `snippet` read. */
export interface AccessModel {
  /** The format version, {@link ACCESS_MODEL_VERSION}. */
  readonly version: typeof ACCESS_MODEL_VERSION;
  /** The stack's name (its folder under `cdktf.out/stacks/`). */
  readonly stack: string;
  /** The Bitbucket workspace: slug, UUID (braces) and display name where known. */
  readonly workspace: { readonly slug: string; readonly uuid: string; readonly name?: string };
  /** Region, partition (`aws`, `aws-cn`, `aws-us-gov`; absent in models written before it was recorded: `aws`) and account. */
  readonly aws: { readonly region: string; readonly partition?: string; readonly accountId?: string };
  /** The IAM OIDC identity provider the roles trust. */
  readonly provider: {
    /** Literal ARN when known at synth (existing provider, or account id given), else undefined. */
    readonly arn?: string;
    /** Terraform address when the stack creates the provider. */
    readonly address?: string;
    readonly issuer: string;
    readonly conditionKeyPrefix: string;
    readonly audiences: readonly string[];
  };
  /** The roles, in the order they were built. */
  readonly roles: readonly AccessRole[];
}
