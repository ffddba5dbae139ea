/**
 * Test support: creates what a stack's cdk.tf.json declares through moto_server's IAM API (the Query
 * protocol over plain HTTP on 127.0.0.1), exactly as Terraform's AWS provider would: the OIDC provider,
 * the customer managed policies the roles name, each role (trust policy through CreateRole and again
 * through UpdateAssumeRolePolicy, since moto checks trust policies only there), its inline policies and
 * its attachments. Every rejection is collected, with the call and moto's message.
 */
import { resolveReferences } from "../support/terraform-json";
import { TerraformJson } from "../support/synth";

/** Stands in for a thumbprint that Terraform computes at plan time. */
const PLAN_TIME_THUMBPRINT = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280";

/** One rejected call. */
export interface IamRejection {
  readonly call: string;
  readonly code: string;
  readonly message: string;
}

/** An IAM client for one moto_server, speaking as any account (moto's `x-moto-account-id`). */
export class MotoIam {
  constructor(private readonly endpoint: string) {}

  /** Forgets every account's resources (moto's reset), between generated configs. */
  async reset(): Promise<void> {
    const res = await fetch(`${this.endpoint}/moto-api/reset`, { method: "POST" });
    await res.arrayBuffer();
  }

  /** Calls an IAM action; returns the response body, or a rejection. */
  async call(accountId: string, action: string, params: Record<string, string | number | undefined>): Promise<{ ok: true; body: string } | { ok: false; rejection: IamRejection }> {
    const body = new URLSearchParams({ Action: action, Version: "2010-05-08" });
    for (const [k, v] of Object.entries(params)) if (v !== undefined) body.set(k, String(v));
    const res = await fetch(`${this.endpoint}/`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded; charset=utf-8",
        authorization: "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0",
        "x-moto-account-id": accountId,
      },
      body,
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    if (res.ok) return { ok: true, body: text };
    const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? String(res.status);
    const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? text.slice(0, 300);
    return { ok: false, rejection: { call: `${action} ${params.RoleName ?? params.PolicyName ?? params.Url ?? ""}`.trim(), code, message: decodeXml(message) } };
  }
}

function decodeXml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

const members = (prefix: string, values: readonly string[]): Record<string, string> =>
  Object.fromEntries(values.map((v, i) => [`${prefix}.member.${i + 1}`, v]));

const tagMembers = (tags: Record<string, string> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(tags ?? {}).flatMap(([k, v], i) => [[`Tags.member.${i + 1}.Key`, k], [`Tags.member.${i + 1}.Value`, v]]));

/** The account and path/name of a customer managed policy ARN, or undefined for an AWS managed one. */
function customerPolicy(arn: string): { account: string; path: string; name: string } | undefined {
  const m = /^arn:aws:iam::(\d{12}):policy(\/(?:.*\/)?)([^/]+)$/.exec(arn);
  return m ? { account: m[1], path: m[2], name: m[3] } : undefined;
}

/**
 * Applies one stack to moto as `accountId`; returns every rejection (none means IAM accepted it all),
 * and checks that the role's inline policy names and attachments end up exactly as the exclusive
 * resources of cdk.tf.json list them.
 */
