/**
 * Test support: fast-check arbitraries for configs across the whole schema (bitbucket-oidc.schema.json,
 * lib/config/model.ts), for the wild-input properties under test/wild/.
 *
 * {@link wildConfig} makes configs that are meant to be legal: odd but legal names (digit first, dashes,
 * dots, `constructor`), every partition's regions, `aws:` or `accounts:` (with overrides, account roles,
 * environments and shared roles limited to some accounts), every grant kind, tags with Unicode letters,
 * source IPs, custom audiences, thumbprints, quotas, acknowledgements and IAM policy variables such as
 * `${aws:username}`. A legal config may still be refused by a guardrail (for example a statement that
 * names an action IAM does not have): properties that need output filter on synth's exit code.
 * {@link invalidMutation} breaks a config in one way that must be refused with exit 2.
 */
import fc from "fast-check";
import { AccountInput, BitbucketOidcConfigInput, ProviderInput, RoleConfig } from "../../lib/config/model";
import type { Grants } from "../../lib/grants/grant-types";
import type { PolicyStatementProps } from "../../lib/iam/policy-document";
import { propertyRuns } from "./property-runs";

/** The partitions the project supports, with regions of each. */
export const PARTITION_REGIONS = {
  aws: ["us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1"],
  "aws-cn": ["cn-north-1", "cn-northwest-1"],
  "aws-us-gov": ["us-gov-west-1", "us-gov-east-1"],
} as const;

export type Partition = keyof typeof PARTITION_REGIONS;

/** The partition of a region, as AWS assigns it. */
export function partitionOf(region: string): Partition {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The partition of a config (all its regions share one: the generator never mixes them). */
export function configPartition(config: BitbucketOidcConfigInput): Partition {
  return partitionOf(config.state.region);
}

/** IAM role names that are legal but awkward: digit first, dots, JavaScript's own property names. */
export const ODD_ROLE_NAMES = ["constructor", "toString", "hasOwnProperty", "2024-deploy", "0", "a.b", "deploy@prod", "x+y=z,w", "-lead", "_", "role.", "Deploy"] as const;

/** A collision key coarser than any Terraform mapping: names equal under it are never generated together. */
export function nameKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "_");
}

const ROLE_NAME_CHAR = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=,.@-";

/** A legal IAM role name (1-64 of `[\w+=,.@-]`). */
export const roleName: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...ODD_ROLE_NAMES) },
  { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...ROLE_NAME_CHAR), minLength: 1, maxLength: 64 }) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom("deploy", "ecr", "plan", "site", "9lives", "2024"), fc.integer({ min: 0, max: 999 })).map(([a, n]) => `${a}-${n}`) },
);

const lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789";
const word = (min: number, max: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...lowerAlnum), minLength: min, maxLength: max });

/** A Bitbucket UUID, spelled as a user might: braces optional, any case. */
export const uuid: fc.Arbitrary<string> = fc
  .tuple(fc.uuid({ version: 4 }), fc.boolean(), fc.boolean())
  .map(([u, braces, upper]) => {
    const body = upper ? u.toUpperCase() : u.toLowerCase();
    return braces ? `{${body}}` : body;
  });

const chars = (set: string, min: number, max: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...set), minLength: min, maxLength: max });
const accountId = chars("0123456789", 12, 12);
const SID = chars("abcXYZ0129", 1, 12);
const THUMBPRINT = chars("0123456789abcdef", 40, 40);
const DISTRIBUTION_ID = chars("ABCDEFXYZ0123456789", 9, 14).map((s) => `E${s}`);
const IDENT_TAIL = "abcxyzABCXYZ0189_-";

/** Tag keys and values: letters of any script, digits, spaces and `_.:/=+-@`, never `aws:`. */
const tagText = fc.string({ unit: fc.constantFrom(..."abcXYZ019 _.:/=+-@", "é", "ß", "日", "本", "Ω", "д"), minLength: 1, maxLength: 20 });
export const tags: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  tagText.filter((k) => !k.toLowerCase().startsWith("aws:") && k.trim() === k && k.length > 0),
  fc.oneof(tagText, fc.constant("")),
  { minKeys: 1, maxKeys: 4 },
);

