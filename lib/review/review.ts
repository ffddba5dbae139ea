import { accountMatrix } from "./account-matrix";
/** Builds the review report: load the synth outputs and plans, expand actions once, then compare. */
import { accessOf } from "./access";
import { actionPatternsOf, expandActionPatterns } from "./actions";
import { diffSynths } from "./diff";
import { loadSynth } from "./load";
import { readPlan, reviewPlan } from "./plan";
import { NO_PROGRESS, Progress } from "./progress";
import { PlannedChange, REVIEW_REPORT_VERSION, ReviewReport, ReviewWarning } from "./report";

/** What to review. */
export interface ReviewOptions {
  /** The synth output folder. */
  readonly synth: string;
  /** A second synth output to compare against (e.g. main's). @default none */
  readonly base?: string;
  /** JSON plans (`terraform show -json`). @default none */
  readonly planFiles?: readonly string[];
  /** Progress of long runs. @default none */
  readonly progress?: Progress;
}

/** Reads everything and builds the report. Throws ReviewInputError for input it cannot read. */
export async function buildReview(options: ReviewOptions): Promise<ReviewReport> {
  const progress = options.progress ?? NO_PROGRESS;
  try {
    const head = loadSynth(options.synth, (done, total) => progress.update(`reading ${options.synth}`, done, total));
    const base = options.base === undefined ? undefined : loadSynth(options.base, (done, total) => progress.update(`reading ${options.base}`, done, total), "--base");
    const expansions = await expandActionPatterns(actionPatternsOf([...head, ...(base ?? [])].map((s) => s.model)));
    const planFiles = options.planFiles ?? [];
    const planned: PlannedChange[] = [];
    const warnings: ReviewWarning[] = [];
    for (const file of planFiles) {
      const result = reviewPlan(readPlan(file), file, head);
      // One at a time: spreading a plan of 150,000 changes into push() overflows the call stack.
      for (const p of result.planned) planned.push(p);
      for (const w of result.warnings) warnings.push(w);
    }
    const stacks = accessOf(head, expansions);
    const matrix = accountMatrix(stacks);
    return {
      version: REVIEW_REPORT_VERSION,
      synth: options.synth,
      ...(options.base !== undefined ? { base: options.base } : {}),
      planFiles,
      warnings,
      stacks,
      ...(matrix ? { matrix } : {}),
      ...(base ? { changes: diffSynths(base, head, expansions, (done, total) => progress.update("comparing", done, total)) } : {}),
      ...(planFiles.length > 0 ? { plan: planned } : {}),
    };
  } finally {
    progress.finish();
  }
}
