/**
 * The one renderer of guardrail findings: the single-line annotation message cdktf carries, and the
 * readable block synth prints (rule id, role, message, fix; no stack trace).
 */
import { Finding } from "./rule";

const MARK = "bitbucket-oidc guardrail";

/** A finding with where it was found. */
export interface RoleFinding extends Finding {
  readonly rule: string;
  readonly title: string;
  readonly roleName: string;
  /** Whether an unacknowledged finding stops the synth. @default "error" */
  readonly severity?: "error" | "warning";
}

/** The error annotation's text: one line, parsed back by {@link parseFinding}. */
export function findingAnnotation(f: RoleFinding): string {
  return `${MARK} ${f.rule} (${f.title}) on role ${JSON.stringify(f.roleName)}: ${f.message} | fix: ${f.fix}`;
}

/** The warning annotation's text for an acknowledged finding. */
export function acknowledgedAnnotation(f: RoleFinding, reason: string): string {
  return `${f.rule} acknowledged on role ${JSON.stringify(f.roleName)}: ${f.message} (reason: ${reason})`;
}

/** Reads a finding back out of an annotation message; undefined for other messages. */
export function parseFinding(message: string): RoleFinding | undefined {
  const m = /^bitbucket-oidc guardrail (\S+) \((.*?)\) on role ("(?:[^"\\]|\\.)*"): (.*) \| fix: (.*)$/.exec(message);
  if (!m) return undefined;
  return { rule: m[1], title: m[2], roleName: JSON.parse(m[3]) as string, message: m[4], fix: m[5] };
}

/**
 * The errors in cdktf's "Encountered Annotations with level ERROR" message (one `[path] message` line
 * each), rendered for people; empty when the message is some other error.
 */
export function synthErrorsOf(message: string): string[] {
  return [...message.matchAll(/^\s*\[([^\]]+)\] (.*)$/gm)].map((m) => renderSynthError(m[1], m[2]));
}

/** Renders one error of a stopped synth: a guardrail finding as a block, anything else as it is. */
export function renderSynthError(constructPath: string, message: string): string {
  const f = parseFinding(message);
  if (!f) return `${constructPath}: ${message}`;
  return [`${f.rule} ${f.title}`, `    role:    ${f.roleName} (${constructPath})`, `    problem: ${f.message}`, `    fix:     ${f.fix}`, `    or acknowledge it for this role: acknowledge: [{ rule: ${f.rule}, reason: "..." }]`].join("\n");
}