const cidr: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.ipV4(), fc.integer({ min: 8, max: 32 })).map(([ip, bits]) => `${ip}/${bits}`),
  fc.ipV4(),
  fc.tuple(fc.ipV6(), fc.integer({ min: 16, max: 128 })).map(([ip, bits]) => `${ip}/${bits}`),
);

/** Text IAM takes in a description: printable ASCII and Latin-1, with Terraform's template markers. */
const description = fc.oneof(
  fc.string({ unit: fc.constantFrom(..."abc XYZ 012 .,;:!?'\"()[]<>#&*/\\|-_~`^", "é", "ü", "©"), maxLength: 60 }),
  fc.constantFrom("Deploys ${aws:username} stuff", "100%{ not a directive }", "$${already} and %%{escaped}", "ends with $", "{{double}} ${"),
);

interface Ctx {
  readonly partition: Partition;
  readonly region: string;
  readonly accountIds: readonly string[];
  readonly stateBucket: string;
  readonly statePrefix: string;
  readonly audiences: readonly string[];
}

const arnOf = (ctx: Ctx, service: string, rest: string, region = ""): string => `arn:${ctx.partition}:${service}:${region}:${rest}`;

const AWS_MANAGED = ["ReadOnlyAccess", "job-function/ViewOnlyAccess", "AmazonS3ReadOnlyAccess", "AmazonEC2ContainerRegistryReadOnly", "SecurityAudit"] as const;

/** Managed policy ARNs: AWS managed ones (moto knows them) and customer managed ones with paths, some of the same name. */
const managedPolicyArns = (ctx: Ctx, account: string): fc.Arbitrary<string[]> =>
  fc.uniqueArray(
    fc.oneof(
      fc.constantFrom(...AWS_MANAGED).map((p) => `arn:${ctx.partition}:iam::aws:policy/${p}`),
      fc.tuple(fc.constantFrom("/", "/team-a/", "/team-b/", "/a.b/c/"), fc.constantFrom("boundary", "read-things", "Pipeline+Ops")).map(
        ([path, name]) => `arn:${ctx.partition}:iam::${account}:policy${path}${name}`,
      ),
    ),
    { maxLength: 3 },
  );

const REAL_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "ecr:DescribeImages", "dynamodb:GetItem", "logs:PutLogEvents", "sqs:SendMessage", "sns:Publish", "ssm:GetParameter", "lambda:InvokeFunction", "s3:Get*", "ec2:Describe*"] as const;

const statement = (ctx: Ctx, account: string): fc.Arbitrary<PolicyStatementProps> =>
  fc
    .record(
      {
        sid: SID,
        effect: fc.constantFrom("Allow", "Deny") as fc.Arbitrary<"Allow" | "Deny">,
        actions: fc.uniqueArray(fc.constantFrom(...REAL_ACTIONS), { minLength: 1, maxLength: 3 }),
        resources: fc.uniqueArray(
          fc.oneof(
            word(3, 12).map((b) => arnOf(ctx, "s3", `::${b}-bucket/*`).replace("s3:::", "s3:::")),
            word(3, 12).map((b) => `arn:${ctx.partition}:s3:::${b}-site/home/\${aws:username}/*`),
            word(3, 12).map((t) => `arn:${ctx.partition}:dynamodb:${ctx.region}:${account}:table/${t}`),
            word(3, 12).map((q) => `arn:${ctx.partition}:sqs:${ctx.region}:${account}:${q}`),
            fc.constant(`arn:${ctx.partition}:ssm:${ctx.region}:${account}:parameter/app/%{weird}/x`),
          ),
          { minLength: 1, maxLength: 3 },
        ),
        conditions: fc.oneof(
          fc.constant({ StringEquals: { "aws:RequestedRegion": ctx.region } }),
          cidr.map((c) => ({ IpAddress: { "aws:SourceIp": [c] } })),
          fc.constant({ StringLike: { "s3:prefix": ["home/${aws:username}/*", "shared/"] } }),
          fc.constant({ Bool: { "aws:SecureTransport": "true" } }),
        ),
      },
      { requiredKeys: ["actions", "resources"] },
    )
    .map((s) => (s.effect === "Deny" ? { ...s } : s));

