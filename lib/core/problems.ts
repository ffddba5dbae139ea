/**
 * One thing wrong with an input: where it is (a field path such as `roles[0].repositories[1].uuid`),
 * the value found, and what was expected. Config files and construct props report the same way.
 */
export interface Problem {
  /** Field path from the root of the input, e.g. `roles[0].name`. */
  readonly path: string;
  /** The offending value (undefined when a required field is missing). */
  readonly value: unknown;
  /** What was expected, or what is wrong, in words a user can act on. */
  readonly message: string;
}

/** Collects problems so that every one is reported at once, not only the first. */
export class ProblemList {
  private readonly items: Problem[] = [];

  /** Adds a problem: the field path (e.g. `roles[0].name`), the value found, and what is expected. */
  add(path: string, value: unknown, message: string): void {
    this.items.push({ path, value, message });
  }

  /** The problems added so far, in order. */
  get problems(): readonly Problem[] {
    return [...this.items];
  }

  /** True while no problem was added. */
  get isEmpty(): boolean {
    return this.items.length === 0;
  }
}

/** Joins a field path: `join("roles[0]", "name")` is `roles[0].name`; an empty base gives the key alone. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}

/** Shows a value in a message: strings quoted, everything else as compact JSON. */
export function showValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Formats one problem as `path: value: message` (the config loader prefixes the file and line). */
export function formatProblem(problem: Problem): string {
  return `${problem.path || "(root)"}: ${showValue(problem.value)}: ${problem.message}`;
}

/** Thrown by constructs and the config loader when input breaks IAM's or Bitbucket's rules. */
export class ValidationError extends Error {
  /** Every problem found, each with field path, value and message. */
  readonly problems: readonly Problem[];

  constructor(subject: string, problems: readonly Problem[], lines: readonly string[] = problems.map(formatProblem)) {
    super(`${subject}: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n${lines.map((l) => `  - ${l}`).join("\n")}`);
    this.name = "ValidationError";
    this.problems = problems;
  }
}

/** Throws a {@link ValidationError} when the list holds any problem. */
export function throwIfProblems(subject: string, list: ProblemList): void {
  if (!list.isEmpty) throw new ValidationError(subject, list.problems);
}
