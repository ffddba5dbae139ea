import type * as ConfigFileTypes from "../schema/config-types";
import { ThumbprintSource } from "../constructs/provider-rules";
import { ResolvedQuotas } from "../iam/quotas";

/**
 * The config file's shape is defined once, by the JSON Schema in lib/schema/config-schema.ts; its
 * types (lib/schema/config-types.ts) are generated from it by `npm run schema`. The input types
 * below are those (read-only), so the schema, the types and the validator cannot drift apart.
 */
type ConfigFile = ConfigFileTypes.CdktfBitbucketOidcConfiguration;

/**
 * The config's `state:` section: the S3 backend options, plus `bootstrap` for the stack that creates
 * the bucket. @example { bucket: "acme-terraform-state", region: "us-east-1", bootstrap: true }
 */
export type StateConfig = ConfigFile["state"];

/**
 * A role as the config file declares it (see bitbucket-oidc.schema.json for every key).
 * @example { name: "bitbucket-deploy", repositories: [{ uuid: "{3f2a...}", name: "my-service" }] }
 */
export type RoleConfig = ConfigFileTypes.Role;

/** The identity provider's settings as written (top level, or per account). */
export type ProviderInput = ConfigFileTypes.Provider;

/** The one account of the `aws:` shorthand. @example { region: "us-east-1", accountId: "123456789012" } */
export type AwsAccountInput = NonNullable<ConfigFile["aws"]>;

/**
 * One account of `accounts:`: a stack of its own, `<stack>-<name>`, with the state key
 * `<folder>/<name>/<file>`.
 * @example { id: "111111111111", name: "prod", region: "eu-west-1", environments: ["production"] }
 */
export type AccountInput = ConfigFileTypes.Account;

/** Changes to a shared role in one account (`accounts[].overrides.<role>`): every role key but name and accounts. */
export type RoleOverrideInput = ConfigFileTypes.RoleOverride;

/**
 * The config file as written (YAML or an object built in code), before validation.
 * @example see bitbucket-oidc.yaml
 */
export type BitbucketOidcConfigInput = ConfigFile;

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
