import type { AccountMatrix } from "./account-matrix";
/**
 * The one Markdown renderer of the review report: a PR comment a reviewer can read. Warnings first,
 * then the changes (widening first, marked), then the plan, then the access report per stack and role.
 */
import { mdCode as code, mdTable as table, mdText as text } from "./markdown-text";
import { ChangeKind, Classification, countChanges, PlannedChange, ReviewChange, ReviewReport, ReviewWarning, RoleAccess, StackAccess } from "./report";

/** How many gained or lost actions a change row lists before "and N more". */
const ACTIONS_SHOWN = 5;

const MARK: Record<Classification, string> = { widening: "**▲ widening**", narrowing: "▼ narrowing", neutral: "· neutral" };

/** The words for each kind of change. */
const TITLES: Record<ChangeKind, string> = {
  "stack-added": "new stack",
  "stack-removed": "stack removed",
  "workspace-changed": "other workspace",
  "provider-changed": "identity provider changed",
  "provider-audience-added": "provider audience added",
  "provider-audience-removed": "provider audience removed",
  "role-added": "new role",
  "role-removed": "role removed",
  "any-repository-added": "every repository of the workspace",
  "any-repository-removed": "no longer every repository",
  "repository-added": "new repository",
  "repository-removed": "repository removed",
  "environment-added": "new environment",
  "environment-removed": "environment removed",
  "subject-broadened": "broader `sub` pattern",
  "subject-narrowed": "narrower `sub` pattern",
  "audience-added": "audience added",
  "audience-removed": "audience removed",
  "source-ip-condition-removed": "source IP condition removed",
  "source-ip-condition-added": "source IP condition added",
  "source-ip-added": "source range added",
  "source-ip-removed": "source range removed",
  "session-longer": "longer session",
  "session-shorter": "shorter session",
  "boundary-removed": "permissions boundary removed",
  "boundary-added": "permissions boundary added",
  "boundary-changed": "permissions boundary changed",
  "managed-policy-added": "managed policy attached",
  "managed-policy-removed": "managed policy detached",
  "resource-added": "new resource",
  "resource-removed": "resource removed",
  "actions-added": "new actions",
  "actions-removed": "actions removed",
  "condition-added": "condition added",
  "condition-removed": "condition removed",
  "condition-changed": "condition changed",
  "deny-removed": "deny removed",
  "deny-added": "deny added",
  "policies-rewritten": "policies rewritten, same permissions",
  "acknowledgement-added": "guardrail finding acknowledged",
  "acknowledgement-removed": "acknowledgement removed",
  "acknowledgement-changed": "acknowledgement reason changed",
  "grants-changed": "grants changed",
  "description-changed": "description changed",
  "path-changed": "path changed",
  "name-changed": "name changed",
};

/** Renders the report as GitHub/Bitbucket-flavoured Markdown. */
export function renderReviewMarkdown(report: ReviewReport): string {
  const blocks: string[] = [`# Access review of ${code(report.synth)}`];
  blocks.push(...report.warnings.map(warningBlock));
  if (report.changes) blocks.push(...changesSection(report.changes, report.base ?? ""));
  if (report.plan) blocks.push(...planSection(report.plan));
  if (report.matrix) blocks.push(...matrixSection(report.matrix));
  for (const stack of report.stacks) blocks.push(...stackSection(stack));
  return `${blocks.join("\n\n")}\n`;
}

function matrixSection(matrix: AccountMatrix): string[] {
  const header = ["Repository", "Steps", ...matrix.columns.map((c) => text(c.accountId ? `${c.stack} (${c.accountId})` : c.stack))];
  const rows = matrix.rows.map((row, i) => [
    named(row.repository),
    row.environment ? `environment ${named(row.environment)}` : "no environment",
    ...matrix.cells[i].map((roles) => (roles.length > 0 ? roles.map(code).join(", ") : "none")),
  ]);
  return ["## Access matrix: who can assume which role in which account", table(header, rows)];
}

function warningBlock(warning: ReviewWarning): string {
  const replaced = warning.kind === "identity-provider-replaced";
  const who = warning.workspace ? `Every pipeline of workspace ${code(warning.workspace)}` : "Every pipeline of the workspace";
  const effect = replaced ? "fails to assume any role from the moment the old provider is deleted until the new one exists" : "loses access to AWS";
  return `> **Warning: the identity provider ${code(warning.address)} will be ${replaced ? "REPLACED" : "DESTROYED"}** (${code(warning.planFile)}). ${who} ${effect}. Check that this is intended.`;
}