const grants = (ctx: Ctx, account: string): fc.Arbitrary<Grants> =>
  fc.record(
    {
      ecrPush: fc.record(
        {
          repositories: fc.uniqueArray(fc.oneof(word(2, 12), fc.tuple(word(1, 6), word(1, 6)).map(([a, b]) => `${a}/${b}`), word(2, 8).map((w) => `${w}.web_app-x`)), { minLength: 1, maxLength: 3 }),
          immutableTags: fc.boolean(),
          // pullOnly and createRepositories exclude each other: pick one of the two.
          mode: fc.constantFrom("push", "pull", "create"),
        },
        { requiredKeys: ["repositories"] },
      ).map(({ mode, ...g }) => ({ ...g, ...(mode === "pull" ? { pullOnly: true } : mode === "create" ? { createRepositories: true } : {}) })),
      terraformState: fc.record(
        {
          level: fc.constantFrom("plan", "apply") as fc.Arbitrary<"plan" | "apply">,
          bucket: word(3, 20).map((w) => `${w}-tfstate`),
          where: fc.oneof(word(1, 10).map((k) => ({ key: `${k}/terraform.tfstate` })), word(1, 10).map((p) => ({ prefix: `${p}/` }))),
          lockTable: word(3, 12).map((t) => `${t}-locks`),
          kmsKeyArn: fc.uuid({ version: 4 }).map((u) => `arn:${ctx.partition}:kms:${ctx.region}:${account}:key/${u}`),
          workspaceKeyPrefix: fc.constantFrom("env:", "workspaces"),
        },
        { requiredKeys: ["level", "bucket", "where"] },
      ).map(({ where, ...g }) => ({ ...g, ...where })),
      terraformPlan: fc.oneof(
        // Planning this stack: its own state (prefix covers every account's key).
        fc.record({ lockTable: word(3, 12).map((t) => `${t}-locks`) }, { requiredKeys: [] }).map((g) => ({ bucket: ctx.stateBucket, prefix: ctx.statePrefix, ...g })),
        fc.record(
          {
            bucket: word(3, 20).map((w) => `${w}-plans`),
            key: word(1, 10).map((k) => `${k}/terraform.tfstate`),
            managedPolicy: fc.constantFrom("ReadOnlyAccess", "ViewOnlyAccess", "SecurityAudit", `arn:${ctx.partition}:iam::aws:policy/ReadOnlyAccess`),
            readObjectsIn: fc.uniqueArray(word(3, 12).map((w) => `${w}-objects`), { minLength: 1, maxLength: 2 }),
          },
          { requiredKeys: ["bucket", "key", "managedPolicy"] },
        ),
      ),
      s3Deploy: fc.record(
        {
          bucket: word(3, 20).map((w) => `${w}-site`),
          prefix: fc.constantFrom("docs/", "a/b/", "${aws:username}/"),
          delete: fc.boolean(),
          cloudFrontDistributionId: DISTRIBUTION_ID,
        },
        { requiredKeys: ["bucket"] },
      ),
      statements: fc.array(statement(ctx, account), { minLength: 1, maxLength: 2 }),
    },
    { requiredKeys: [] },
  );

