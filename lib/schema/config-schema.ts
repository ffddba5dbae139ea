/**
 * The config file's shape, written once: the JSON Schema of bitbucket-oidc.yaml. Everything else is
 * derived from it: `npm run schema` (scripts/schema.js) writes the published
 * bitbucket-oidc.schema.json and the TypeScript types lib/schema/config-types.ts, and the config
 * loader validates with it. `npm run schema -- --check` (run by test/config/schema-source.test.ts)
 * fails when either generated file is stale. Every object is closed (`additionalProperties: false`)
 * except the maps whose keys are the user's own names (tags, inline policy names, condition keys).
 */

/** An AWS region name. */
const REGION = { type: "string", pattern: "^[a-z]{2}(-[a-z]+)+-\\d$", examples: ["us-east-1"] } as const;

/** A Bitbucket UUID (workspace, repository, environment). */
const UUID = { type: "string", examples: ["{0f3c7a52-6c1e-4f0b-9d5e-2b8a1c9e7d40}"] } as const;

/** Tags: key -> value. */
const TAGS = { type: "object", additionalProperties: { type: "string" } } as const;

/** IAM's condition operators (Null takes no IfExists), each also with ForAllValues: or ForAnyValue:. */
const CONDITION_OPERATORS: readonly string[] = (() => {
  const comparisons = ["Equals", "NotEquals", "LessThan", "LessThanEquals", "GreaterThan", "GreaterThanEquals"];
  const base = [
    ...["Equals", "NotEquals", "EqualsIgnoreCase", "NotEqualsIgnoreCase", "Like", "NotLike"].map((c) => `String${c}`),
    ...comparisons.map((c) => `Numeric${c}`),
    ...comparisons.map((c) => `Date${c}`),
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    ...["Equals", "Like", "NotEquals", "NotLike"].map((c) => `Arn${c}`),
  ];
  const operators = [...base.flatMap((o) => [o, `${o}IfExists`]), "Null"];
  return ["", "ForAllValues:", "ForAnyValue:"].flatMap((prefix) => operators.map((o) => `${prefix}${o}`));
})();

/** The state location keys shared by the terraformState and terraformPlan grants (TerraformStateLocation). */
const STATE_LOCATION_PROPERTIES = {
  bucket: { description: "State bucket name (not an ARN).", type: "string", examples: ["acme-terraform-state"] },
  key: { description: "State object key (the backend's key). Give key or prefix.", type: "string", examples: ["web-app/terraform.tfstate"] },
  prefix: { description: "Key prefix ending in / covering several states. Give key or prefix.", type: "string", examples: ["team-a/"] },
  useLockfile: { description: "Locking through <key>.tflock (the backend's use_lockfile). Default: true.", type: "boolean" },
  lockTable: { description: "DynamoDB lock table name (the backend's dynamodb_table), in aws.region.", type: "string", examples: ["terraform-locks"] },
  kmsKeyArn: {
    description: "KMS key ARN of an SSE-KMS encrypted bucket (an alias does not work in IAM policies).",
    type: "string",
    examples: ["arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-44cd-96ef-1234567890ab"],
  },
  workspaceKeyPrefix: { description: "The backend's workspace_key_prefix, listed by terraform init. Default: env:.", type: "string", examples: ["env:"] },
  listPrefixOnly: {
    description:
      "Opt-in: allow s3:ListBucket on the state bucket only under an s3:prefix condition (the key or prefix, and the workspace prefix). Trade-off: the state object must exist before the first terraform init (S3 answers a HeadObject of a missing key with 403 instead of 404 without an unconditional ListBucket). Default: false (the role may list the bucket's key names, never read other contents).",
    type: "boolean",
  },
} as const;