function changesSection(changes: readonly ReviewChange[], base: string): string[] {
  const out = [`## Changes against ${code(base)}`];
  const counts = countChanges(changes);
  if (changes.length === 0) {
    out.push("No changes in who can assume what, or in what they may do.");
    return out;
  }
  const summary = `**${counts.widening} widening**, ${counts.narrowing} narrowing, ${counts.neutral} neutral.`;
  out.push(counts.widening > 0 ? `${summary} Widening changes give pipelines more access: they need a security review.` : summary);
  // The stack column only when the changes span several stacks.
  const stacks = new Set(changes.map((c) => c.stack)).size > 1;
  out.push(
    table(
      ["", ...(stacks ? ["Stack"] : []), "Role", "Change", "Details"],
      changes.map((c) => [MARK[c.classification], ...(stacks ? [text(c.stack)] : []), c.role ? code(c.role) : "", TITLES[c.kind], changeDetails(c)]),
    ),
  );
  return out;
}

function changeDetails(change: ReviewChange): string {
  const parts: string[] = [];
  if (change.target !== undefined) parts.push(code(change.target));
  if (change.kind === "session-longer" || change.kind === "session-shorter") {
    parts.push(`${duration(Number(change.before))} → ${duration(Number(change.after))}`);
  } else if (change.kind === "grants-changed") {
    // Settings as written in the config, one JSON object per side.
    parts.push(`${code(String(change.before))} → ${code(String(change.after))}`);
  } else if (change.before !== undefined && change.after !== undefined) {
    parts.push(`${text(String(change.before))} → ${text(String(change.after))}`);
  } else if (change.after !== undefined) {
    parts.push(text(String(change.after)));
  } else if (change.before !== undefined) {
    parts.push(`was ${text(String(change.before))}`);
  }
  const delta = change.actions;
  if (delta && delta.conditionBefore !== undefined && delta.conditionAfter !== undefined) {
    const when = (condition: string): string => (condition ? `only when ${code(condition)}` : "unconditionally");
    parts.push(`${code(delta.resource)}: ${delta.actions.map(code).join(", ")} ${when(delta.conditionBefore)} → ${when(delta.conditionAfter)}`);
  } else if (delta) {
    const sign = change.kind === "actions-removed" || change.kind === "resource-removed" || change.kind === "deny-added" ? "−" : "+";
    const resource = delta.condition ? `${code(delta.resource)} when ${code(delta.condition)}` : code(delta.resource);
    const shown = delta.actions.slice(0, ACTIONS_SHOWN).map(code).join(", ");
    const more = delta.actions.length > ACTIONS_SHOWN ? ` and ${delta.actions.length - ACTIONS_SHOWN} more` : "";
    const wildcards = [...delta.patternsBefore, ...delta.patternsAfter].some((p) => /[*?]/.test(p));
    const patterns = (list: readonly string[], n: number): string => (list.length > 0 ? `${list.map(code).join(", ")} (${plural(n, "action")})` : "nothing");
    const counts = wildcards
      ? `${patterns(delta.patternsBefore, delta.expandedBefore)} → ${patterns(delta.patternsAfter, delta.expandedAfter)}`
      : `${delta.expandedBefore} → ${plural(delta.expandedAfter, "action")} on this resource`;
    parts.push(`${resource}: ${sign}${plural(delta.actions.length, "action")} (${shown}${more}); ${counts}`);
  }
  return parts.join(": ");
}

function planSection(plan: readonly PlannedChange[]): string[] {
  const out = ["## Terraform plan"];
  if (plan.length === 0) {
    out.push("No changes: Terraform will not touch any resource.");
    return out;
  }
  const rank: Record<PlannedChange["action"], number> = { destroy: 0, replace: 1, forget: 2, update: 3, create: 4 };
  const rows = [...plan].sort((a, b) => rank[a.action] - rank[b.action]);
  out.push(table(["Action", "Resource", "What", "Role"], rows.map((p) => [p.action === "destroy" || p.action === "replace" ? `**${p.action}**` : p.action, code(p.address), text(p.kind), p.role ? code(p.role) : ""])));
  return out;
}

function stackSection(stack: StackAccess): string[] {
  const out = [`## Stack ${code(stack.name)}`];
  if (!stack.hasAccessModel) {
    out.push("No access model: this stack has no roles for pipelines (for example the state bootstrap stack). Nothing to review here.");
    return out;
  }
  const ws = stack.workspace;
  const provider = stack.provider;
  const facts = [
    ws ? `Workspace **${text(ws.name ?? ws.slug)}** ${code(ws.uuid)}` : undefined,
    stack.aws?.accountId ? `account ${code(stack.aws.accountId)}` : "account: the caller's",
    stack.aws ? `region ${code(stack.aws.region)}` : undefined,
  ].filter((f): f is string => f !== undefined);
  out.push(`${facts.join(" · ")}.`);
  if (provider) {
    const made = provider.address ? `created by this stack (${code(provider.address)})` : `existing, ${code(provider.arn ?? "")}`;
    out.push(`Identity provider ${code(provider.issuer)}: ${made}; audiences ${provider.audiences.map(code).join(", ")}.`);
  }
  if (stack.roles.length === 0) out.push("No roles.");
  else out.push(overviewTable(stack.roles));
  for (const role of stack.roles) out.push(...roleSection(role));
  return out;
}

