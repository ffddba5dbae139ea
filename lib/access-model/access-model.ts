import { IamPolicyDocument } from "../iam/policy-document";

/** File name of the access model, written next to each stack's cdk.tf.json. */
export const ACCESS_MODEL_FILE = "access-model.json";

/** Format version of the access model; bump on incompatible changes. */
export const ACCESS_MODEL_VERSION = 1;

/** A trusted deployment environment, with its name where the config gives one. */
export interface AccessEnvironment {
  readonly uuid: string;
  readonly name?: string;
}

/** A trusted repository, with its environments (none: every step of the repository). */
export interface AccessRepository {
  readonly uuid: string;
  readonly name?: string;
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
  readonly description?: string;
  readonly path: string;
  readonly maxSessionDuration: number;
  readonly permissionsBoundary?: string;
  /** Every managed policy attached, including those a grant attaches (`grants.terraformPlan.managedPolicy`, an opt-in). */
  readonly managedPolicyArns: readonly string[];
  /** Inline policies by name, in IAM's JSON shape. */
  readonly inlinePolicies: Readonly<Record<string, IamPolicyDocument>>;
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
  readonly version: typeof ACCESS_MODEL_VERSION;
  readonly stack: string;
  readonly workspace: { readonly slug: string; readonly uuid: string; readonly name?: string };
  /** Region, partition (`aws`, `aws-cn`, `aws-us-gov`; absent in models written before it was recorded: `aws`) and account. */
  readonly aws: { readonly region: string; readonly partition?: string; readonly accountId?: string };
  readonly provider: {
    /** Literal ARN when known at synth (existing provider, or account id given), else undefined. */
    readonly arn?: string;
    /** Terraform address when the stack creates the provider. */
    readonly address?: string;
    readonly issuer: string;
    readonly conditionKeyPrefix: string;
    readonly audiences: readonly string[];
  };
  readonly roles: readonly AccessRole[];
}
