/**
 * Progress of long runs on a terminal: one line on stderr, rewritten in place. Quiet when stderr is
 * not a terminal or in CI (`CI` set to anything but "false"/"0"), so logs hold only the report.
 */

/** Reports progress through the phases of a run. */
export interface Progress {
  /** `done` of `total` items of a phase (e.g. "reading cdktf.out", 3, 40). */
  update(phase: string, done: number, total: number): void;
  /** Clears the line; call once at the end. */
  finish(): void;
}

/** A progress that prints nothing. */
export const NO_PROGRESS: Progress = { update: () => undefined, finish: () => undefined };

/** True when progress should show: stderr is a terminal and this is not CI. */
export function progressWanted(stderrIsTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  const inCi = ci !== undefined && ci !== "" && ci !== "false" && ci !== "0";
  return stderrIsTTY === true && !inCi;
}

/** A progress line on `write` (stderr), at most every `intervalMs`, and always for the last item. */
export function terminalProgress(write: (text: string) => void, intervalMs = 100, now: () => number = Date.now): Progress {
  let last = -Infinity;
  let shown = false;
  return {
    update(phase, done, total) {
      const t = now();
      if (done < total && t - last < intervalMs) return;
      last = t;
      shown = true;
      write(`\r\x1b[2Kbitbucket-oidc review: ${phase}: ${done}/${total} stacks`);
    },
    finish() {
      if (shown) write("\r\x1b[2K");
      shown = false;
    },
  };
}
