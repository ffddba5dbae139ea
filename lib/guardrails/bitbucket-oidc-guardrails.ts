import { Annotations, IAspect } from "cdktf";
import { IConstruct } from "constructs";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamQuotas, ResolvedQuotas, resolveQuotas } from "../iam/quotas";
import { acknowledge, acknowledgementsOf } from "./acknowledgements";
import { findingAnnotation, acknowledgedAnnotation, RoleFinding } from "./report";
import { readRole, resourceType } from "./role-reader";
import { GuardedRole } from "./rule";
import { audienceCheck } from "./rules/bbo-t001-audience-check";
import { RULES } from "./rules";
import { stackPartition } from "./stack-partition";

/**
 * Props of {@link BitbucketOidcGuardrails}.
 * @example { quotas: { managedPoliciesPerRole: 20 } }
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
}

const checked = new WeakSet<IConstruct>();

/**
 * Guardrails as a CDKTF Aspect, in the manner of cdk-nag: every `aws_iam_role` whose trust policy
 * names a Bitbucket issuer (ours or built by hand) and the policies attached to it are checked by the
 * rules in `rules/`. A finding is an error annotation, so synth fails, unless the role acknowledges
 * the rule with a reason; then it is a warning. A rule of severity "warning" (BBO-P003) reports without
 * stopping the synth. Other roles are left alone.
 * @example Aspects.of(stack).add(new BitbucketOidcGuardrails())
 */
export class BitbucketOidcGuardrails implements IAspect {
  /**
   * Accepts a rule's findings on one role (a {@link BitbucketPipelinesRole} or a hand-built `IamRole`)
   * with a written reason, shown at every synth. Throws ValidationError on an unknown rule id or an
   * empty reason.
   * @example BitbucketOidcGuardrails.acknowledge(role, "BBO-P002", "break-glass role of the incident pipeline")
   */
  static acknowledge(construct: IConstruct, rule: string, reason: string): void {
    acknowledge(construct, [{ rule, reason }]);
  }

  private readonly quotas: ResolvedQuotas;
  private readonly partition?: string;

  constructor(props: BitbucketOidcGuardrailsProps = {}) {
    this.quotas = resolveQuotas(props.quotas);
    this.partition = props.partition;
  }

  /** Checks one construct: a role whose trust names a Bitbucket issuer, with its policies; others are left alone. */
  visit(node: IConstruct): void {
    if (resourceType(node) !== "aws_iam_role" || checked.has(node)) return;
    checked.add(node);
    const read = readRole(node as IamRole, this.quotas);
    if (!read) return;
    const role = { ...read, partition: this.partition ?? stackPartition(node) };
    const acks = acknowledgementsOf(node);
    const findings = findingsOf(role);
    for (const finding of findings) {
      const ack = acks.find((a) => a.rule === finding.rule);
      if (ack) Annotations.of(node).addWarning(acknowledgedAnnotation(finding, ack.reason));
      else if (finding.severity === "warning") Annotations.of(node).addWarning(findingAnnotation(finding));
      else Annotations.of(node).addError(findingAnnotation(finding));
    }
    // A stale acknowledgement would silently accept a future finding of the same rule: say so.
    for (const ack of acks.filter((a) => !findings.some((f) => f.rule === a.rule))) {
      Annotations.of(node).addWarning(`${ack.rule} is acknowledged on role ${JSON.stringify(role.roleName)} but finds nothing there; remove the acknowledgement`);
    }
  }
}

/** Every rule's findings for one role (a trust policy that cannot be read is a finding itself). */
export function findingsOf(role: GuardedRole & { unreadable?: boolean }): RoleFinding[] {
  if (role.unreadable) {
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
  return RULES.flatMap((rule) => rule.check(role).map((f) => ({ ...f, rule: rule.id, title: rule.title, roleName: role.roleName, severity: rule.severity ?? "error" })));
}
