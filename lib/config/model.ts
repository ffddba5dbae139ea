import { Grants } from "../grants/grant-types";
import { PolicyStatementProps } from "../private/policy-document";
import { ThumbprintSource } from "../private/provider-rules";
import { IamQuotas, ResolvedQuotas } from "../private/quotas";
import { RepositoryTrust } from "../private/role-rules";

/**
 * A role as the config file declares it (see bitbucket-oidc.schema.json for every key).
 * @example { name: "bitbucket-deploy", repositories: [{ uuid: "{3f2a...}", name: "my-service" }] }
 */
export interface RoleConfig {
  /** IAM role name. @example "bitbucket-deploy" */
  readonly name: string;
  /** Role description. @default "Assumed by Bitbucket Pipelines of <workspace> through OIDC" */
  readonly description?: string;
  /** IAM path. @default "/" */
  readonly path?: string;
  /** Maximum session duration, seconds. @default 3600 */
  readonly maxSessionDuration?: number;
  /** Permissions boundary policy ARN. @default none */
  readonly permissionsBoundary?: string;
  /** Managed policies to attach. @default none */
  readonly managedPolicyArns?: readonly string[];
  /** Statements of the inline policy "permissions". @default none */
  readonly statements?: readonly PolicyStatementProps[];
  /** More inline policies by name. @default none */
  readonly inlinePolicies?: Readonly<Record<string, readonly PolicyStatementProps[]>>;
  /** Role tags. @default none */
  readonly tags?: Readonly<Record<string, string>>;
  /** `aws:SourceIp` ranges. @default none */
  readonly sourceIps?: readonly string[];
  /** Accepted audiences, a subset of the provider's. @default all of the provider's */
  readonly audiences?: readonly string[];
  /** Trusted repositories and environments. UUIDs are normalized in a validated config. */
  readonly repositories?: readonly RepositoryTrust[];
  /** Explicit opt-in to every repository of the workspace. @default false */
  readonly anyRepositoryInWorkspace?: boolean;
  /** Permission grants for the jobs the role's pipelines run. @default none @example { ecrPush: { repositories: ["mydockerimage"] } } */
  readonly grants?: Grants;
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
  readonly aws: { readonly region: string; readonly accountId?: string; readonly defaultTags?: Readonly<Record<string, string>> };
  /** S3 state backend. */
  readonly state: { readonly bucket: string; readonly key?: string; readonly region: string; readonly encrypt?: boolean; readonly useLockfile?: boolean };
  /** The identity provider. @default { thumbprints: "none" } */
  readonly provider?: {
    readonly thumbprints?: ThumbprintSource;
    readonly existingArn?: string;
    readonly audiences?: readonly string[];
    readonly preventDestroy?: boolean;
    readonly tags?: Readonly<Record<string, string>>;
  };
  /** Raised IAM quotas. @default IAM's defaults */
  readonly quotas?: IamQuotas;
  /** The roles. */
  readonly roles: readonly RoleConfig[];
}

/** A validated config: defaults applied, UUIDs normalized, deeply frozen. Stacks are built from this. */
export interface BitbucketOidcConfig {
  /** Where it came from: a file path, or a label for a config built in code. */
  readonly source: string;
  readonly version: 1;
  readonly stack: string;
  readonly workspace: { readonly slug: string; readonly uuid: string; readonly name?: string };
  readonly aws: { readonly region: string; readonly accountId?: string; readonly defaultTags?: Readonly<Record<string, string>> };
  readonly state: { readonly bucket: string; readonly key: string; readonly region: string; readonly encrypt: boolean; readonly useLockfile: boolean };
  readonly provider: {
    readonly thumbprints: ThumbprintSource;
    readonly existingArn?: string;
    readonly audiences: readonly string[];
    readonly preventDestroy: boolean;
    readonly tags?: Readonly<Record<string, string>>;
  };
  readonly quotas: ResolvedQuotas;
  readonly roles: readonly RoleConfig[];
}
