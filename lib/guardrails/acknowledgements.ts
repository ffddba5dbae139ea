/**
 * Acknowledgements are construct metadata on the role (type {@link ACKNOWLEDGEMENT_METADATA}), like
 * cdk-nag's suppressions: they travel with the construct, and any guardrails instance reads them.
 */
import { IConstruct } from "constructs";
import { joinPath, ProblemList, throwIfProblems } from "../core/problems";
import { RULE_IDS } from "./rules";

/**
 * A guardrail finding accepted on purpose for one role, with the reason a reviewer will read.
 * @example { rule: "BBO-P002", reason: "break-glass role, used only by the incident pipeline" }
 */
export interface Acknowledgement {
  /** The rule id: a built-in one (`BBO-P002`) or a registered custom rule's (`ACME-001`). */
  readonly rule: string;
  /** Why the finding is acceptable here; shown at every synth and in access-model.json. */
  readonly reason: string;
}

/** The metadata type of one acknowledgement on a construct; its data is an {@link Acknowledgement}. */
export const ACKNOWLEDGEMENT_METADATA = "bitbucket-oidc/acknowledgement";
/** The metadata type a guardrails instance leaves on each role it checks; its data is the ids of its rules. */
export const CHECKED_BY_METADATA = "bitbucket-oidc/checked-by-rules";
/** Ids of the built-in rules' namespace: an id with this prefix must be a built-in rule's. */
export const BUILT_IN_PREFIX = "BBO-";

/**
 * Checks acknowledgements as written: a non-empty reason each, and a rule id that is a built-in
 * rule's. With `customIds` (code, where custom rules can be registered), an id outside the built-in
 * `BBO-` namespace is accepted here and checked at synth against the rules that check the role.
 */
export function checkAcknowledgements(acks: readonly Acknowledgement[] | undefined, path: string, list: ProblemList, customIds = false): void {
  (acks ?? []).forEach((ack, i) => {
    const at = joinPath(path, i);
    const rule: unknown = ack?.rule;
    const custom = customIds && typeof rule === "string" && rule.trim().length > 0 && !rule.toUpperCase().startsWith(BUILT_IN_PREFIX);
    if (!custom && !RULE_IDS.includes(rule as string)) {
      list.add(joinPath(at, "rule"), rule, `expected a guardrail id, one of ${RULE_IDS.join(", ")}${customIds ? ", or a registered custom rule's id (outside the BBO- namespace)" : ""}`);
    }
    if (typeof ack?.reason !== "string" || ack.reason.trim().length === 0) {
      list.add(joinPath(at, "reason"), ack?.reason, "expected a written reason why this finding is acceptable for the role");
    }
  });
}

/**
 * Records acknowledgements on a construct (a role) as metadata, after checking them; throws
 * ValidationError on a bad one. A custom rule id is checked at synth: when no guardrails rule with
 * that id checks the role, synth fails naming it (a validation on the construct).
 */
export function acknowledge(construct: IConstruct, acks: readonly Acknowledgement[], subject = `acknowledgement on ${construct.node.path}`): void {
  const list = new ProblemList();
  checkAcknowledgements(acks, "acknowledge", list, true);
  throwIfProblems(subject, list);
  const hadCustom = acknowledgementsOf(construct).some((a) => !RULE_IDS.includes(a.rule));
  for (const a of acks) construct.node.addMetadata(ACKNOWLEDGEMENT_METADATA, { rule: a.rule, reason: a.reason.trim() });
  if (!hadCustom && acks.some((a) => !RULE_IDS.includes(a.rule))) construct.node.addValidation({ validate: () => unregisteredAcknowledgements(construct) });
}

/** The acknowledgements recorded on a construct, in the order they were given. */
export function acknowledgementsOf(construct: IConstruct): readonly Acknowledgement[] {
  return construct.node.metadata.filter((m) => m.type === ACKNOWLEDGEMENT_METADATA).map((m) => ({ ...(m.data as Acknowledgement) }));
}

/** The rule ids of every guardrails instance that checked the construct (empty before synth's Aspects run). */
export function ruleIdsCheckedOn(construct: IConstruct): ReadonlySet<string> {
  return new Set(construct.node.metadata.filter((m) => m.type === CHECKED_BY_METADATA).flatMap((m) => m.data as string[]));
}

/** One error per custom acknowledgement whose rule no guardrails instance checking the construct has. */
function unregisteredAcknowledgements(construct: IConstruct): string[] {
  const registered = ruleIdsCheckedOn(construct);
  return acknowledgementsOf(construct)
    .filter((a) => !RULE_IDS.includes(a.rule) && !registered.has(a.rule))
    .map(
      (a) =>
        `acknowledge: rule ${JSON.stringify(a.rule)} is acknowledged, but no guardrails rule with that id checks this role (${registered.size > 0 ? `its rules: ${[...registered].join(", ")}` : "no BitbucketOidcGuardrails checks it"}); register the rule, e.g. new BitbucketOidcGuardrails({ rules: [...GUARDRAIL_RULES, myRule] }), or remove the acknowledgement`,
    );
}