/** The keys of a role: `roles[]`, `accounts[].roles[]`, and (but `name`, `accounts`) `accounts[].overrides.<role>`. */
const ROLE_PROPERTIES = {
  name: { description: "IAM role name (1-64 of letters, digits, _+=,.@-).", type: "string", examples: ["bitbucket-deploy"] },
  description: { description: "The role's IAM description.", type: "string" },
  path: { description: "IAM path. Default: /.", type: "string" },
  maxSessionDuration: { description: "Seconds, 3600-43200. Default 3600.", type: "integer" },
  permissionsBoundary: { description: "ARN of a permissions boundary policy.", type: "string" },
  managedPolicyArns: { description: "ARNs of managed policies to attach.", type: "array", items: { type: "string" } },
  statements: { description: "Inline policy statements (the policy named permissions).", type: "array", items: { $ref: "#/definitions/statement" } },
  inlinePolicies: {
    description: "More inline policies, by name.",
    type: "object",
    additionalProperties: { type: "array", items: { $ref: "#/definitions/statement" } },
  },
  tags: { ...TAGS, description: "Tags on the role." },
  sourceIps: { description: "aws:SourceIp ranges the step must come from.", type: "array", items: { type: "string" } },
  audiences: { description: "Accepted aud values, a subset of the provider's. Default: all of them.", type: "array", items: { type: "string" } },
  repositories: { description: "The repositories (by UUID) whose steps may assume the role.", type: "array", items: { $ref: "#/definitions/repository" } },
  accounts: {
    description: "With accounts: the accounts (by name) that get this shared role. Default: every account.",
    type: "array",
    items: { type: "string" },
    minItems: 1,
  },
  environmentAccountOverride: { description: "Why this role may trust a deployment environment that accounts: maps to another account.", type: "string" },
  anyRepositoryInWorkspace: { description: "Explicit opt-in: EVERY repository of the workspace may assume this role. Reported at every synth.", type: "boolean" },
  adopt: {
    description: "Import the existing role of this name, its inline policies and managed-policy attachments (Terraform import blocks) instead of creating it. Remove after the first apply. Default: false.",
    type: "boolean",
  },
  acknowledge: {
    description: "Guardrail findings accepted for this role, each with a written reason; shown at every synth and in access-model.json.",
    type: "array",
    items: {
      title: "Acknowledgement",
      description: "A guardrail finding accepted for this role, with the reason.",
      type: "object",
      additionalProperties: false,
      required: ["rule", "reason"],
      properties: {
        rule: {
          description: "Guardrail id (see docs/guardrails.md).",
          type: "string",
          enum: ["BBO-T001", "BBO-T002", "BBO-T003", "BBO-P001", "BBO-P002", "BBO-P003", "BBO-Q001", "BBO-Q002"],
        },
        reason: { description: "Why the finding is acceptable for this role.", type: "string" },
      },
    },
  },
  grants: { description: "Permission grants for the jobs this role's pipelines run (README, Permission grants).", allOf: [{ $ref: "#/definitions/grants" }] },
} as const;

/** What an override may change: every key of a role but its name and the accounts it is shared with. */
const ROLE_OVERRIDE_PROPERTIES = omit(ROLE_PROPERTIES, ["name", "accounts"]);