/** A repository (and maybe environments, named from `envNames`). */
const repository = (envNames: readonly string[]): fc.Arbitrary<NonNullable<RoleConfig["repositories"]>[number]> =>
  fc.record(
    {
      uuid,
      name: fc.constantFrom("web-app", "infra-live", "日本-repo", "site"),
      environments: fc.uniqueArray(fc.record({ uuid, name: fc.constantFrom(...envNames) }), { minLength: 1, maxLength: 2, selector: (e) => e.uuid.replace(/[{}]/g, "").toLowerCase() }),
    },
    { requiredKeys: ["uuid"] },
  );

/** The role fields besides the name (also what an override may change). */
const roleFields = (ctx: Ctx, account: string, envNames: readonly string[]): fc.Arbitrary<Omit<RoleConfig, "name">> =>
  fc
    .record(
      {
        description,
        path: fc.constantFrom("/", "/bitbucket/", "/a.b/c-d/"),
        maxSessionDuration: fc.integer({ min: 3600, max: 43200 }),
        permissionsBoundary: fc.constant(`arn:${ctx.partition}:iam::${account}:policy/boundary`),
        managedPolicyArns: managedPolicyArns(ctx, account),
        statements: fc.array(statement(ctx, account), { minLength: 1, maxLength: 2 }),
        inlinePolicies: fc.dictionary(fc.constantFrom("extra", "read.only", "x+y", "constructor"), fc.array(statement(ctx, account), { minLength: 1, maxLength: 1 }), { minKeys: 1, maxKeys: 2 }),
        tags,
        sourceIps: fc.uniqueArray(cidr, { minLength: 1, maxLength: 3 }),
        audiences: fc.subarray([...ctx.audiences], { minLength: 1 }),
        trust: fc.oneof(
          { weight: 9, arbitrary: fc.uniqueArray(repository(envNames), { minLength: 1, maxLength: 3, selector: (r) => r.uuid.replace(/[{}]/g, "").toLowerCase() }).map((repositories) => ({ repositories })) },
          { weight: 1, arbitrary: fc.constant({ anyRepositoryInWorkspace: true as const }) },
        ),
        acknowledge: fc.constant([{ rule: "BBO-P003" as const, reason: "reviewed: reads only" }]),
        grants: grants(ctx, account),
      },
      { requiredKeys: ["trust"] },
    )
    .map(({ trust, ...rest }) => ({ ...rest, ...trust }));

const role = (ctx: Ctx, account: string, envNames: readonly string[], name: fc.Arbitrary<string> = roleName): fc.Arbitrary<RoleConfig> =>
  fc.tuple(name, roleFields(ctx, account, envNames)).map(([n, fields]) => ({ name: n, ...fields }));

const provider = (ctx: Ctx, custom: boolean, account: string): fc.Arbitrary<ProviderInput> =>
  fc.record(
    {
      thumbprints: fc.oneof(fc.constantFrom("none", "tls") as fc.Arbitrary<"none" | "tls">, fc.uniqueArray(THUMBPRINT, { minLength: 1, maxLength: 5 })),
      preventDestroy: fc.boolean(),
      tags,
      existing: fc.constant(`arn:${ctx.partition}:iam::${account}:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc`),
      ...(custom ? { audiences: fc.constant([...ctx.audiences]) } : {}),
    },
    { requiredKeys: custom ? ["audiences"] : [] },
  ).map(({ existing, ...p }) => p as ProviderInput);

/** Options for {@link wildConfig}. */
export interface WildOptions {
  /** Only these partitions. @default all three */
  readonly partitions?: readonly Partition[];
  /** Force `accounts:` (true) or `aws:` (false). @default either */
  readonly accounts?: boolean;
}

