/**
 * The one renderer of `bitbucket-oidc migrate` output: the config entry as YAML (with the findings
 * as a comment header), and the same findings as plain lines for stderr.
 */
import { Document } from "yaml";
import { FindingKind, MigrationFinding } from "./findings";
import { Migration } from "./role-entry";

const LABELS: Readonly<Record<FindingKind, string>> = {
  narrowed: "NARROWED",
  widened: "WIDER",
  removed: "REMOVED",
  check: "CHECK",
};

/** One line per finding, e.g. `[NARROWED] AssumeRolePolicyDocument.Statement[0]: has no aud condition ...`. */
export function findingLines(findings: readonly MigrationFinding[]): string[] {
  return findings.map((f) => `[${LABELS[f.kind]}] ${f.where}: ${f.message}`);
}

/** The verdict in one sentence: clean, or in which ways the generated role differs from today's. */
export function verdict(migration: Migration): string {
  const kinds = new Set(migration.findings.map((f) => f.kind));
  if (kinds.size === 0) return "Converted cleanly: the generated trust policy accepts exactly what the existing one accepts.";
  const parts: string[] = [];
  if (kinds.has("narrowed")) parts.push("the existing role is WIDER than what bitbucket-oidc will generate: the first plan narrows it, and pipelines that rely on the wider trust lose access");
  if (kinds.has("widened")) parts.push("some restrictions of the existing role cannot be expressed: the generated role is wider on those points");
  if (kinds.has("removed")) parts.push("some of what the role has today cannot be held by the config and the plan removes it");
  if (kinds.has("check")) parts.push("some values need checking by hand");
  return `Converted with ${migration.findings.length} warning${migration.findings.length === 1 ? "" : "s"}: ${parts.join("; ")}.`;
}

/** The config entry as YAML, headed by the role, what to do with it, and every finding. */
export function renderMigrationYaml(migration: Migration): string {
  const doc = new Document(migration.entry);
  const header = [
    ` bitbucket-oidc migrate: role ${migration.entry.roles[0].name} (${migration.roleArn})`,
    " Merge into bitbucket-oidc.yaml: workspace and aws.accountId if it has none yet, provider, and the role",
    " under roles. Then synth and plan: expect \"will be imported\", and remove the adopt flags after apply.",
    ` ${verdict(migration)}`,
    ...findingLines(migration.findings).map((line) => `   - ${line}`),
  ];
  doc.commentBefore = header.join("\n");
  return doc.toString({ lineWidth: 0 });
}
