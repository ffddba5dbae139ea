/**
 * Compares what two versions of a role may do, as sets of expanded actions per resource pattern
 * (and per statement condition). A grant is covered when the other side allows the same action on a
 * resource pattern that covers it, with no condition or the same one.
 */
import { AccessRole } from "../access-model/access-model";
import { ActionExpansions, expansionOf, roleStatements, statementActions, statementResources } from "./actions";
import { globCovers } from "./patterns";
import { ActionDelta, ChangeKind, Classification } from "./report";

/** Actions of one effect on one resource pattern under one condition. */
interface Group {
  readonly resource: string;
  /** Canonical JSON of the statement's condition; "" for none. */
  readonly condition: string;
  readonly patterns: Set<string>;
  readonly actions: Set<string>;
}

/** A permission change before it is placed in a stack and role. */
export interface PermissionChange {
  readonly classification: Classification;
  readonly kind: ChangeKind;
  readonly actions: ActionDelta;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

function groupsOf(role: AccessRole, effect: "Allow" | "Deny", expansions: ActionExpansions): Group[] {
  const groups = new Map<string, Group>();
  for (const { statement } of roleStatements(role)) {
    if (statement.Effect !== effect) continue;
    const condition = statement.Condition && Object.keys(statement.Condition).length > 0 ? canonical(statement.Condition) : "";
    for (const resource of statementResources(statement)) {
      const key = `${resource}\n${condition}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { resource, condition, patterns: new Set(), actions: new Set() }));
      for (const pattern of statementActions(statement)) {
        group.patterns.add(pattern);
        for (const action of expansionOf(expansions, pattern).actions) group.actions.add(action);
      }
    }
  }
  return [...groups.values()];
}

/** Grants of `from` that `by` does not cover, one delta per resource pattern (and condition). */
interface Uncovered {
  readonly delta: ActionDelta;
  readonly resourceKnown: boolean;
  /** True when `by` allows these very actions on the resource, but only under another condition. */
  readonly otherCondition: boolean;
}

function uncovered(from: readonly Group[], by: readonly Group[], fromIsAfter: boolean): Uncovered[] {
  const out: Uncovered[] = [];
  for (const group of from) {
    const sameResource = by.filter((b) => globCovers(b.resource, group.resource));
    const covering = sameResource.filter((b) => b.condition === "" || b.condition === group.condition);
    const coveredActions = new Set<string>();
    for (const b of covering) for (const a of b.actions) coveredActions.add(a);
    const missing = [...group.actions].filter((a) => !coveredActions.has(a)).sort();
    if (missing.length === 0) continue;
    // The same actions on the same resource under one other condition: a condition added, removed or changed.
    const conditional = sameResource.filter((b) => b.condition !== "" && b.condition !== group.condition);
    const underOther = conditional.length === 1 && missing.every((a) => conditional[0].actions.has(a)) ? conditional[0] : undefined;
    // Shown for comparison: the other side's grant on exactly this resource and condition.
    const exact = underOther ?? by.find((b) => b.resource === group.resource && b.condition === group.condition);
    const own = { patterns: [...group.patterns], count: group.actions.size, condition: group.condition };
    const other = { patterns: exact ? [...exact.patterns] : [], count: exact ? exact.actions.size : 0, condition: underOther?.condition ?? group.condition };
    const [after, before] = fromIsAfter ? [own, other] : [other, own];
    out.push({
      resourceKnown: sameResource.length > 0,
      otherCondition: underOther !== undefined,
      delta: {
        resource: group.resource,
        ...(group.condition ? { condition: group.condition } : {}),
        ...(underOther ? { conditionBefore: before.condition, conditionAfter: after.condition } : {}),
        actions: missing,
        patternsBefore: before.patterns,
        patternsAfter: after.patterns,
        expandedBefore: before.count,
        expandedAfter: after.count,
      },
    });
  }
  return out;
}

/** Every permission change from `base` to `head` of one role, widening and narrowing. */
export function diffPermissions(base: AccessRole, head: AccessRole, expansions: ActionExpansions): PermissionChange[] {
  const baseAllow = groupsOf(base, "Allow", expansions);
  const headAllow = groupsOf(head, "Allow", expansions);
  const baseDeny = groupsOf(base, "Deny", expansions);
  const headDeny = groupsOf(head, "Deny", expansions);
  const added = (u: Uncovered): ChangeKind => {
    if (!u.otherCondition) return u.resourceKnown ? "actions-added" : "resource-added";
    return u.delta.conditionAfter === "" ? "condition-removed" : "condition-changed";
  };
  return [
    ...uncovered(headAllow, baseAllow, true).map((u) => ({ classification: "widening" as const, kind: added(u), actions: u.delta })),
    ...uncovered(baseDeny, headDeny, false).map(({ delta }) => ({ classification: "widening" as const, kind: "deny-removed" as const, actions: delta })),
    // A changed condition is reported once, as widening (above); a condition added to an unconditional grant narrows it.
    ...uncovered(baseAllow, headAllow, false)
      .filter((u) => !u.otherCondition || u.delta.conditionBefore === "")
      .map((u) => ({
        classification: "narrowing" as const,
        kind: (u.otherCondition ? "condition-added" : u.resourceKnown ? "actions-removed" : "resource-removed") as ChangeKind,
        actions: u.delta,
      })),
    ...uncovered(headDeny, baseDeny, true).map(({ delta }) => ({ classification: "narrowing" as const, kind: "deny-added" as const, actions: delta })),
  ];
}

/** True when the inline policies differ as documents (even if they allow the same). */
export function policiesDiffer(base: AccessRole, head: AccessRole): boolean {
  return canonical(base.inlinePolicies) !== canonical(head.inlinePolicies);
}

export { canonical };
