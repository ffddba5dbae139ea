/**
 * Reads what the AWS CLI prints for a role: `aws iam get-role`, `list-attached-role-policies`,
 * `list-role-policies` and `get-role-policy`. Policy documents come URL-encoded from the IAM API
 * and as JSON objects from AWS CLI v2; both are accepted, and a JSON string too.
 */
import { joinPath, ProblemList, throwIfProblems } from "../core/problems";

/** A policy document as IAM holds it (shape checked where it is read). */
export type PolicyJson = { readonly Version?: string; readonly Statement?: unknown };

/** One exported input: its text and where it came from (a file name, or "stdin"). */
export interface ExportedText {
  readonly source: string;
  readonly text: string;
}

/** Everything the CLI printed about one role, parsed. */
export interface ExportedRole {
  readonly roleName: string;
  readonly arn: string;
  readonly accountId: string;
  readonly path: string;
  readonly description?: string;
  readonly maxSessionDuration?: number;
  readonly permissionsBoundaryArn?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly trustPolicy: PolicyJson;
  readonly attachedPolicyArns: readonly string[];
  readonly inlinePolicyNames: readonly string[];
  /** Documents of inline policies, by name, from `get-role-policy` outputs. */
  readonly inlinePolicies: Readonly<Record<string, PolicyJson>>;
}

/** The exported inputs of one role. */
export interface ExportedInputs {
  readonly getRole: ExportedText;
  readonly attached: ExportedText;
  readonly inline: ExportedText;
  readonly policies?: readonly ExportedText[];
}

const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::(\d{12}):role\//;

/**
 * Parses the exported inputs; throws a ValidationError naming the input, the field and what was
 * expected when one is not what the AWS CLI prints.
 */
