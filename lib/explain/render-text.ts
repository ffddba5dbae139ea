import { ExplainReport } from "./explain";
import { CheckName, CheckStatus, ConditionCheck, RoleExplanation } from "./role-check";

/** The plain-text answer of `explain`: the token, one block per role, other environments, a summary. */
export function renderText(report: ExplainReport): string {
  const lines: string[] = [];
  const t = report.token;
  lines.push("Token", ...row("issuer", t.issuer + (t.workspace ? ` (workspace ${t.workspace})` : "")), ...row("audience", t.audiences.join(", ")));
  if (t.repository) {
    lines.push(...row("repository", t.repository), ...row("environment", t.environment ?? "none (the step deploys to no environment)"));
  } else {
    lines.push(...row("subject", t.subject));
  }
  if (t.claims.branchName) lines.push(...row("branch", `${t.claims.branchName} (not visible to IAM: control branches with deployment environments)`));
  if (t.expiresAt) lines.push(...row("expires", `${t.expiresAt}${t.expired ? " (EXPIRED)" : ""}`));
  lines.push(...row("source IP", report.sourceIp ?? "not given: IP conditions depend on the step's address (--source-ip <ip>)"));
  for (const note of report.notes) lines.push(`${note.kind === "decoded-only" || note.kind === "verified" ? "Note" : "WARNING"}: ${note.message}`);
  lines.push("");

  const detailed = report.roles.length === 1;
  report.roles.forEach((role, i) => {
    const block = roleBlock(role, detailed);
    // A blank line before a block with details, so that each role reads on its own.
    if (i > 0 && (block.length > 1 || roleBlock(report.roles[i - 1], detailed).length > 1)) lines.push("");
    lines.push(...block);
  });

  if (report.repository) {
    lines.push("");
    if (report.otherEnvironments.length === 0) {
      lines.push(`In another deployment environment, a step of ${report.repository} would get no role that this step is denied.`);
    } else {
      lines.push(`In another deployment environment, a step of ${report.repository} would get:`);
      for (const other of report.otherEnvironments) {
        const roles = other.roles.map((r) => `${r.role}${r.verdict === "allowed-if-source-ip" ? " (if the step's address is in its ranges)" : ""}`);
        lines.push(`  ${other.environment ?? "no environment"}: ${roles.join(", ")}`);
      }
    }
  }
  lines.push("", summary(report.roles));
  return `${lines.join("\n")}\n`;
}

function row(label: string, value: string): string[] {
  return [`  ${label.padEnd(12)} ${value}`];
}

const VERDICT: Record<RoleExplanation["verdict"], string> = { allowed: "ALLOWED", denied: "DENIED", "allowed-if-source-ip": "ALLOWED if the step's address is in the role's ranges" };
const STATUS: Record<CheckStatus, string> = { pass: "ok", fail: "FAILED", depends: "DEPENDS", "not-restricted": "ok", "not-checked": "-" };
const LABEL: Record<CheckName, string> = {
  issuer: "issuer",
  audience: "audience",
  repository: "repository",
  environment: "environment",
  subject: "subject",
  sourceIp: "source IP",
  combination: "combination",
};
const WHY: Record<CheckName, string> = {
  issuer: "the role trusts another workspace's identity provider",
  audience: "the token's aud is not one the role accepts: check the step's oidc audiences, or roles[].audiences / provider.audiences",
  repository: "the role does not trust this repository",
  environment: "the role trusts only steps that deploy to the environments it lists (deployment: <environment> on the step)",
  subject: "the token's sub matches none of the role's patterns",
  sourceIp: "the step's address is outside the role's aws:SourceIp ranges",
  combination: "each condition alone is met, but no single statement of the trust policy accepts them together",
};

function roleBlock(role: RoleExplanation, detailed: boolean): string[] {
  const lines = [`${VERDICT[role.verdict].split(" ")[0].padEnd(8)} ${role.role}  (stack ${role.stack}, ${role.arn})`];
  if (role.verdict === "allowed-if-source-ip") lines[0] += `\n         ${VERDICT[role.verdict]}`;
  const shown = role.checks.filter((c) => detailed || c.status === "fail" || c.status === "depends" || (role.verdict === "denied" && c.status === "not-checked"));
  for (const check of shown) lines.push(...checkLines(check));
  return lines;
}

function checkLines(check: ConditionCheck): string[] {
  const head = `    ${LABEL[check.name].padEnd(12)} ${STATUS[check.status].padEnd(7)}`;
  if (check.status === "not-checked") return [`${head} not checked: the repository did not match`];
  const lines = [`${head} token: ${check.token}`, `    ${"".padEnd(12)} ${"".padEnd(7)} role expects: ${check.expected.join(" | ")}`];
  if (check.status === "fail") lines.push(`    ${"".padEnd(12)} ${"".padEnd(7)} ${WHY[check.name]}`);
  if (check.status === "depends") lines.push(`    ${"".padEnd(12)} ${"".padEnd(7)} depends on the step's address: a token carries none (give it with --source-ip)`);
  return lines;
}

function summary(roles: readonly RoleExplanation[]): string {
  const allowed = roles.filter((r) => r.verdict === "allowed").map((r) => r.role);
  const depends = roles.filter((r) => r.verdict === "allowed-if-source-ip").map((r) => r.role);
  if (roles.length === 1) {
    const [role] = roles;
    if (role.verdict === "allowed") return `Result: this token can assume ${role.role}.`;
    if (role.verdict === "denied") return `Result: this token cannot assume ${role.role}.`;
    return `Result: this token can assume ${role.role} if the step's address is in its ranges.`;
  }
  const parts: string[] = [];
  if (allowed.length > 0) parts.push(`this token can assume ${allowed.length} of ${roles.length} roles: ${allowed.join(", ")}.`);
  if (depends.length > 0) parts.push(`${allowed.length > 0 ? "If the step's address is in their ranges, also" : `this token can assume, of ${roles.length} roles, only these, and only if the step's address is in their ranges`}: ${depends.join(", ")}.`);
  if (parts.length === 0) parts.push(`this token can assume none of ${roles.length} roles.`);
  const text = `Result: ${parts.join(" ")}`;
  return text;
}
