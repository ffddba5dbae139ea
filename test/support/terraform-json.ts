/**
 * Test support: read roles and their policies out of synthesized cdk.tf.json (not construct
 * internals), with Terraform references resolved to the concrete values AWS would see.
 */
import { IamPolicyDocument } from "../../lib/iam/policy-document";
import { TerraformJson } from "./synth";

/** What the references resolve against. */
export interface ResolveContext {
  /** Account the stack applies to. */
  readonly accountId: string;
  /** Partition of the stack's provider: what `data.aws_partition` reads, and of the provider's and roles' ARNs. @default "aws" */
  readonly partition?: string;
  /** Region of regional resources a host stack references (ECR repositories, KMS keys). @default "us-east-1" */
  readonly region?: string;
}

/** The key id a host's `aws_kms_key` gets in resolved ARNs (AWS assigns one at apply). */
export const KMS_KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";

/** A role as read from Terraform JSON, every reference resolved. */
export interface TerraformRole {
  /** Terraform name, e.g. `bitbucket-deploy`. */
  readonly address: string;
  readonly name: string;
  readonly arn: string;
  readonly trustPolicy: IamPolicyDocument;
  readonly inlinePolicies: Record<string, IamPolicyDocument>;
  readonly managedPolicyArns: string[];
  readonly permissionsBoundary?: string;
  readonly maxSessionDuration?: number;
}

/** A reference `${...}`, or Terraform's escapes `$${` and `%%{` (literal `${` and `%{`). */
const REFERENCE = /\$\$\{|%%\{|\$\{([^}]+)\}/g;

/** Replaces every `${...}` reference in a string and unescapes `$${`/`%%{`; throws on a reference it cannot resolve. */
export function resolveReferences(json: TerraformJson, text: string, ctx: ResolveContext): string {
  return text.replace(REFERENCE, (match: string, expr: string | undefined) => (expr === undefined ? match.slice(1) : resolveExpression(json, expr.trim(), ctx)));
}

function resolveExpression(json: TerraformJson, expr: string, ctx: ResolveContext): string {
  const parts = expr.split(".");
  if (parts[0] === "data" && parts[1] === "aws_caller_identity" && parts[3] === "account_id") return ctx.accountId;
  if (parts[0] === "data" && parts[1] === "aws_partition" && parts[3] === "partition") return ctx.partition ?? "aws";
  const [type, name, attribute] = parts;
  const resource = json.resource?.[type]?.[name] ?? {};
  if (!json.resource?.[type]?.[name] && type !== "data") throw new Error(`unresolvable reference \${${expr}}: no resource ${type}.${name}`);
  if (type === "aws_iam_openid_connect_provider" && attribute === "arn") {
    return `arn:${ctx.partition ?? "aws"}:iam::${ctx.accountId}:oidc-provider/${String(resource.url).replace(/^https:\/\//, "")}`;
  }
  if (type === "data" && name === "aws_iam_openid_connect_provider" && parts[3] === "arn") {
    const source = json.data?.aws_iam_openid_connect_provider?.[parts[2]];
    if (source?.url) return `arn:${ctx.partition ?? "aws"}:iam::${ctx.accountId}:oidc-provider/${String(source.url).replace(/^https:\/\//, "")}`;
  }
  if (type === "aws_s3_bucket" && attribute === "arn") return `arn:${ctx.partition ?? "aws"}:s3:::${resolveReferences(json, String(resource.bucket), ctx)}`;
  if (type === "aws_s3_bucket" && (attribute === "id" || attribute === "bucket")) return resolveReferences(json, String(resource.bucket), ctx);
  if (type === "aws_ecr_repository" && attribute === "arn") return `arn:${ctx.partition ?? "aws"}:ecr:${ctx.region ?? "us-east-1"}:${ctx.accountId}:repository/${String(resource.name)}`;
  if (type === "aws_iam_policy" && attribute === "arn") return `arn:${ctx.partition ?? "aws"}:iam::${ctx.accountId}:policy${String(resource.path ?? "/")}${String(resource.name)}`;
  if (type === "aws_kms_key" && attribute === "arn") return `arn:${ctx.partition ?? "aws"}:kms:${ctx.region ?? "us-east-1"}:${ctx.accountId}:key/${KMS_KEY_ID}`;
  if (type === "aws_iam_role" && attribute === "arn") return `arn:${ctx.partition ?? "aws"}:iam::${ctx.accountId}:role${String(resource.path ?? "/")}${String(resource.name)}`;
  if (attribute === "name" || attribute === "id" || attribute === "bucket" || attribute === "arn") {
    const literal = resource[attribute];
    if (typeof literal === "string") return resolveReferences(json, literal, ctx);
  }
  throw new Error(`unresolvable reference \${${expr}}`);
}

/** Every aws_iam_role of a stack with its trust policy, inline policies and attachments, resolved. */
export function rolesFromTerraform(json: TerraformJson, ctx: ResolveContext): TerraformRole[] {
  const resources = json.resource ?? {};
  const roleNameRef = (address: string): string => `\${aws_iam_role.${address}.name}`;
  return Object.entries(resources.aws_iam_role ?? {}).map(([address, role]) => {
    const inlinePolicies: Record<string, IamPolicyDocument> = {};
    for (const policy of Object.values(resources.aws_iam_role_policy ?? {})) {
      if (policy.role === roleNameRef(address) || policy.role === role.name) {
        inlinePolicies[String(policy.name)] = JSON.parse(resolveReferences(json, String(policy.policy), ctx));
      }
    }
    const managedPolicyArns = Object.values(resources.aws_iam_role_policy_attachment ?? {})
      .filter((a) => a.role === roleNameRef(address) || a.role === role.name)
      .map((a) => resolveReferences(json, String(a.policy_arn), ctx));
    return {
      address,
      name: String(role.name),
      arn: resolveExpression(json, `aws_iam_role.${address}.arn`, ctx),
      trustPolicy: JSON.parse(resolveReferences(json, String(role.assume_role_policy), ctx)),
      inlinePolicies,
      managedPolicyArns,
      permissionsBoundary: role.permissions_boundary as string | undefined,
      maxSessionDuration: role.max_session_duration as number | undefined,
    };
  });
}