export function readExportedRole(inputs: ExportedInputs): ExportedRole {
  const list = new ProblemList();
  const getRole = parseJson(inputs.getRole, list);
  const role = field(getRole, "Role", inputs.getRole.source, list, "an object (the output of aws iam get-role --role-name <name>)") as Record<string, unknown> | undefined;
  const attached = parseJson(inputs.attached, list);
  const attachedList = field(attached, "AttachedPolicies", inputs.attached.source, list, "a list (the output of aws iam list-attached-role-policies --role-name <name>)");
  const inline = parseJson(inputs.inline, list);
  const inlineList = field(inline, "PolicyNames", inputs.inline.source, list, "a list (the output of aws iam list-role-policies --role-name <name>)");

  const roleName = typeof role?.RoleName === "string" ? role.RoleName : undefined;
  const arn = typeof role?.Arn === "string" ? role.Arn : undefined;
  if (role && !roleName) list.add(`${inputs.getRole.source}: Role.RoleName`, role.RoleName, "expected the role name");
  const accountId = arn ? ROLE_ARN.exec(arn)?.[1] : undefined;
  if (role && !accountId) list.add(`${inputs.getRole.source}: Role.Arn`, arn, 'expected a role ARN, e.g. "arn:aws:iam::123456789012:role/bitbucket-deploy"');
  const trustPolicy = role ? policyDocument(role.AssumeRolePolicyDocument, `${inputs.getRole.source}: Role.AssumeRolePolicyDocument`, list) : undefined;

  const attachedPolicyArns: string[] = [];
  if (Array.isArray(attachedList)) {
    attachedList.forEach((p, i) => {
      const policyArn = (p as Record<string, unknown> | null)?.PolicyArn;
      if (typeof policyArn === "string") attachedPolicyArns.push(policyArn);
      else list.add(`${inputs.attached.source}: ${joinPath(joinPath("AttachedPolicies", i), "PolicyArn")}`, policyArn, "expected a policy ARN");
    });
  }
  const inlinePolicyNames: string[] = [];
  if (Array.isArray(inlineList)) {
    inlineList.forEach((name, i) => {
      if (typeof name === "string") inlinePolicyNames.push(name);
      else list.add(`${inputs.inline.source}: ${joinPath("PolicyNames", i)}`, name, "expected a policy name");
    });
  }

  const inlinePolicies: Record<string, PolicyJson> = {};
  for (const input of inputs.policies ?? []) {
    const parsed = parseJson(input, list) as Record<string, unknown> | undefined;
    if (!parsed) continue;
    if (typeof parsed.PolicyName !== "string") {
      list.add(`${input.source}: PolicyName`, parsed.PolicyName, "expected the output of aws iam get-role-policy --role-name <name> --policy-name <policy>");
      continue;
    }
    if (roleName && parsed.RoleName !== roleName) {
      list.add(`${input.source}: RoleName`, parsed.RoleName, `expected "${roleName}", the role of --get-role`);
    }
    if (!inlinePolicyNames.includes(parsed.PolicyName) && Array.isArray(inlineList)) {
      list.add(`${input.source}: PolicyName`, parsed.PolicyName, `expected one of the role's inline policies (${inputs.inline.source}): ${inlinePolicyNames.map((n) => JSON.stringify(n)).join(", ") || "none"}`);
    }
    const document = policyDocument(parsed.PolicyDocument, `${input.source}: PolicyDocument`, list);
    if (document) inlinePolicies[parsed.PolicyName] = document;
  }
  throwIfProblems("bitbucket-oidc migrate: the exported role", list);

  const tags: Record<string, string> = {};
  for (const tag of Array.isArray(role?.Tags) ? (role?.Tags as { Key?: unknown; Value?: unknown }[]) : []) {
    if (typeof tag.Key === "string") tags[tag.Key] = String(tag.Value ?? "");
  }
  const boundary = (role?.PermissionsBoundary as { PermissionsBoundaryArn?: unknown } | undefined)?.PermissionsBoundaryArn;
  return {
    roleName: roleName as string,
    arn: arn as string,
    accountId: accountId as string,
    path: typeof role?.Path === "string" ? role.Path : "/",
    description: typeof role?.Description === "string" && role.Description.length > 0 ? role.Description : undefined,
    maxSessionDuration: typeof role?.MaxSessionDuration === "number" ? role.MaxSessionDuration : undefined,
    permissionsBoundaryArn: typeof boundary === "string" ? boundary : undefined,
    tags,
    trustPolicy: trustPolicy as PolicyJson,
    attachedPolicyArns,
    inlinePolicyNames,
    inlinePolicies,
  };
}

function parseJson(input: ExportedText, list: ProblemList): unknown {
  try {
    return JSON.parse(input.text);
  } catch (e) {
    list.add(input.source, input.text.slice(0, 40), `expected the JSON the AWS CLI prints (--output json): ${(e as Error).message}`);
    return undefined;
  }
}

function field(parsed: unknown, key: string, source: string, list: ProblemList, expected: string): unknown {
  if (parsed === undefined) return undefined;
  const value = (parsed as Record<string, unknown> | null)?.[key];
  if (value === undefined || value === null || typeof value !== "object") {
    list.add(`${source}: ${key}`, value, `expected ${expected}`);
    return undefined;
  }
  return value;
}

/** A policy document given as an object, a JSON string, or a URL-encoded JSON string (as the IAM API returns it). */
export function policyDocument(value: unknown, where: string, list: ProblemList): PolicyJson | undefined {
  let document = value;
  if (typeof value === "string") {
    const text = /^\s*\{/.test(value) ? value : safeDecode(value);
    try {
      document = JSON.parse(text ?? "");
    } catch {
      list.add(where, value.slice(0, 60), "expected a policy document: a JSON object, or the URL-encoded JSON the IAM API returns");
      return undefined;
    }
  }
  if (!document || typeof document !== "object" || Array.isArray(document) || !("Statement" in document)) {
    list.add(where, document, 'expected a policy document with "Statement"');
    return undefined;
  }
  return document as PolicyJson;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