/** A config meant to be legal, across the whole schema. */
export function wildConfig(options: WildOptions = {}): fc.Arbitrary<BitbucketOidcConfigInput> {
  const partitions = options.partitions ?? (Object.keys(PARTITION_REGIONS) as Partition[]);
  return fc
    .record({
      partition: fc.constantFrom(...partitions),
      regionIndex: fc.nat(),
      stack: fc.oneof(fc.constantFrom("bitbucket-oidc", "B2", "x_1-y"), fc.tuple(chars("abcxyzABCXYZ", 1, 1), chars(IDENT_TAIL, 0, 20)).map(([a, b]) => a + b)),
      slug: fc.oneof(fc.constant("acme"), fc.tuple(chars("abcxyz0189", 1, 1), chars("abcxyz0189_-", 0, 20)).map(([a, b]) => a + b)),
      workspaceUuid: uuid,
      customAudiences: fc.option(fc.uniqueArray(fc.constantFrom("ari:cloud:bitbucket::workspace/custom", "sts.amazonaws.com", "api://my-app", "aud-${x}"), { minLength: 1, maxLength: 3 }), { nil: undefined }),
      accountIds: fc.uniqueArray(accountId, { minLength: 3, maxLength: 3 }),
      stateBucket: word(3, 20).map((w) => `${w}-state`),
      stateFolder: fc.option(word(1, 10), { nil: undefined }),
      useAccounts: options.accounts === undefined ? fc.boolean() : fc.constant(options.accounts),
      seed: fc.nat(),
    })
    .chain((top) => {
      const regions = PARTITION_REGIONS[top.partition];
      const region = regions[top.regionIndex % regions.length];
      const folder = top.stateFolder ?? top.stack;
      const audiences = top.customAudiences ?? [`ari:cloud:bitbucket::workspace/${top.workspaceUuid.replace(/[{}]/g, "").toLowerCase()}`];
      const ctx: Ctx = { partition: top.partition, region, accountIds: top.accountIds, stateBucket: top.stateBucket, statePrefix: `${folder}/`, audiences };
      const state = fc.record(
        {
          encrypt: fc.constant(true),
          kmsKeyId: fc.constantFrom("alias/terraform-state", `arn:${top.partition}:kms:${region}:${top.accountIds[0]}:alias/tf`),
          useLockfile: fc.boolean(),
          dynamodbTable: fc.constantFrom("terraform-locks", "tf.locks_1"),
          workspaceKeyPrefix: fc.constantFrom("workspaces", "env:"),
          usePathStyle: fc.boolean(),
          bootstrap: fc.boolean(),
          bootstrapBackend: fc.constantFrom("local", "s3") as fc.Arbitrary<"local" | "s3">,
          assumeRoleArn: fc.constant(`arn:${top.partition}:iam::${top.accountIds[0]}:role/terraform-state`),
        },
        { requiredKeys: [] },
      ).map((s) => ({
        bucket: top.stateBucket,
        region,
        ...(top.stateFolder !== undefined ? { key: `${folder}/terraform.tfstate` } : {}),
        ...s,
        ...(s.bootstrap === true ? {} : { bootstrapBackend: undefined }),
        // Without any lock, synth warns; keep one lock so the warning is not the whole story.
        ...(s.useLockfile === false && s.dynamodbTable === undefined ? { useLockfile: true } : {}),
      }));
      const quotas = fc.option(fc.record({ trustPolicySize: fc.constantFrom(2048, 4096), managedPoliciesPerRole: fc.constantFrom(10, 20), rolesPerAccount: fc.constantFrom(1000, 5000) }, { requiredKeys: [] }), { nil: undefined });
      const base = {
        version: fc.option(fc.constant(1 as const), { nil: undefined }),
        workspace: fc.record({ name: fc.constantFrom("Acme Corp", "日本", "a&b <c>") }, { requiredKeys: [] }),
        state,
        quotas,
      };
      const uniqueRoles = (account: string, envNames: readonly string[], min: number, max: number): fc.Arbitrary<RoleConfig[]> =>
        fc.uniqueArray(role(ctx, account, envNames), { minLength: min, maxLength: max, selector: (r) => nameKey(r.name) });
      const finish = (extra: Partial<BitbucketOidcConfigInput>) => (b: { version?: 1; workspace: { name?: string }; state: BitbucketOidcConfigInput["state"]; quotas?: BitbucketOidcConfigInput["quotas"] }): BitbucketOidcConfigInput => ({
        ...(b.version !== undefined ? { version: b.version } : {}),
        stack: top.stack,
        workspace: { slug: top.slug, uuid: top.workspaceUuid, ...b.workspace },
        state: b.state,
        ...(b.quotas ? { quotas: b.quotas } : {}),
        ...extra,
      });

      if (!top.useAccounts) {
        const account = top.accountIds[0];
        return fc
          .record({
            ...base,
            aws: fc.record(
              {
                accountId: fc.constant(account),
                assumeRoleArn: fc.constant(`arn:${top.partition}:iam::${account}:role/terraform`),
                defaultTags: tags,
              },
              { requiredKeys: ["accountId"] },
            ),
            provider: fc.option(provider(ctx, top.customAudiences !== undefined, account), { nil: undefined }),
            roles: uniqueRoles(account, ["production", "staging", "prod-eu"], 1, 3),
          })
          .map(({ aws, provider: p, roles, ...b }) =>
            finish({ aws: { region, ...aws }, ...(p ? { provider: p } : top.customAudiences ? { provider: { audiences: [...audiences] } } : {}), roles })(b),
          );
      }

      // accounts: names include "state"-like and digit-first ones; each serves its own environments.
      const accountNames = fc.uniqueArray(fc.oneof(fc.constantFrom("prod", "staging", "0", "dev-1", "state", "constructor"), fc.tuple(chars("abcxyz0189", 1, 1), chars("abcxyz0189-", 0, 10)).map(([a, b]) => a + b)), { minLength: 1, maxLength: 3 });
      return fc
        .tuple(fc.record(base), accountNames, fc.option(provider(ctx, top.customAudiences !== undefined, top.accountIds[0]), { nil: undefined }))
        .chain(([b, names, topProvider]) => {
          const accountArb = (name: string, i: number): fc.Arbitrary<AccountInput> =>
            fc.record(
              {
                assumeRoleArn: fc.constant(`arn:${top.partition}:iam::${top.accountIds[i]}:role/terraform`),
                defaultTags: tags,
                environments: fc.constant([`${name}-env`]),
                provider: fc.record({ tags, preventDestroy: fc.boolean() }, { requiredKeys: [] }),
                roles: uniqueRoles(top.accountIds[i], [`${name}-env`, "unmapped"], 1, 2),
              },
              { requiredKeys: [] },
            ).map((a) => ({ id: top.accountIds[i], name, region, ...a }));
          return fc
            .tuple(
              fc.tuple(...names.map(accountArb)),
              // Shared roles trust environments no account serves (or none), so they fit every account.
              uniqueRoles("ACCOUNT", ["unmapped", "shared-env"], 0, 3),
              fc.array(fc.tuple(fc.nat(), fc.nat(), roleFields(ctx, "ACCOUNT", ["unmapped"])), { maxLength: 3 }),
              fc.array(fc.tuple(fc.nat(), fc.subarray(names, { minLength: 1 })), { maxLength: 2 }),
            )
            .map(([accounts, shared, overrides, limits]) => {
              // Account-specific ARNs in shared roles name the first account: put them per account through overrides instead.
              const sharedRoles = shared.map((r) => stripAccountArns(r));
              const taken = new Set(accounts.flatMap((a) => (a.roles ?? []).map((r) => nameKey(r.name))));
              const kept = sharedRoles.filter((r) => !taken.has(nameKey(r.name)));
              for (const [i, only] of limits) if (kept.length > 0) kept[i % kept.length] = { ...kept[i % kept.length], accounts: only };
              const withOverrides = accounts.map((a, ai) => {
                const mine = overrides.filter(([, acc]) => acc % accounts.length === ai && kept.length > 0);
                const o: Record<string, Partial<RoleConfig>> = {};
                for (const [r, , fields] of mine) {
                  const target = kept[r % kept.length];
                  if (target.accounts && !target.accounts.includes(a.name)) continue;
                  const { anyRepositoryInWorkspace: _any, repositories, ...change } = JSON.parse(JSON.stringify(fields).replace(/ACCOUNT/g, a.id)) as RoleConfig;
                  o[target.name] = target.anyRepositoryInWorkspace || !repositories ? change : { ...change, repositories };
                }
                return Object.keys(o).length > 0 ? { ...a, overrides: o } : a;
              });
              return finish({
                accounts: withOverrides,
                ...(topProvider ? { provider: topProvider } : top.customAudiences ? { provider: { audiences: [...audiences] } } : {}),
                ...(kept.length > 0 ? { roles: kept } : {}),
              })(b);
            });
        });
    });
}

