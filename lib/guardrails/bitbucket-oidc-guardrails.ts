import { Annotations, IAspect } from "cdktf";
import { IConstruct } from "constructs";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { ProblemList, throwIfProblems } from "../core/problems";
import { IamQuotas, ResolvedQuotas, resolveQuotas } from "../iam/quotas";
import { acknowledge, acknowledgementsOf, BUILT_IN_PREFIX, CHECKED_BY_METADATA } from "./acknowledgements";
import { recordFinding, RoleFinding } from "./report";
import { readRole, resourceType } from "./role-reader";
import { GuardedRole, GuardrailRule } from "./rule";
import { audienceCheck } from "./rules/bbo-t001-audience-check";
import { RULES } from "./rules";
import { stackPartition } from "./stack-partition";

/**
 * Props of {@link BitbucketOidcGuardrails}.
 * @example { quotas: { managedPoliciesPerRole: 20 }, rules: [...GUARDRAIL_RULES, myRule] }
 */
export interface BitbucketOidcGuardrailsProps {
  /** IAM quotas raised for the account. @default IAM's defaults (trust policy 2048, 10 managed policies) */
  readonly quotas?: IamQuotas;
  /**
   * The partition ARNs are counted in where a policy holds a reference to one (BBO-Q001).
   * @default the partition of the stack's AWS provider region when that is literal, else the longest (`aws-us-gov`)
   * @example "aws-cn"
   */
  readonly partition?: string;
  /**
   * The rules this instance checks, in the order findings are reported: the built-in ones
   * (`GUARDRAIL_RULES`), some of them, and rules of your own (a {@link GuardrailRule} each, with an id
   * outside the built-in `BBO-` namespace). Ids must be unique.
   * @default GUARDRAIL_RULES (every built-in rule)
   * @example [...GUARDRAIL_RULES, { id: "ACME-001", title: "role name without the team prefix", check: (role) => ... }]
   */
  readonly rules?: readonly GuardrailRule[];
}

/**
 * Guardrails as a CDKTF Aspect, in the manner of cdk-nag's NagPack: every `aws_iam_role` whose trust
 * policy names a Bitbucket issuer (ours or built by hand) and the policies attached to it are checked
 * by the instance's rules (the built-in ones in `rules/` unless `rules` says otherwise). Each finding
 * is recorded on the role as structured metadata and reported as an error annotation, so synth fails,
 * unless the role acknowledges the rule with a reason; then it is a warning. A rule of severity
 * "warning" (BBO-P003) reports without stopping the synth. Other roles are left alone. Several
 * instances may guard the same roles side by side; each checks every role with its own rules.
 * @example Aspects.of(stack).add(new BitbucketOidcGuardrails())
 */
export class BitbucketOidcGuardrails implements IAspect {
  /**
   * Accepts a rule's findings on one role (a {@link BitbucketPipelinesRole} or a hand-built `IamRole`)
   * with a written reason, shown at every synth. The rule is a built-in one, or a custom rule that a
   * guardrails instance checking the role has registered (checked at synth: synth fails naming an
   * acknowledged custom id that no rule has). Throws ValidationError on an unknown built-in (`BBO-`)
   * id or an empty reason.
   * @example BitbucketOidcGuardrails.acknowledge(role, "BBO-P002", "break-glass role of the incident pipeline")
   */
  static acknowledge(construct: IConstruct, rule: string, reason: string): void {
    acknowledge(construct, [{ rule, reason }]);
  }

  private readonly quotas: ResolvedQuotas;
  private readonly partition?: string;
  private readonly rules: readonly GuardrailRule[];
  private readonly ruleIds: readonly string[];
  /** Roles this instance has checked (an Aspect may be offered a node twice); other instances keep their own. */
  private readonly checked = new WeakSet<IConstruct>();

  constructor(props: BitbucketOidcGuardrailsProps = {}) {
    this.quotas = resolveQuotas(props.quotas);
    this.partition = props.partition;
    this.rules = [...(props.rules ?? RULES)];
    checkRules(this.rules);
    this.ruleIds = this.rules.map((r) => r.id);
  }

