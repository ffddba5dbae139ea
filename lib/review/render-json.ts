/** The one JSON renderer of the review report (`review --json`): the report object, as it is. */
import { ReviewReport } from "./report";

/** Renders the report as pretty JSON with a trailing newline. */
export function renderReviewJson(report: ReviewReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
