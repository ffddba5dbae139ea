/**
 * Reads an inline policy document back into the config's statement form. Statements the config
 * cannot hold (NotAction, NotResource, a Principal) become findings.
 */
import { PolicyStatementProps } from "../iam/policy-document";
import { joinPath } from "../core/problems";
import { PolicyJson } from "./aws-cli-output";
import { FindingList } from "./findings";

const asStrings = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);

/** The statements of an inline policy in config form. */
export function readIdentityPolicy(document: PolicyJson, where: string, findings: FindingList): PolicyStatementProps[] {
  const statements: PolicyStatementProps[] = [];
  (Array.isArray(document.Statement) ? document.Statement : [document.Statement]).forEach((raw, i) => {
    const at = joinPath(joinPath(where, "Statement"), i);
    const s = (raw ?? {}) as Record<string, unknown>;
    const unsupported = ["NotAction", "NotResource", "Principal", "NotPrincipal"].filter((k) => s[k] !== undefined);
    if (unsupported.length > 0 || s.Action === undefined || s.Resource === undefined) {
      const what = unsupported.length > 0 ? unsupported.join(", ") : "no Action or no Resource";
      findings.add(s.Effect === "Deny" ? "widened" : "narrowed", at, `a statement with ${what}, which the config cannot hold; left out, so the plan ${s.Effect === "Deny" ? "drops this Deny (the role gets WIDER)" : "drops what it allows"}`);
      return;
    }
    const conditions: Record<string, Record<string, string | string[]>> = {};
    for (const [operator, keys] of Object.entries((s.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
      conditions[operator] = {};
      for (const [key, value] of Object.entries(keys ?? {})) conditions[operator][key] = Array.isArray(value) ? value.map(String) : String(value);
    }
    statements.push({
      ...(typeof s.Sid === "string" && s.Sid.length > 0 ? { sid: s.Sid } : {}),
      ...(s.Effect === "Deny" ? { effect: "Deny" as const } : {}),
      actions: asStrings(s.Action),
      resources: asStrings(s.Resource),
      ...(Object.keys(conditions).length > 0 ? { conditions } : {}),
    });
  });
  return statements;
}
