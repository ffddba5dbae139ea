import { ExplainReport } from "./explain";

/** Format version of `explain --json`; bump on incompatible changes. */
export const EXPLAIN_JSON_VERSION = 1;

/** The machine-readable answer of `explain --json`: the report as it is, with a version. */
export function renderJson(report: ExplainReport): string {
  return `${JSON.stringify({ version: EXPLAIN_JSON_VERSION, ...report }, null, 2)}\n`;
}