/** Shared roles may not name one account's ARNs: drop the fields that would. */
function stripAccountArns(r: RoleConfig): RoleConfig {
  const text = JSON.stringify(r);
  if (!text.includes("ACCOUNT")) return r;
  const { permissionsBoundary: _b, managedPolicyArns, statements, inlinePolicies: _i, grants: g, ...rest } = r;
  const awsManaged = (managedPolicyArns ?? []).filter((a) => a.includes(":iam::aws:policy/"));
  const { statements: _s, terraformState: _t, ...grantsLeft } = g ?? {};
  const out: RoleConfig = { ...rest, ...(awsManaged.length ? { managedPolicyArns: awsManaged } : {}), ...(g ? { grants: grantsLeft } : {}) };
  void statements;
  return JSON.stringify(out).includes("ACCOUNT") ? { ...out, grants: undefined } : out;
}

/** One way to break a config that must be refused with exit 2: what was done, and the broken config. */
export interface Mutation {
  readonly what: string;
  readonly config: unknown;
}

/** Every object path of a value (for typo'd keys at any depth), as key lists. */
function objectPaths(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(value)) value.forEach((v, i) => objectPaths(v, [...at, i], out));
  else if (value && typeof value === "object") {
    out.push(at);
    for (const [k, v] of Object.entries(value)) objectPaths(v, [...at, k], out);
  }
  return out;
}

