/**
 * Guardrail findings as structured data, end to end: each finding is recorded on its role as
 * construct metadata (type {@link FINDING_METADATA}, data a {@link RecordedFinding}); cdktf's
 * annotation (which stops a plain `cdktf synth` on an error) is only rendered from it. The synth
 * checks read the records from the construct tree, never the annotation text.
 */
import { Annotations } from "cdktf";
import { IConstruct } from "constructs";
import { Finding } from "./rule";

/** The metadata type of one guardrail finding on a role. */
export const FINDING_METADATA = "bitbucket-oidc/guardrail-finding";

const MARK = "bitbucket-oidc guardrail";
const ERROR = "@cdktf/error";
const WARN = "@cdktf/warn";

/** A finding with where it was found. */
export interface RoleFinding extends Finding {
  /** The rule's id, e.g. `BBO-T001`. */
  readonly rule: string;
  /** The rule's title. */
  readonly title: string;
  /** The role name, or the construct path when the name is known only at apply. */
  readonly roleName: string;
  /** Whether an unacknowledged finding stops the synth. @default "error" */
  readonly severity?: "error" | "warning";
}

/** A finding as recorded on its role: what it is, and what became of it. */
export interface RecordedFinding extends RoleFinding {
  /** "error": stops the synth; "warning": reported, synth goes on (a warning rule, or acknowledged). */
  readonly level: "error" | "warning";
  /** The acknowledgement's reason, when the role acknowledges the rule. */
  readonly acknowledged?: string;
}

/** Records a finding on the role: its metadata, then the annotation cdktf reports. */
export function recordFinding(node: IConstruct, finding: RoleFinding, acknowledgedReason?: string): RecordedFinding {
  const level = acknowledgedReason === undefined && (finding.severity ?? "error") === "error" ? "error" : "warning";
  const record: RecordedFinding = { ...finding, level, ...(acknowledgedReason !== undefined ? { acknowledged: acknowledgedReason } : {}) };
  node.node.addMetadata(FINDING_METADATA, record);
  if (level === "error") Annotations.of(node).addError(annotationOf(record));
  else Annotations.of(node).addWarning(annotationOf(record));
  return record;
}

/** The findings recorded on one construct, in the order they were found. */
export function guardrailFindingsOf(node: IConstruct): readonly RecordedFinding[] {
  return node.node.metadata.filter((m) => m.type === FINDING_METADATA).map((m) => m.data as RecordedFinding);
}

/** The annotation's text of a recorded finding: one line. */
export function annotationOf(f: RecordedFinding): string {
  if (f.acknowledged !== undefined) return `${f.rule} acknowledged on role ${JSON.stringify(f.roleName)}: ${f.message} (reason: ${f.acknowledged})`;
  return `${MARK} ${f.rule} (${f.title}) on role ${JSON.stringify(f.roleName)}: ${f.message} | fix: ${f.fix}`;
}

/** A recorded finding for people: an unacknowledged one as a block (rule, role, problem, fix), an acknowledged one as a line. */
export function renderFinding(constructPath: string, f: RecordedFinding): string {
  if (f.acknowledged !== undefined) return `${constructPath}: ${annotationOf(f)}`;
  return [`${f.rule} ${f.title}`, `    role:    ${f.roleName} (${constructPath})`, `    problem: ${f.message}`, `    fix:     ${f.fix}`, `    or acknowledge it for this role: acknowledge: [{ rule: ${f.rule}, reason: "..." }]`].join("\n");
}

/** What the construct tree reports after synth: errors and warnings, rendered for people. */
export interface TreeReport {
  /** Findings and annotations that stop the synth. */
  readonly errors: readonly string[];
  /** Warnings: acknowledged findings, warning rules, other warning annotations. */
  readonly warnings: readonly string[];
}

/**
 * Every error and warning in the tree under `root`, in tree order (the order cdktf's manifest lists
 * annotations): recorded guardrail findings from their data, other annotations as `path: message`.
 */
export function reportOf(root: IConstruct): TreeReport {
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const node of root.node.findAll()) {
    const path = node.node.path;
    // A finding's own annotation is rendered from its record, so it is skipped where it stands.
    const rendered = new Map<string, number>();
    for (const f of guardrailFindingsOf(node)) rendered.set(annotationOf(f), (rendered.get(annotationOf(f)) ?? 0) + 1);
    for (const entry of node.node.metadata) {
      if (entry.type === FINDING_METADATA) {
        const f = entry.data as RecordedFinding;
        (f.level === "error" ? errors : warnings).push(renderFinding(path, f));
      } else if (entry.type === ERROR || entry.type === WARN) {
        const message = String(entry.data);
        const left = rendered.get(message) ?? 0;
        if (left > 0) rendered.set(message, left - 1);
        else (entry.type === ERROR ? errors : warnings).push(`${path}: ${message}`);
      }
    }
  }
  return { errors, warnings };
}