/** One line per role: who, for how long, what. */
function overviewTable(roles: readonly RoleAccess[]): string {
  return table(
    ["Role", "Who can assume it", "Session", "What it may do"],
    roles.map((role) => {
      const who = role.anyRepositoryInWorkspace
        ? "**every repository**"
        : role.repositories.map((r) => `${r.name !== undefined ? text(r.name) : code(r.uuid)}: ${r.environments.length === 0 ? "every step" : r.environments.map((e) => (e.name !== undefined ? text(e.name) : code(e.uuid))).join(", ")}`).join(", ");
      const allowed = role.statements.filter((s) => s.effect === "Allow");
      const actions = allowed.reduce((n, s) => n + s.expandedActionCount, 0);
      const resources = new Set(allowed.flatMap((s) => s.resources)).size;
      const what = [
        allowed.length > 0 ? `${actions} action${actions === 1 ? "" : "s"} on ${resources} resource${resources === 1 ? "" : "s"}` : undefined,
        ...role.managedPolicyArns.map((arn) => code(arn.slice(arn.lastIndexOf("/") + 1))),
      ].filter((x): x is string => x !== undefined);
      const ips = role.sourceIps.length > 0 ? ` from ${role.sourceIps.map(code).join(", ")}` : "";
      return [code(role.name), `${who}${ips}`, duration(role.maxSessionDuration).split(" (")[0], what.join(", ") || "nothing"];
    }),
  );
}

function roleSection(role: RoleAccess): string[] {
  const out = [`### Role ${code(role.name)}`];
  const about = [role.description ? text(role.description) : undefined, role.arn ? code(role.arn) : `ARN from output of ${code(role.address)}`].filter(Boolean);
  out.push(about.join(" · "));
  out.push("**Who can assume it**");
  if (role.anyRepositoryInWorkspace) {
    out.push("**Every repository of the workspace** (`anyRepositoryInWorkspace: true`), pull-request pipelines included: `sub` pattern `{*}:*`.");
  } else {
    out.push(
      table(
        ["Repository", "Steps", "`sub` pattern"],
        role.repositories.map((repo) => [
          named(repo),
          repo.environments.length === 0 ? "every step" : repo.environments.map((env) => `environment ${named(env)}`).join(", "),
          repo.subjects.map(code).join(", "),
        ]),
      ),
    );
  }
  out.push(
    [
      `- Audience: ${role.audiences.map(code).join(", ")}`,
      `- Source IPs: ${role.sourceIps.length > 0 ? role.sourceIps.map(code).join(", ") : "any address"}`,
      `- Maximum session: ${duration(role.maxSessionDuration)}`,
      `- Permissions boundary: ${role.permissionsBoundary ? code(role.permissionsBoundary) : "none"}`,
      `- Managed policies: ${role.managedPolicyArns.length > 0 ? role.managedPolicyArns.map(code).join(", ") : "none"}`,
    ].join("\n"),
  );
  out.push("**What it may do**");
  if (role.statements.length === 0) {
    out.push(role.managedPolicyArns.length > 0 ? "No inline policy: only the managed policies above." : "No inline policy.");
  } else {
    const withConditions = role.statements.some((s) => s.conditions !== undefined);
    const header = ["Policy", "Effect", "Actions", "Expanded", "Resources", ...(withConditions ? ["Conditions"] : [])];
    out.push(
      table(
        header,
        role.statements.map((s) => [
          text(s.sid ? `${s.policy} (${s.sid})` : s.policy),
          s.effect === "Deny" ? "**Deny**" : "Allow",
          s.actions.map(code).join(", "),
          `${s.expandedActionCount}${s.unknownActions.length > 0 ? ` (unknown: ${s.unknownActions.map(code).join(", ")})` : ""}`,
          s.resources.map(code).join(", "),
          ...(withConditions ? [s.conditions ? code(JSON.stringify(s.conditions)) : ""] : []),
        ]),
      ),
    );
  }
  const grants = Object.entries(role.grants);
  if (grants.length > 0) {
    out.push("**Grants**");
    out.push(table(["Grant", "Settings"], grants.map(([kind, value]) => [code(kind), code(JSON.stringify(value))])));
  }
  if (role.acknowledgements.length > 0) {
    out.push("**Guardrail acknowledgements**");
    out.push(table(["Rule", "Reason"], role.acknowledgements.map((a) => [code(a.rule), text(a.reason)])));
  }
  return out;
}

function named(x: { uuid: string; name?: string }): string {
  return x.name ? `${text(x.name)} ${code(x.uuid)}` : code(x.uuid);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** `3600` -> "1 h (3600 s)". */
function duration(seconds: number): string {
  const hours = seconds / 3600;
  return `${Number.isInteger(hours) ? hours : hours.toFixed(2).replace(/0+$/, "")} h (${seconds} s)`;
}
