/**
 * Reads an `aws_iam_role` and what is attached to it out of the construct tree, the way Terraform
 * will receive it: tokens resolved through the stack to literals or `${...}` references.
 */
import { TerraformStack } from "cdktf";
import { resolveTokens } from "../core/resolve-tokens";
import { IConstruct } from "constructs";
import type { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import type { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { IamRolePolicyAttachmentsExclusive } from "@cdktf/provider-aws/lib/iam-role-policy-attachments-exclusive";
import { workspaceOfIssuer } from "../bitbucket/bitbucket";
import { ResolvedQuotas } from "../iam/quotas";
import { asList, GuardedPolicy, GuardedRole, ReadStatement } from "./rule";
import { declaredBitbucketProvider } from "./declared-providers";

const ISSUER_KEY = /^(api\.bitbucket\.org\/2\.0\/workspaces\/[^/]+\/pipelines-config\/identity\/oidc):/i;
const PROVIDER_ARN = /^arn:aws[\w-]*:iam::\d{12}:oidc-provider\/(api\.bitbucket\.org\/2\.0\/workspaces\/[^/]+\/pipelines-config\/identity\/oidc)$/;

/** Resource type of a construct, when it is a Terraform resource. */
export function resourceType(node: IConstruct): string | undefined {
  const type = (node as { terraformResourceType?: unknown }).terraformResourceType;
  return typeof type === "string" ? type : undefined;
}

/** The IAM resources of one stack, indexed once per stack. */
interface StackIndex {
  readonly stack: TerraformStack;
  /** Issuer host/path of each Bitbucket provider, by `${aws_iam_openid_connect_provider.<id>.arn}`. */
  readonly providers: Map<string, string>;
  /** Inline policies (`aws_iam_role_policy`), by the role reference they name, with their position in the tree. */
  readonly inline: Map<string, { at: number; name: string; text: string }[]>;
  /** Attached managed policy ARNs, by the role reference they name, with their position in the tree. */
  readonly attachments: Map<string, { at: number; arns: string[] }[]>;
  /** Managed policy documents, by `${aws_iam_policy.<id>.arn}`. */
  readonly managed: Map<string, string>;
  /** What `aws_iam_policy_document` data sources are made of (their Terraform JSON), by `${data.aws_iam_policy_document.<id>.json}`. */
  readonly documents: Map<string, string>;
}

const indexes = new WeakMap<TerraformStack, StackIndex>();

function indexOf(stack: TerraformStack): StackIndex {
  const cached = indexes.get(stack);
  if (cached) return cached;
  const text = (value: unknown): string => String(resolveIn(stack, value) ?? "");
  const index: StackIndex = { stack, providers: new Map(), inline: new Map(), attachments: new Map(), managed: new Map(), documents: new Map() };
  const add = <T>(map: Map<string, T[]>, role: string, entry: T): void => {
    const list = map.get(role);
    if (list) list.push(entry);
    else map.set(role, [entry]);
  };
  let at = 0;
  for (const node of stack.node.findAll()) {
    at++;
    const type = resourceType(node);
    const id = (node as { friendlyUniqueId?: string }).friendlyUniqueId;
    if (type === "aws_iam_openid_connect_provider") {
      const issuer = text((node as IamOpenidConnectProvider).urlInput).replace(/^https:\/\//, "");
      if (workspaceOfIssuer(issuer)) index.providers.set(`\${aws_iam_openid_connect_provider.${id}.arn}`, issuer);
    } else if (type === "aws_iam_role_policy") {
      const p = node as IamRolePolicy;
      add(index.inline, text(p.roleInput), { at, name: text(p.nameInput) || String(id), text: text(p.policyInput) });
    } else if (type === "aws_iam_role_policy_attachment") {
      const a = node as IamRolePolicyAttachment;
      add(index.attachments, text(a.roleInput), { at, arns: [text(a.policyArnInput)] });
    } else if (type === "aws_iam_role_policy_attachments_exclusive") {
      const a = node as IamRolePolicyAttachmentsExclusive;
      add(index.attachments, text(a.roleNameInput), { at, arns: asList(resolveIn(stack, a.policyArnsInput)) });
    } else if (type === "aws_iam_policy_document") {
      index.documents.set(`\${data.aws_iam_policy_document.${id}.json}`, JSON.stringify(resolveIn(stack, (node as unknown as { toTerraform(): unknown }).toTerraform())));
    } else if (type === "aws_iam_policy") {
      index.managed.set(`\${aws_iam_policy.${id}.arn}`, text((node as IamPolicy).policyInput));
    }
  }
  indexes.set(stack, index);
  return index;
}

/**
 * The role as the rules see it, or undefined when its trust policy names no Bitbucket issuer (then
 * it is not ours to judge). `unreadable` is set when the trust policy mentions Bitbucket but is not
 * JSON at synth.
 */
export function readRole(role: IamRole, quotas: ResolvedQuotas): (GuardedRole & { unreadable?: boolean }) | undefined {
  const stack = TerraformStack.of(role);
  const index = indexOf(stack);
  const trustText = String(resolveIn(stack, role.assumeRolePolicyInput) ?? "");
  const declared = declaredBitbucketProvider(role);
  const declaredArn = declared === undefined ? undefined : String(resolveIn(stack, declared));
  const isBitbucketProvider = (p: string): boolean => PROVIDER_ARN.test(p) || index.providers.has(p) || p === declaredArn;
  const name = String(resolveIn(stack, role.nameInput) ?? "");
  const roleName = name && !name.includes("${") ? name : role.node.path;

  let statements: ReadStatement[] | undefined;
  try {
    const parsed = JSON.parse(trustText) as { Statement?: ReadStatement | ReadStatement[] };
    statements = parsed.Statement === undefined ? [] : Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  } catch {
    statements = undefined;
  }
  const issuers = new Set<string>();
  for (const statement of statements ?? []) {
    for (const keys of Object.values(statement.Condition ?? {})) {
      for (const key of Object.keys(keys ?? {})) {
        const m = ISSUER_KEY.exec(key);
        if (m) issuers.add(m[1]);
      }
    }
    const federated = (statement.Principal as { Federated?: unknown } | undefined)?.Federated;
    for (const p of typeof statement.Principal === "object" && statement.Principal ? asList(federated) : []) {
      const issuer = PROVIDER_ARN.exec(p)?.[1] ?? index.providers.get(p);
      if (issuer) issuers.add(issuer);
    }
  }
  // A trust policy from an aws_iam_policy_document data source is only known at plan: judge what it is made of.
  const sources = [trustText, ...[...index.documents].filter(([ref]) => trustText.includes(ref)).map(([, made]) => made)].join("\n");
  const mentionsBitbucket = /api\.bitbucket\.org\/2\.0\/workspaces\//.test(sources) || [...index.providers.keys()].some((ref) => sources.includes(ref));
  if (statements === undefined && !mentionsBitbucket) return undefined;
  if (statements !== undefined && issuers.size === 0) return undefined;

  const refs = new Set([name, `\${aws_iam_role.${role.friendlyUniqueId}.name}`, `\${aws_iam_role.${role.friendlyUniqueId}.id}`]);
  const policies: GuardedPolicy[] = namedBy(index.inline, refs).map((p) => policyOf("inline", p.name, p.text));
  // Inline policies can also sit on the role itself (`inline_policy` blocks); an empty block holds none.
  const blocks = resolveIn(stack, role.inlinePolicyInput);
  for (const block of Array.isArray(blocks) ? (blocks as { name?: unknown; policy?: unknown }[]) : []) {
    if (typeof block?.policy === "string" && block.policy !== "") policies.push(policyOf("inline", String(block.name ?? "inline_policy"), block.policy));
  }
  const managedPolicyArns = [...new Set([...asList(resolveIn(stack, role.managedPolicyArnsInput)), ...namedBy(index.attachments, refs).flatMap((a) => a.arns)])];
  for (const arn of managedPolicyArns) {
    const document = index.managed.get(arn);
    if (document !== undefined) policies.push(policyOf("managed", arn, document));
  }
  return {
    roleName,
    trustPolicyText: trustText,
    trustStatements: statements ?? [],
    issuers: [...issuers],
    isBitbucketProvider,
    policies,
    managedPolicyArns,
    quotas,
    ...(statements === undefined ? { unreadable: true } : {}),
  };
}

/** The entries that name one of `refs`, in tree order. */
function namedBy<T extends { at: number }>(byRole: Map<string, T[]>, refs: Set<string>): T[] {
  return [...refs].flatMap((ref) => byRole.get(ref) ?? []).sort((a, b) => a.at - b.at);
}

function policyOf(kind: GuardedPolicy["kind"], name: string, text: string): GuardedPolicy {
  try {
    const parsed = JSON.parse(text) as { Statement?: ReadStatement | ReadStatement[] };
    const statements = parsed.Statement === undefined ? [] : Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
    return { kind, name, text, statements };
  } catch {
    return { kind, name, text };
  }
}

/** Resolves tokens the way synth will: to literals, or to `${...}` Terraform references. */
function resolveIn(stack: TerraformStack, value: unknown): unknown {
  return resolveTokens(stack, value);
}