export async function applyStack(iam: MotoIam, json: TerraformJson, accountId: string, createdPolicies: Set<string>): Promise<IamRejection[]> {
  const rejections: IamRejection[] = [];
  const ctx = { accountId };
  const text = (value: unknown): string => resolveReferences(json, String(value), ctx);
  const run = async (account: string, action: string, params: Record<string, string | number | undefined>): Promise<string | undefined> => {
    const out = await iam.call(account, action, params);
    if (!out.ok) {
      rejections.push(out.rejection);
      return undefined;
    }
    return out.body;
  };
  const resources = json.resource ?? {};
  // Terraform sends the provider's default_tags with every resource's own tags.
  const defaultTags = ((json.provider?.aws?.[0] as { default_tags?: { tags?: Record<string, string> }[] } | undefined)?.default_tags?.[0]?.tags) ?? {};
  const tagsOf = (own: unknown): Record<string, string> => ({ ...defaultTags, ...((own as Record<string, string> | undefined) ?? {}) });

  for (const provider of Object.values(resources.aws_iam_openid_connect_provider ?? {})) {
    await run(accountId, "CreateOpenIDConnectProvider", {
      Url: text(provider.url),
      ...members("ClientIDList", ((provider.client_id_list as string[]) ?? []).map(text)),
      // thumbprints: "tls" computes them at plan time (a data source): any certificate's SHA-1 stands in.
      ...members("ThumbprintList", ((provider.thumbprint_list as string[]) ?? []).map((t) => (/^\$\{data\.tls_certificate\./.test(t) ? PLAN_TIME_THUMBPRINT : text(t)))),
      ...tagMembers(tagsOf(provider.tags)),
    });
  }

  // Customer managed policies the roles attach or take as boundary: they exist before the roles.
  const policyArns = [
    ...Object.values(resources.aws_iam_role_policy_attachment ?? {}).map((a) => text(a.policy_arn)),
    ...Object.values(resources.aws_iam_role ?? {}).flatMap((r) => (r.permissions_boundary ? [text(r.permissions_boundary)] : [])),
  ];
  for (const arn of policyArns) {
    const policy = customerPolicy(arn);
    if (!policy || createdPolicies.has(arn)) continue;
    createdPolicies.add(arn);
    await run(policy.account, "CreatePolicy", {
      PolicyName: policy.name,
      Path: policy.path,
      PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }] }),
    });
  }

  const roleNames = new Map<string, string>();
  for (const [address, role] of Object.entries(resources.aws_iam_role ?? {})) {
    const name = text(role.name);
    roleNames.set(address, name);
    const trust = text(role.assume_role_policy);
    const created = await run(accountId, "CreateRole", {
      RoleName: name,
      Path: role.path === undefined ? undefined : text(role.path),
      AssumeRolePolicyDocument: trust,
      Description: role.description === undefined ? undefined : text(role.description),
      MaxSessionDuration: role.max_session_duration as number | undefined,
      PermissionsBoundary: role.permissions_boundary === undefined ? undefined : text(role.permissions_boundary),
      ...tagMembers(tagsOf(role.tags)),
    });
    if (created !== undefined) await run(accountId, "UpdateAssumeRolePolicy", { RoleName: name, PolicyDocument: trust });
  }
  const roleOf = (ref: unknown): string => {
    const m = /^\$\{aws_iam_role\.([^.}]+)\.name\}$/.exec(String(ref));
    return m ? (roleNames.get(m[1]) ?? text(ref)) : text(ref);
  };
  for (const policy of Object.values(resources.aws_iam_role_policy ?? {})) {
    await run(accountId, "PutRolePolicy", { RoleName: roleOf(policy.role), PolicyName: text(policy.name), PolicyDocument: text(policy.policy) });
  }
  for (const attachment of Object.values(resources.aws_iam_role_policy_attachment ?? {})) {
    await run(accountId, "AttachRolePolicy", { RoleName: roleOf(attachment.role), PolicyArn: text(attachment.policy_arn) });
  }

  // The exclusive lists: what IAM now holds for each role is exactly what they name.
  for (const exclusive of Object.values(resources.aws_iam_role_policies_exclusive ?? {})) {
    const role = roleOf(exclusive.role_name);
    const body = await run(accountId, "ListRolePolicies", { RoleName: role });
    const held = [...(body ?? "").matchAll(/<member>([^<]*)<\/member>/g)].map((m) => decodeXml(m[1])).sort();
    const named = ((exclusive.policy_names as string[]) ?? []).map(text).sort();
    if (JSON.stringify(held) !== JSON.stringify(named)) rejections.push({ call: `ListRolePolicies ${role}`, code: "Mismatch", message: `IAM holds ${JSON.stringify(held)}, cdk.tf.json names ${JSON.stringify(named)}` });
  }
  for (const exclusive of Object.values(resources.aws_iam_role_policy_attachments_exclusive ?? {})) {
    const role = roleOf(exclusive.role_name);
    const body = await run(accountId, "ListAttachedRolePolicies", { RoleName: role });
    const held = [...(body ?? "").matchAll(/<PolicyArn>([^<]*)<\/PolicyArn>/g)].map((m) => decodeXml(m[1])).sort();
    const named = ((exclusive.policy_arns as string[]) ?? []).map(text).sort();
    if (JSON.stringify(held) !== JSON.stringify(named)) rejections.push({ call: `ListAttachedRolePolicies ${role}`, code: "Mismatch", message: `IAM holds ${JSON.stringify(held)}, cdk.tf.json names ${JSON.stringify(named)}` });
  }
  return rejections;
}
