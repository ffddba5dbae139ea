import { ThumbprintSource } from "../constructs/provider-rules";
import { IamQuotas, ResolvedQuotas } from "../iam/quotas";
import { RoleFields } from "../constructs/role-rules";
import { S3StateOptions } from "../state/state-rules";

/**
 * The config's `state:` section: the S3 backend options, plus `bootstrap` for the stack that creates
 * the bucket. @example { bucket: "acme-terraform-state", region: "us-east-1", bootstrap: true }
 */
export interface StateConfig extends S3StateOptions {
  /** Also synthesize the stack `<stack>-state`, which creates the bucket (and lock table). @default false */
  readonly bootstrap?: boolean;
  /**
   * Where `<stack>-state` keeps its own state: `local` for the first apply (the bucket does not exist
   * yet), `s3` once `terraform init -migrate-state` has moved it into the bucket, under the key
   * `<stack>-state/terraform.tfstate`. @default "local"
   */
  readonly bootstrapBackend?: "local" | "s3";
}

/**
 * A role as the config file declares it (see bitbucket-oidc.schema.json for every key).
 * @example { name: "bitbucket-deploy", repositories: [{ uuid: "{3f2a...}", name: "my-service" }] }
 */
export interface RoleConfig extends RoleFields {
  /** IAM role name. @example "bitbucket-deploy" */
  readonly name: string;
  /** With `accounts:`: the accounts (by name) that get this shared role. @default every account @example ["prod"] */
  readonly accounts?: readonly string[];
  /** Why this role may trust an environment that `accounts:` maps to another account. @default none */
  readonly environmentAccountOverride?: string;
}

/** The identity provider's settings as written (top level, or per account). */
export interface ProviderInput {
  /** "none", "tls" or a list of thumbprints. @default "none" */
  readonly thumbprints?: ThumbprintSource;
  /** Reference a provider made by hand instead of creating one. @default none */
  readonly existingArn?: string;
  /** With existingArn: import the existing provider and manage it. @default false: only reference it */
  readonly adopt?: boolean;
  /** Custom audiences. @default the workspace's default audience */
  readonly audiences?: readonly string[];
  /** Terraform prevent_destroy on the provider. @default true */
  readonly preventDestroy?: boolean;
  /** Tags on the provider. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The one account of the `aws:` shorthand. @example { region: "us-east-1", accountId: "123456789012" } */
export interface AwsAccountInput {
  /** Region of the AWS provider. */
  readonly region: string;
  /** 12-digit account id; Terraform then refuses any other account. @default the caller's account */
  readonly accountId?: string;
  /** A role Terraform assumes to reach the account (`assume_role` on the AWS provider). @default none */
  readonly assumeRoleArn?: string;
  /** Tags on every resource. @default none */
  readonly defaultTags?: Readonly<Record<string, string>>;
}

/**
 * One account of `accounts:`: a stack of its own, `<stack>-<name>`, with the state key
 * `<folder>/<name>/<file>`.
 * @example { id: "111111111111", name: "prod", region: "eu-west-1", environments: ["production"] }
 */
export interface AccountInput {
  /** 12-digit account id, quoted. */
  readonly id: string;
  /** Short name: lower-case letters, digits and `-`. */
  readonly name: string;
  /** Region of this account's AWS provider. */
  readonly region: string;
  /** A role Terraform assumes to reach this account. @default none */
  readonly assumeRoleArn?: string;
  /** Tags on every resource of this account. @default none */
  readonly defaultTags?: Readonly<Record<string, string>>;
  /** Deployment environments (by name) this account serves. @default none */
  readonly environments?: readonly string[];
  /** Provider settings over the top-level `provider:`. @default the top-level ones */
  readonly provider?: ProviderInput;
  /** Roles of this account only. @default none */
  readonly roles?: readonly RoleConfig[];
  /** Changes to shared roles for this account, by role name. @default none */
  readonly overrides?: Readonly<Record<string, Partial<RoleConfig>>>;
}

/**
 * The config file as written (YAML or an object built in code), before validation.
 * @example see bitbucket-oidc.yaml
 */
export interface BitbucketOidcConfigInput {
  /** Format version; only 1 exists. @default 1 */
  readonly version?: 1;
  /** Stack name, the folder under cdktf.out/stacks/. @example "bitbucket-oidc" */
  readonly stack: string;
  /** The Bitbucket workspace. */
  readonly workspace: { readonly slug: string; readonly uuid: string; readonly name?: string };
  /** Account and region. */
  readonly aws?: AwsAccountInput;
  /** Several accounts, one stack each; instead of `aws`. @default none */
  readonly accounts?: readonly AccountInput[];
  /** S3 state backend. */
  readonly state: StateConfig;
  /** The identity provider. @default { thumbprints: "none" } */
  readonly provider?: ProviderInput;
  /** Raised IAM quotas. @default IAM's defaults */
  readonly quotas?: IamQuotas;
  /** The roles (with `accounts:`, the shared ones). @default none with `accounts:` */
  readonly roles?: readonly RoleConfig[];
}

/** A validated config: defaults applied, UUIDs normalized, deeply frozen. Stacks are built from this. */
export interface BitbucketOidcConfig {
  /** Where it came from: a file path, or a label for a config built in code. */
  readonly source: string;
  /** Format version. */
  readonly version: 1;
  /** Stack name, the folder under cdktf.out/stacks/. */
  readonly stack: string;
  /** The Bitbucket workspace; `uuid` normalized to `{lower-case}`. */
  readonly workspace: { readonly slug: string; readonly uuid: string; readonly name?: string };
  /** Region, optional account id and default tags of the AWS provider. */
  readonly aws: { readonly region: string; readonly accountId?: string; readonly assumeRoleArn?: string; readonly defaultTags?: Readonly<Record<string, string>> };
  /** S3 state backend, defaults applied. */
  readonly state: StateConfig & { readonly key: string; readonly encrypt: boolean; readonly useLockfile: boolean; readonly bootstrap: boolean; readonly bootstrapBackend: "local" | "s3" };
  /** The identity provider, defaults applied (`audiences` resolved). */
  readonly provider: {
    readonly thumbprints: ThumbprintSource;
    readonly existingArn?: string;
    readonly adopt?: boolean;
    readonly audiences: readonly string[];
    readonly preventDestroy: boolean;
    readonly tags?: Readonly<Record<string, string>>;
  };
  /** IAM quotas, IAM's defaults where not raised. */
  readonly quotas: ResolvedQuotas;
  /** The roles, repository UUIDs normalized (empty at the top of a config with `accounts:`). */
  readonly roles: readonly RoleConfig[];
  /** With `accounts:`: one complete config per account, each a stack of its own. @default none */
  readonly accounts?: readonly BitbucketOidcConfig[];
}