/** The JSON Schema (draft-07) of the config file. */
export const CONFIG_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://github.com/cdktf-bitbucket-oidc/cdktf-bitbucket-oidc/bitbucket-oidc.schema.json",
  title: "cdktf-bitbucket-oidc configuration",
  description: "Bitbucket Pipelines OIDC to AWS IAM: one identity provider per workspace, and roles that only the named repositories and deployment environments can assume.",
  type: "object",
  additionalProperties: false,
  required: ["stack", "workspace", "state"],
  properties: {
    version: { description: "Config format version. Only 1 exists; reserved for future formats.", const: 1 },
    stack: {
      description: "Stack name: the output goes to cdktf.out/stacks/<stack>/cdk.tf.json.",
      type: "string",
      pattern: "^[A-Za-z][A-Za-z0-9_-]{0,63}$",
      examples: ["bitbucket-oidc"],
    },
    workspace: {
      description: "The Bitbucket workspace whose pipelines assume the roles.",
      type: "object",
      additionalProperties: false,
      required: ["slug", "uuid"],
      properties: {
        slug: { description: "Workspace slug, as in bitbucket.org/<slug>/.", type: "string", examples: ["acme"] },
        uuid: { ...UUID, description: "Workspace UUID (Repository settings -> Pipelines -> OpenID Connect)." },
        name: { description: "A readable name for reports.", type: "string" },
      },
    },
    aws: {
      description: "The one AWS account and region the stack deploys to: the shorthand for a single account (use accounts: for several).",
      type: "object",
      additionalProperties: false,
      required: ["region"],
      properties: {
        region: { ...REGION, description: "AWS region." },
        accountId: {
          description: "The 12-digit account id. When set, Terraform refuses to apply to any other account. Default: the caller's account.",
          type: "string",
          examples: ["123456789012"],
        },
        assumeRoleArn: {
          description: "A role Terraform assumes to reach the account (assume_role on the AWS provider).",
          type: "string",
          examples: ["arn:aws:iam::123456789012:role/terraform"],
        },
        defaultTags: { ...TAGS, description: "Tags the AWS provider puts on every resource." },
      },
    },
    accounts: {
      description: "Several AWS accounts, one stack each (cdktf.out/stacks/<stack>-<account name>/), instead of aws:.",
      type: "array",
      minItems: 1,
      items: { $ref: "#/definitions/account" },
    },
    state: {
      description: "Terraform's S3 remote-state backend.",
      type: "object",
      additionalProperties: false,
      required: ["bucket", "region"],
      properties: {
        bucket: { description: "State bucket name (S3 naming rules).", type: "string", examples: ["acme-terraform-state"] },
        key: { description: "State object key. Default: <stack>/terraform.tfstate.", type: "string", examples: ["bitbucket-oidc/terraform.tfstate"] },
        region: { ...REGION, description: "AWS region." },
        encrypt: { description: "Server-side encryption of the state object. Default: true.", type: "boolean" },
        kmsKeyId: {
          description: "KMS key for the state object and the bootstrap bucket's default encryption: a key or alias ARN, or alias/<name>. Default: none (SSE-S3).",
          type: "string",
          examples: ["alias/terraform-state"],
        },
        useLockfile: {
          description: "S3-native state locking with a .tflock object (Terraform >= 1.11). Default: true. Turning it off without a dynamodbTable leaves the state unlocked (synth warns).",
          type: "boolean",
        },
        dynamodbTable: {
          description: "DynamoDB lock table (hash key LockID, string). With useLockfile too, Terraform takes both locks: the migration path from DynamoDB locking. The bootstrap stack creates it. Default: none.",
          type: "string",
          examples: ["terraform-locks"],
        },
        workspaceKeyPrefix: { description: "Key prefix of non-default Terraform workspaces. Default: env:.", type: "string", examples: ["workspaces"] },
        endpoints: {
          description: "Endpoints of an S3-compatible store (MinIO, Ceph, LocalStack) or of VPC endpoints. Default: AWS's.",
          type: "object",
          additionalProperties: false,
          properties: {
            s3: { description: "S3 endpoint URL.", type: "string", examples: ["https://minio.example.com:9000"] },
            dynamodb: { description: "DynamoDB endpoint URL, for dynamodbTable locking.", type: "string" },
            sts: { description: "STS endpoint URL.", type: "string" },
            iam: { description: "IAM endpoint URL.", type: "string" },
          },
        },
        usePathStyle: { description: "Path-style URLs (<endpoint>/<bucket>/<key>), as most S3-compatible stores need. Default: false.", type: "boolean" },
        assumeRoleArn: {
          description: "Role Terraform assumes for state access, emitted as assume_role { role_arn }. Default: none.",
          type: "string",
          examples: ["arn:aws:iam::123456789012:role/terraform-state"],
        },
        bootstrap: {
          description: "Also synthesize the stack <stack>-state, which creates the bucket (versioned, encrypted, private, TLS only) and the dynamodbTable if named. Default: false.",
          type: "boolean",
        },
        bootstrapBackend: {
          description: "Where <stack>-state keeps its own state: local for the first apply, s3 once terraform init -migrate-state has moved it into the bucket (key <stack>-state/terraform.tfstate). Default: local.",
          enum: ["local", "s3"],
        },
      },
    },
    provider: { description: "The IAM OIDC identity provider for the workspace.", allOf: [{ $ref: "#/definitions/provider" }] },
    quotas: {
      description: "IAM quotas raised for the account (Service Quotas).",
      type: "object",
      additionalProperties: false,
      properties: {
        trustPolicySize: { description: "Role trust policy size. Default 2048, at most 4096.", type: "integer" },
        managedPoliciesPerRole: { description: "Managed policies per role. Default 10, at most 20.", type: "integer" },
        rolesPerAccount: { description: "IAM roles per account. Default 1000, at most 5000.", type: "integer" },
      },
    },
    roles: { description: "The roles pipelines assume.", type: "array", minItems: 1, items: { $ref: "#/definitions/role" } },
  },
  definitions: {
    provider: {
      description: "The IAM OIDC identity provider's settings (top level, or per account).",
      type: "object",
      additionalProperties: false,
      properties: {
        thumbprints: {
          description: "none: IAM verifies the issuer through its trusted CAs (default); tls: computed at plan time; or a list of SHA-1 thumbprints. Default: none.",
          oneOf: [{ type: "string", enum: ["none", "tls"] }, { type: "array", items: { type: "string" }, minItems: 1, maxItems: 5 }],
        },
        existingArn: { description: "Use a provider that already exists (made by hand) instead of creating one.", type: "string" },
        adopt: {
          description: "With existingArn: import the existing provider (a Terraform import block) and manage it from now on. Default: false (only reference it).",
          type: "boolean",
        },
        audiences: {
          description: "Custom audiences (oidc: audiences: [...] on steps). Default: ari:cloud:bitbucket::workspace/<uuid>.",
          type: "array",
          items: { type: "string" },
          minItems: 1,
        },
        preventDestroy: { description: "Terraform prevent_destroy on the provider. Default: true.", type: "boolean" },
        tags: { ...TAGS, description: "Tags on the provider." },
      },
    },
    account: {
      type: "object",
      additionalProperties: false,
      required: ["id", "name", "region"],
      properties: {
        id: { description: "The 12-digit account id, quoted.", type: "string", examples: ["111111111111"] },
        name: {
          description: "Short name: lower-case letters, digits and -; used in the stack name and the state key.",
          type: "string",
          pattern: "^[a-z0-9][a-z0-9-]{0,31}$",
          examples: ["prod"],
        },
        region: { ...REGION, description: "AWS region." },
        assumeRoleArn: {
          description: "A role Terraform assumes to reach this account (assume_role on the AWS provider).",
          type: "string",
          examples: ["arn:aws:iam::111111111111:role/terraform"],
        },
        defaultTags: { ...TAGS, description: "Tags the AWS provider puts on every resource of this account." },
        environments: {
          description: "Deployment environments (by name) this account serves: roles that trust them belong here.",
          type: "array",
          items: { type: "string" },
          examples: [["production"]],
        },
        provider: { description: "Provider settings for this account, over the top-level provider:.", allOf: [{ $ref: "#/definitions/provider" }] },
        roles: { description: "Roles of this account only.", type: "array", items: { $ref: "#/definitions/role" } },
        overrides: {
          description: "Per-account changes to shared roles, by role name: any role key but name.",
          type: "object",
          additionalProperties: { $ref: "#/definitions/roleOverride" },
        },
      },
    },
    environment: {
      type: "object",
      additionalProperties: false,
      required: ["uuid"],
      properties: {
        uuid: { ...UUID, description: "Deployment environment UUID." },
        name: { description: "The deployment name (a step's deployment:).", type: "string", examples: ["production"] },
      },
    },
    repository: {
      type: "object",
      additionalProperties: false,
      required: ["uuid"],
      properties: {
        uuid: { ...UUID, description: "Repository UUID." },
        name: { description: "A readable name for reports.", type: "string", examples: ["my-service"] },
        environments: {
          description: "Only steps deploying to these environments may assume the role. Default: every step of the repository.",
          type: "array",
          items: { $ref: "#/definitions/environment" },
        },
      },
    },
    statement: {
      type: "object",
      additionalProperties: false,
      required: ["actions", "resources"],
      properties: {
        sid: { description: "Statement id.", type: "string" },
        effect: { description: "Default: Allow.", type: "string", enum: ["Allow", "Deny"] },
        actions: { description: "IAM actions, e.g. s3:GetObject; every name is checked.", type: "array", items: { type: "string" } },
        resources: { description: "Resource ARNs.", type: "array", items: { type: "string" } },
        conditions: {
          description: "Condition operator -> condition key -> value or values, e.g. StringEquals: { aws:RequestedRegion: us-east-1 }.",
          type: "object",
          propertyNames: { description: "an IAM condition operator", enum: CONDITION_OPERATORS },
          additionalProperties: {
            type: "object",
            additionalProperties: { description: "a string or a list of strings", oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
          },
        },
      },
    },
    ecrPushGrant: {
      description: "What docker push and the atlassian/aws-ecr-push-image pipe need, on the named repositories of aws.accountId (default: the caller's account) in aws.region.",
      type: "object",
      additionalProperties: false,
      required: ["repositories"],
      properties: {
        repositories: { description: "ECR repository names (not ARNs).", type: "array", items: { type: "string" }, minItems: 1, examples: [["mydockerimage"]] },
        pullOnly: { description: "Only pull images. Default: false.", type: "boolean" },
        createRepositories: { description: "Also allow ecr:CreateRepository and ecr:DescribeRepositories on the named repositories. Default: false.", type: "boolean" },
        immutableTags: {
          description: "Deny ecr:PutImageTagMutability on the repositories, so tags cannot be switched back to mutable. Default: false.",
          type: "boolean",
        },
      },
    },
    terraformStateGrant: {
      description: "What Terraform's S3 backend needs for one state key (or prefix), at plan or apply level.",
      type: "object",
      additionalProperties: false,
      required: ["level", "bucket"],
      properties: {
        level: { description: "plan: list, read and lock the state; apply: also write it.", type: "string", enum: ["plan", "apply"] },
        ...STATE_LOCATION_PROPERTIES,
      },
      examples: [{ level: "apply", bucket: "acme-terraform-state", key: "web-app/terraform.tfstate" }],
    },
    terraformPlanGrant: {
      description: "The Terraform plan step: the state at plan level plus read access to what the Terraform manages.",
      type: "object",
      additionalProperties: false,
      required: ["bucket"],
      properties: {
        ...STATE_LOCATION_PROPERTIES,
        managedPolicy: {
          description: "Opt-in: an AWS managed policy (name or ARN) for reading what other stacks manage, e.g. ReadOnlyAccess; reported at synth. An explicit Deny then keeps the role out of every S3 object but its own state. Default: the IAM read actions on this stack's provider and roles.",
          type: "string",
          examples: ["ReadOnlyAccess"],
        },
        readObjectsIn: {
          description: "With managedPolicy: buckets whose objects the plan may still read (e.g. for aws_s3_object).",
          type: "array",
          items: { type: "string" },
        },
      },
      examples: [{ bucket: "acme-terraform-state", key: "bitbucket-oidc/terraform.tfstate" }],
    },
    s3DeployGrant: {
      description: "aws s3 sync of a site to a bucket (or prefix), optionally invalidating one CloudFront distribution.",
      type: "object",
      additionalProperties: false,
      required: ["bucket"],
      properties: {
        bucket: { description: "Site bucket name (not an ARN).", type: "string", examples: ["acme-site"] },
        prefix: { description: "Only under this key prefix, ending in /. Default: the whole bucket.", type: "string", examples: ["docs/"] },
        delete: { description: "Allow deleting objects (aws s3 sync --delete). Default: true.", type: "boolean" },
        cloudFrontDistributionId: { description: "CloudFront distribution id to invalidate after the sync.", type: "string", examples: ["E2QWRUHAPOMQZL"] },
      },
    },
    grants: {
      description: "Permission grants for the jobs this role's pipelines run, each an inline policy grant-<kind>, composed without duplicate statements.",
      type: "object",
      additionalProperties: false,
      properties: {
        ecrPush: { description: "docker push and the atlassian/aws-ecr-push-image pipe, on named ECR repositories.", allOf: [{ $ref: "#/definitions/ecrPushGrant" }] },
        terraformState: { description: "Terraform's S3 backend for one state, at plan or apply level.", allOf: [{ $ref: "#/definitions/terraformStateGrant" }] },
        terraformPlan: { description: "The Terraform plan step: the state at plan level plus read access.", allOf: [{ $ref: "#/definitions/terraformPlanGrant" }] },
        s3Deploy: { description: "aws s3 sync of a site, optionally invalidating one CloudFront distribution.", allOf: [{ $ref: "#/definitions/s3DeployGrant" }] },
        statements: {
          description: "Free-form statements (policy grant-statements); every action name is checked.",
          type: "array",
          items: { $ref: "#/definitions/statement" },
        },
      },
      examples: [{ ecrPush: { repositories: ["mydockerimage"] } }],
    },
    role: { type: "object", additionalProperties: false, required: ["name"], properties: ROLE_PROPERTIES },
    roleOverride: {
      description: "Changes to a shared role in one account: the role's own keys but name and accounts.",
      type: "object",
      additionalProperties: false,
      properties: ROLE_OVERRIDE_PROPERTIES,
    },
  },
} as const;

function omit<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Omit<T, K> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k as K))) as Omit<T, K>;
}