  /** Checks one construct: a role whose trust names a Bitbucket issuer, with its policies; others are left alone. */
  visit(node: IConstruct): void {
    if (resourceType(node) !== "aws_iam_role" || this.checked.has(node)) return;
    this.checked.add(node);
    node.node.addMetadata(CHECKED_BY_METADATA, [...this.ruleIds]);
    const read = readRole(node as IamRole, this.quotas);
    if (!read) return;
    const role = { ...read, partition: this.partition ?? stackPartition(node) };
    const acks = acknowledgementsOf(node);
    const findings = findingsOf(role, this.rules);
    for (const finding of findings) recordFinding(node, finding, acks.find((a) => a.rule === finding.rule)?.reason);
    // A stale acknowledgement would silently accept a future finding of the same rule: say so (for this instance's rules).
    for (const ack of acks.filter((a) => this.ruleIds.includes(a.rule) && !findings.some((f) => f.rule === a.rule))) {
      Annotations.of(node).addWarning(`${ack.rule} is acknowledged on role ${JSON.stringify(role.roleName)} but finds nothing there; remove the acknowledgement`);
    }
  }
}

/** Throws ValidationError when the rules are not a usable set: each with an id, a title and a check; ids unique; `BBO-` ids only the built-in rules'. */
function checkRules(rules: readonly GuardrailRule[]): void {
  const list = new ProblemList();
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    const at = `rules[${i}]`;
    if (typeof rule?.id !== "string" || rule.id.trim().length === 0 || /\s/.test(rule.id)) list.add(`${at}.id`, rule?.id, 'expected a rule id without spaces, e.g. "ACME-001"');
    else if (seen.has(rule.id)) list.add(`${at}.id`, rule.id, "listed twice; each rule id once (acknowledgements name it)");
    else if (rule.id.toUpperCase().startsWith(BUILT_IN_PREFIX) && !RULES.some((r) => r.id === rule.id)) {
      list.add(`${at}.id`, rule.id, `the ${BUILT_IN_PREFIX} namespace is the built-in rules' (${RULES.map((r) => r.id).join(", ")}); give your rule an id of your own, e.g. "ACME-001"`);
    }
    if (typeof rule?.id === "string") seen.add(rule.id);
    if (typeof rule?.title !== "string" || rule.title.trim().length === 0) list.add(`${at}.title`, rule?.title, "expected what the rule catches, in a few words");
    if (typeof rule?.check !== "function") list.add(`${at}.check`, typeof rule?.check, "expected a function from the role (GuardedRole) to its findings ({ message, fix }[])");
    if (rule?.severity !== undefined && rule.severity !== "error" && rule.severity !== "warning") list.add(`${at}.severity`, rule.severity, 'expected "error" (default) or "warning"');
  });
  throwIfProblems("BitbucketOidcGuardrails", list);
}

/**
 * Every rule's findings for one role (a trust policy that cannot be read is a finding itself, of
 * BBO-T001, when the rules include it).
 */
export function findingsOf(role: GuardedRole & { unreadable?: boolean }, rules: readonly GuardrailRule[] = RULES): RoleFinding[] {
  if (role.unreadable) {
    if (!rules.some((r) => r.id === audienceCheck.id)) return [];
    return [
      {
        rule: audienceCheck.id,
        title: audienceCheck.title,
        roleName: role.roleName,
        message: `the trust policy names a Bitbucket issuer but is not JSON at synth (${role.trustPolicyText.slice(0, 80)}), so aud and sub cannot be checked`,
        fix: "render the trust policy as JSON in code (e.g. JSON.stringify), or acknowledge BBO-T001 with a reason",
      },
    ];
  }
  return rules.flatMap((rule) => rule.check(role).map((f) => ({ ...f, rule: rule.id, title: rule.title, roleName: role.roleName, severity: rule.severity ?? "error" })));
}