/** Every string leaf that holds a UUID, by path. */
function uuidPaths(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(value)) value.forEach((v, i) => uuidPaths(v, [...at, i], out));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) uuidPaths(v, [...at, k], out);
  else if (typeof value === "string" && at[at.length - 1] === "uuid") out.push(at);
  return out;
}

/** Keys of objects whose keys are user data (tags, conditions, inline policy names, overrides by role name): a new key there is not a typo. */
const FREE_KEYED = new Set(["tags", "defaultTags", "conditions", "inlinePolicies", "overrides", "StringEquals", "StringLike", "IpAddress", "Bool"]);

function getAt(root: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root);
}

/** Typo'd keys are not free-form when the parent is a map of user data, or an override's role fields map. */
function acceptsTypo(path: readonly (string | number)[]): boolean {
  const last = path[path.length - 1];
  if (typeof last === "string" && FREE_KEYED.has(last)) return false;
  // conditions.<operator> is a map of condition keys (user data).
  if (path.length >= 2 && path[path.length - 2] === "conditions") return false;
  return true;
}

/** Known keys that a typo is made of, per position: the config's own keys, misspelled. */
const misspell = (key: string, n: number): string => {
  const i = n % Math.max(key.length, 1);
  const swapped = key.length > 1 ? key.slice(0, i) + key.slice(i + 1) : `${key}x`;
  return swapped === key || swapped.length === 0 ? `${key}s` : swapped;
};

/** A wrong type for a known field: a number for a string, a string for a list or object. */
function wrongType(value: unknown): unknown {
  if (typeof value === "string") return 42;
  if (typeof value === "number" || typeof value === "boolean") return "yes";
  if (Array.isArray(value)) return "not-a-list";
  return ["not", "an", "object"];
}

