/**
 * Reads what Terraform will do from `terraform show -json <planfile>` (the documented JSON plan
 * format: `resource_changes[].change.actions`) and ties each change to a role or the identity provider.
 */
import { readFileSync } from "node:fs";
import { workspaceOfIssuer } from "../bitbucket/bitbucket";
import { ReviewInputError, SynthStack } from "./load";
import { PlanAction, PlannedChange, ReviewWarning } from "./report";

/** One managed resource change of a plan, its actions reduced to one word. */
export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  /** The resource name in its module (cdktf's name, e.g. `bitbucket-deploy_policy-permissions_694F038C`). */
  readonly name: string;
  readonly action: PlanAction | "no-op" | "read";
  readonly before: Readonly<Record<string, unknown>> | null;
  readonly after: Readonly<Record<string, unknown>> | null;
}

const EXPECTED = 'expected the JSON of "terraform show -json <planfile>"';

/**
 * Terraform's action list as one word: `["delete","create"]` and `["create","delete"]` (create before
 * destroy) are a replacement; `["forget"]` (a `removed` block with `destroy = false`) leaves the object
 * in place and only drops it from the state.
 */
export function planAction(actions: readonly string[]): ResourceChange["action"] | undefined {
  const key = actions.join(",");
  switch (key) {
    case "create":
    case "update":
    case "no-op":
    case "read":
    case "forget":
      return key;
    case "delete":
      return "destroy";
    case "delete,create":
    case "create,delete":
      return "replace";
    default:
      return undefined;
  }
}

/** Parses a JSON plan; throws {@link ReviewInputError} naming the file and field when it is not one. */
export function parsePlan(text: string, file: string): ResourceChange[] {
  let plan: { format_version?: unknown; resource_changes?: unknown };
  try {
    plan = JSON.parse(text);
  } catch (e) {
    throw new ReviewInputError(`${file}: not JSON (${(e as Error).message}); ${EXPECTED}, not the binary plan file itself`);
  }
  if (typeof plan !== "object" || plan === null || typeof plan.format_version !== "string") {
    throw new ReviewInputError(`${file}: format_version: missing; ${EXPECTED}`);
  }
  if (!/^1\./.test(plan.format_version)) {
    throw new ReviewInputError(`${file}: format_version: ${JSON.stringify(plan.format_version)}: expected a 1.x JSON plan format`);
  }
  const changes = plan.resource_changes ?? [];
  if (!Array.isArray(changes)) throw new ReviewInputError(`${file}: resource_changes: expected a list; ${EXPECTED}`);
  return changes
    .filter((rc: { mode?: string }) => rc?.mode !== "data")
    .map((rc: { address?: unknown; type?: unknown; name?: unknown; change?: { actions?: unknown; before?: unknown; after?: unknown } }, i: number) => {
      const actions = rc?.change?.actions;
      const action = Array.isArray(actions) ? planAction(actions as string[]) : undefined;
      if (typeof rc?.address !== "string" || typeof rc.type !== "string" || action === undefined) {
        throw new ReviewInputError(`${file}: resource_changes[${i}]: ${JSON.stringify(rc).slice(0, 120)}: expected { address, type, change: { actions: [...] } }`);
      }
      return {
        address: rc.address,
        type: rc.type,
        name: typeof rc.name === "string" ? rc.name : rc.address.split(".").pop() ?? rc.address,
        action,
        before: (rc.change?.before as ResourceChange["before"]) ?? null,
        after: (rc.change?.after as ResourceChange["after"]) ?? null,
      };
    });
}

/** Reads and parses a plan file. */
export function readPlan(file: string): ResourceChange[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ReviewInputError(`${file}: cannot read the plan (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); ${EXPECTED}`);
  }
  return parsePlan(text, file);
}

/** What each resource type is to a reviewer, and the attribute that names its role. */
const KINDS: Record<string, { kind: PlannedChange["kind"]; roleAttribute?: string }> = {
  aws_iam_openid_connect_provider: { kind: "identity provider" },
  aws_iam_role: { kind: "role", roleAttribute: "name" },
  aws_iam_role_policy: { kind: "inline policy", roleAttribute: "role" },
  aws_iam_role_policy_attachment: { kind: "policy attachment", roleAttribute: "role" },
  aws_iam_role_policies_exclusive: { kind: "exclusive policy list", roleAttribute: "role_name" },
  aws_iam_role_policy_attachments_exclusive: { kind: "exclusive policy list", roleAttribute: "role_name" },
};

/**
 * The changes that do something (no no-ops, no reads), each tied to its role where it has one, and a
 * warning for every replaced or destroyed identity provider: that breaks every pipeline of the workspace.
 */
export function reviewPlan(changes: readonly ResourceChange[], file: string, stacks: readonly SynthStack[]): { planned: PlannedChange[]; warnings: ReviewWarning[] } {
  const roleIds = stacks.flatMap((s) => s.model?.roles ?? []).map((r) => ({ name: r.name, id: r.address.slice(r.address.indexOf(".") + 1) }));
  const planned: PlannedChange[] = [];
  const warnings: ReviewWarning[] = [];
  for (const change of changes) {
    if (change.action === "no-op" || change.action === "read") continue;
    const { kind, roleAttribute } = KINDS[change.type] ?? { kind: "other" as const };
    const role = roleAttribute ? roleOf(change, roleAttribute, roleIds) : undefined;
    planned.push({ address: change.address, type: change.type, action: change.action, kind, ...(role ? { role } : {}), planFile: file });
    if (kind === "identity provider" && (change.action === "replace" || change.action === "destroy")) {
      const url = change.before?.url ?? change.after?.url;
      const workspace = typeof url === "string" ? workspaceOfIssuer(url) : undefined;
      warnings.push({
        kind: change.action === "replace" ? "identity-provider-replaced" : "identity-provider-destroyed",
        address: change.address,
        planFile: file,
        ...(workspace ? { workspace } : {}),
      });
    }
  }
  return { planned, warnings };
}

/** The role's name from the planned attribute, else from cdktf's resource name (`<role id>_...`). */
function roleOf(change: ResourceChange, attribute: string, roleIds: readonly { name: string; id: string }[]): string | undefined {
  const value = change.after?.[attribute] ?? change.before?.[attribute];
  if (typeof value === "string" && value.length > 0) return value;
  const match = roleIds
    .filter((r) => change.name === r.id || change.name.startsWith(`${r.id}_`))
    .sort((a, b) => b.id.length - a.id.length)[0];
  return match?.name;
}
