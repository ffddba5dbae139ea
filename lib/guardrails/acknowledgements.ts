import { IConstruct } from "constructs";
import { joinPath, ProblemList, throwIfProblems } from "../core/problems";
import { RULE_IDS } from "./rules";

/**
 * A guardrail finding accepted on purpose for one role, with the reason a reviewer will read.
 * @example { rule: "BBO-P002", reason: "break-glass role, used only by the incident pipeline" }
 */
export interface Acknowledgement {
  /** The rule id, e.g. `BBO-P002`. */
  readonly rule: string;
  /** Why the finding is acceptable here; shown at every synth and in access-model.json. */
  readonly reason: string;
}

const acknowledged = new WeakMap<IConstruct, Acknowledgement[]>();

/** Checks acknowledgements as written (config or code): a known rule id and a non-empty reason each. */
export function checkAcknowledgements(acks: readonly Acknowledgement[] | undefined, path: string, list: ProblemList): void {
  (acks ?? []).forEach((ack, i) => {
    const at = joinPath(path, i);
    if (!RULE_IDS.includes(ack?.rule)) list.add(joinPath(at, "rule"), ack?.rule, `expected a guardrail id, one of ${RULE_IDS.join(", ")}`);
    if (typeof ack?.reason !== "string" || ack.reason.trim().length === 0) {
      list.add(joinPath(at, "reason"), ack?.reason, "expected a written reason why this finding is acceptable for the role");
    }
  });
}

/** Records acknowledgements on a construct (a role), after checking them; throws ValidationError on a bad one. */
export function acknowledge(construct: IConstruct, acks: readonly Acknowledgement[], subject = `acknowledgement on ${construct.node.path}`): void {
  const list = new ProblemList();
  checkAcknowledgements(acks, "acknowledge", list);
  throwIfProblems(subject, list);
  acknowledged.set(construct, [...(acknowledged.get(construct) ?? []), ...acks.map((a) => ({ rule: a.rule, reason: a.reason.trim() }))]);
}

/** The acknowledgements recorded on a construct, in the order they were given. */
export function acknowledgementsOf(construct: IConstruct): readonly Acknowledgement[] {
  return [...(acknowledged.get(construct) ?? [])];
}