/** Breaks a legal config in one way: a typo'd key at any depth, a wrong type, or a wildcard in a UUID. */
export function invalidMutation(config: BitbucketOidcConfigInput): fc.Arbitrary<Mutation> {
  const objects = objectPaths(config).filter(acceptsTypo);
  // Keys with an undefined value are not written (YAML, JSON): a typo there would change nothing.
  const typoable = objects.flatMap((p) =>
    Object.entries(getAt(config, p) as object)
      .filter(([, value]) => value !== undefined)
      .map(([k]) => [...p, k]),
  );
  const fields = typoable.filter((p) => !FREE_KEYED.has(String(p[p.length - 2])) && !(p.length >= 3 && p[p.length - 3] === "conditions") && !(p.length >= 2 && p[p.length - 2] === "overrides"));
  const uuids = uuidPaths(config);
  const clone = (): BitbucketOidcConfigInput => structuredClone(config) as BitbucketOidcConfigInput;
  const options: fc.Arbitrary<Mutation>[] = [];
  if (fields.length > 0) {
    options.push(
      fc.tuple(fc.constantFrom(...fields), fc.nat()).map(([path, n]) => {
        const c = clone();
        const parent = getAt(c, path.slice(0, -1)) as Record<string, unknown>;
        const key = String(path[path.length - 1]);
        let typo = misspell(key, n);
        while (typo in parent) typo = `${typo}x`;
        parent[typo] = parent[key];
        delete parent[key];
        return { what: `typo ${path.slice(0, -1).join(".")}.${key} -> ${typo}`, config: c };
      }),
      fc.constantFrom(...fields).map((path) => {
        const c = clone();
        const parent = getAt(c, path.slice(0, -1)) as Record<string, unknown>;
        const key = String(path[path.length - 1]);
        parent[key] = wrongType(parent[key]);
        return { what: `wrong type at ${path.join(".")}: ${JSON.stringify(parent[key])}`, config: c };
      }),
      // An unknown key added next to known ones (the "enviroments" typo of issue 15).
      fc.constantFrom(...objects).map((path) => {
        const c = clone();
        const parent = getAt(c, path) as Record<string, unknown>;
        parent.enviroments = [];
        return { what: `unknown key ${[...path, "enviroments"].join(".")}`, config: c };
      }),
    );
  }
  if (uuids.length > 0) {
    options.push(
      fc.tuple(fc.constantFrom(...uuids), fc.constantFrom("*", "?")).map(([path, wildcard]) => {
        const c = clone();
        const parent = getAt(c, path.slice(0, -1)) as Record<string, unknown>;
        const value = String(parent.uuid);
        parent.uuid = `${value.slice(0, -5)}${wildcard}${value.slice(-4)}`;
        return { what: `wildcard in ${path.join(".")}: ${String(parent.uuid)}`, config: c };
      }),
    );
  }
  return fc.oneof(...options);
}

/**
 * Runs per property: the default in `npm test`; with `WILD_RUNS` (`npm run test:wild`), that many
 * times `share` (properties that start servers or terraform per config take a share of it).
 */
export function wildRuns(defaultRuns: number, share = 1): number {
  const n = Number(process.env.WILD_RUNS);
  return Number.isInteger(n) && n > 0 ? Math.max(defaultRuns, Math.round(n * share)) : propertyRuns(defaultRuns);
}

/** A jest timeout for `runs` runs of about `msPerRun` each, with headroom for a busy machine. */
export function wildTimeout(runs: number, msPerRun: number): number {
  return Math.max(60_000, runs * msPerRun * 3);
}

/** The fixed seed of the wild properties (`WILD_SEED` overrides it to reproduce a report). */
export function wildSeed(): number {
  const n = Number(process.env.WILD_SEED);
  return Number.isInteger(n) ? n : 20261203;
}
