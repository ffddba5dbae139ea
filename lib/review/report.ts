import type { AccountMatrix } from "./account-matrix";
/**
 * The review report as data: what `bitbucket-oidc review` found. The Markdown and JSON renderers
 * turn this, and only this, into text; `--json` prints it as it is.
 */

/** Format version of the JSON report; bump on incompatible changes. */
export const REVIEW_REPORT_VERSION = 1;

/** How a change moves access: more (widening), less (narrowing), or neither (neutral). */
export type Classification = "widening" | "narrowing" | "neutral";

/** Order in which classifications are listed: widening first. */
export const CLASSIFICATION_ORDER: readonly Classification[] = ["widening", "narrowing", "neutral"];

/** A repository or environment as the config names it. */
export interface NamedUuid {
  readonly uuid: string;
  readonly name?: string;
}

/** Who may assume a role, one row per repository. */
export interface RepositoryAccess extends NamedUuid {
  /** The environments whose steps may assume the role; empty: every step of the repository. */
  readonly environments: readonly NamedUuid[];
  /** The `sub` patterns of this repository. */
  readonly subjects: readonly string[];
}

/** One statement of an inline policy, with its actions expanded. */
export interface StatementAccess {
  readonly policy: string;
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  /** The actions as written (wildcards kept). */
  readonly actions: readonly string[];
  /** How many actions the wildcards expand to (@cloud-copilot/iam-expand). */
  readonly expandedActionCount: number;
  /** Actions the IAM data does not know (typos, or services newer than the data). */
  readonly unknownActions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions?: Readonly<Record<string, unknown>>;
}

/** One role as the report shows it. */
export interface RoleAccess {
  readonly name: string;
  readonly arn?: string;
  readonly address: string;
  readonly description?: string;
  readonly path: string;
  /** Every repository of the workspace may assume the role (explicit opt-in). */
  readonly anyRepositoryInWorkspace: boolean;
  readonly repositories: readonly RepositoryAccess[];
  readonly audiences: readonly string[];
  /** `aws:SourceIp` ranges; empty: any address. */
  readonly sourceIps: readonly string[];
  readonly maxSessionDuration: number;
  readonly permissionsBoundary?: string;
  readonly managedPolicyArns: readonly string[];
  readonly statements: readonly StatementAccess[];
  readonly grants: Readonly<Record<string, unknown>>;
  readonly acknowledgements: readonly { readonly rule: string; readonly reason: string }[];
}

/** One stack of the synth output. */
export interface StackAccess {
  readonly name: string;
  /** False for stacks without an access model (e.g. a state bootstrap stack): listed, not reviewed. */
  readonly hasAccessModel: boolean;
  readonly workspace?: { readonly slug: string; readonly uuid: string; readonly name?: string };
  readonly aws?: { readonly region: string; readonly accountId?: string };
  readonly provider?: { readonly arn?: string; readonly address?: string; readonly issuer: string; readonly audiences: readonly string[] };
  readonly roles: readonly RoleAccess[];
}

/** What kind of change a {@link ReviewChange} is. */
export type ChangeKind =
  | "stack-added"
  | "stack-removed"
  | "workspace-changed"
  | "provider-changed"
  | "provider-audience-added"
  | "provider-audience-removed"
  | "role-added"
  | "role-removed"
  | "any-repository-added"
  | "any-repository-removed"
  | "repository-added"
  | "repository-removed"
  | "environment-added"
  | "environment-removed"
  | "subject-broadened"
  | "subject-narrowed"
  | "audience-added"
  | "audience-removed"
  | "source-ip-condition-removed"
  | "source-ip-condition-added"
  | "source-ip-added"
  | "source-ip-removed"
  | "session-longer"
  | "session-shorter"
  | "boundary-removed"
  | "boundary-added"
  | "boundary-changed"
  | "managed-policy-added"
  | "managed-policy-removed"
  | "resource-added"
  | "resource-removed"
  | "actions-added"
  | "actions-removed"
  | "condition-added"
  | "condition-removed"
  | "condition-changed"
  | "deny-removed"
  | "deny-added"
  | "policies-rewritten"
  | "acknowledgement-added"
  | "acknowledgement-removed"
  | "acknowledgement-changed"
  | "grants-changed"
  | "description-changed"
  | "path-changed"
  | "name-changed";

/** Actions gained or lost on one resource, with the patterns that produced them. */
export interface ActionDelta {
  /** The resource pattern (and condition, when the statement has one). */
  readonly resource: string;
  readonly condition?: string;
  /**
   * When the other side allows the same actions on the resource under another condition: the
   * condition before and after ("" for none), e.g. `s3:ListBucket` now only for one `s3:prefix`.
   */
  readonly conditionBefore?: string;
  readonly conditionAfter?: string;
  /** The expanded actions gained or lost, sorted. */
  readonly actions: readonly string[];
  /**
   * The action patterns on exactly this resource (and condition) before and after, as written. Grants
   * on broader resources (e.g. `*`) count for coverage but are not repeated here.
   */
  readonly patternsBefore: readonly string[];
  readonly patternsAfter: readonly string[];
  /** Expanded action counts of those patterns before and after. */
  readonly expandedBefore: number;
  readonly expandedAfter: number;
}

/** One difference between the base and the new synth. */
export interface ReviewChange {
  readonly classification: Classification;
  readonly kind: ChangeKind;
  readonly stack: string;
  /** The role, for role-level changes. */
  readonly role?: string;
  /** What changed: a repository label, an audience, a CIDR, a policy ARN, a rule id, ... */
  readonly target?: string;
  readonly before?: string | number;
  readonly after?: string | number;
  /** For action changes. */
  readonly actions?: ActionDelta;
}

/**
 * What Terraform will do to a resource, from `terraform show -json`. `forget` (Terraform 1.7+, a
 * `removed` block with `destroy = false`): Terraform stops managing it and the object stays in AWS.
 */
export type PlanAction = "create" | "update" | "replace" | "destroy" | "forget";

/** One planned change to a resource the review cares about. */
export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly action: PlanAction;
  /** What the resource is to a reviewer. */
  readonly kind: "identity provider" | "role" | "inline policy" | "policy attachment" | "exclusive policy list" | "other";
  /** The role it belongs to, when it belongs to one. */
  readonly role?: string;
  /** The plan file it came from. */
  readonly planFile: string;
}

/** A warning shown at the top of the report. */
export interface ReviewWarning {
  readonly kind: "identity-provider-replaced" | "identity-provider-destroyed";
  readonly address: string;
  readonly planFile: string;
  /** The workspace whose pipelines break, when the plan names the issuer. */
  readonly workspace?: string;
}

/** The whole report. */
export interface ReviewReport {
  readonly version: typeof REVIEW_REPORT_VERSION;
  /** The synth folder, as given. */
  readonly synth: string;
  /** The base synth folder, when comparing. */
  readonly base?: string;
  readonly planFiles: readonly string[];
  readonly warnings: readonly ReviewWarning[];
  readonly stacks: readonly StackAccess[];
  /** Changes against the base, widening first; undefined without `--base`. */
  readonly changes?: readonly ReviewChange[];
  /** What Terraform will do; undefined without `--plan`. */
  readonly plan?: readonly PlannedChange[];
  /** Repository and environment against account and role; undefined with fewer than two stacks. */
  readonly matrix?: AccountMatrix;
}

/** Counts of changes by classification. */
export function countChanges(changes: readonly ReviewChange[]): Record<Classification, number> {
  const counts: Record<Classification, number> = { widening: 0, narrowing: 0, neutral: 0 };
  for (const change of changes) counts[change.classification]++;
  return counts;
}
