/**
 * The risk-ranked diff between two synth outputs: every change to stacks, providers and roles,
 * classified as widening, narrowing or neutral, widening first. Pure: action wildcards are expanded
 * beforehand (see actions.ts).
 */
import { AccessModel, AccessRole } from "../access-model/access-model";
import { ActionExpansions } from "./actions";
import { SynthStack } from "./load";
import { diffPermissions, policiesDiffer } from "./permission-diff";
import { CLASSIFICATION_ORDER, ReviewChange } from "./report";
import { diffRoleSettings } from "./trust-diff";

/**
 * Changes from `base` to `head`, widening first, then narrowing, then neutral (stable within each).
 * `onStack` is called after each stack of `head`, for progress.
 */
export function diffSynths(
  base: readonly SynthStack[],
  head: readonly SynthStack[],
  expansions: ActionExpansions,
  onStack?: (done: number, total: number) => void,
): ReviewChange[] {
  const changes: ReviewChange[] = [];
  const baseByName = new Map(base.map((s) => [s.name, s.model]));
  const headByName = new Map(head.map((s) => [s.name, s.model]));
  for (const [i, { name, model }] of head.entries()) {
    const before = baseByName.get(name);
    if (model && !before) {
      changes.push({ classification: "neutral", kind: "stack-added", stack: name });
      for (const role of model.roles) changes.push({ classification: "widening", kind: "role-added", stack: name, role: role.name });
    } else if (model && before) {
      for (const c of diffStack(name, before, model, expansions)) changes.push(c);
    } else if (!model && before) {
      for (const c of removedStack(name, before)) changes.push(c);
    }
    onStack?.(i + 1, head.length);
  }
  for (const { name, model } of base) if (model && !headByName.has(name)) for (const c of removedStack(name, model)) changes.push(c);
  return CLASSIFICATION_ORDER.flatMap((c) => changes.filter((change) => change.classification === c));
}

function removedStack(stack: string, model: AccessModel): ReviewChange[] {
  return [
    { classification: "neutral", kind: "stack-removed", stack },
    ...model.roles.map((role) => ({ classification: "narrowing" as const, kind: "role-removed" as const, stack, role: role.name })),
  ];
}

function diffStack(stack: string, base: AccessModel, head: AccessModel, expansions: ActionExpansions): ReviewChange[] {
  const out: ReviewChange[] = [];
  if (base.workspace.slug !== head.workspace.slug || base.workspace.uuid !== head.workspace.uuid) {
    out.push({ classification: "widening", kind: "workspace-changed", stack, before: `${base.workspace.slug} ${base.workspace.uuid}`, after: `${head.workspace.slug} ${head.workspace.uuid}` });
  }
  const providerBefore = base.provider.arn ?? base.provider.address ?? "";
  const providerAfter = head.provider.arn ?? head.provider.address ?? "";
  if (providerBefore !== providerAfter) out.push({ classification: "neutral", kind: "provider-changed", stack, before: providerBefore, after: providerAfter });
  for (const aud of head.provider.audiences) if (!base.provider.audiences.includes(aud)) out.push({ classification: "widening", kind: "provider-audience-added", stack, target: aud });
  for (const aud of base.provider.audiences) if (!head.provider.audiences.includes(aud)) out.push({ classification: "narrowing", kind: "provider-audience-removed", stack, target: aud });
  const baseRoles = new Map(base.roles.map((r) => [r.name, r]));
  const headNames = new Set(head.roles.map((r) => r.name));
  for (const role of head.roles) {
    const before = baseRoles.get(role.name);
    if (!before) out.push({ classification: "widening", kind: "role-added", stack, role: role.name });
    else out.push(...diffRole(stack, before, role, expansions));
  }
  for (const role of base.roles) if (!headNames.has(role.name)) out.push({ classification: "narrowing", kind: "role-removed", stack, role: role.name });
  return out;
}

function diffRole(stack: string, base: AccessRole, head: AccessRole, expansions: ActionExpansions): ReviewChange[] {
  const at = { stack, role: head.name };
  const permissions = diffPermissions(base, head, expansions);
  const out: ReviewChange[] = [...diffRoleSettings(base, head).map((c) => ({ ...at, ...c })), ...permissions.map((c) => ({ ...at, ...c }))];
  if (permissions.length === 0 && policiesDiffer(base, head)) out.push({ ...at, classification: "neutral", kind: "policies-rewritten" });
  return out;
}
