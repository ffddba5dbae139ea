/**
 * What `bitbucket-oidc migrate` could not carry over exactly. Every finding says which way the
 * generated role differs from the one that exists, so nobody is surprised by the first plan.
 */
export type FindingKind =
  /** The existing role is WIDER than what we will generate: the first plan narrows it. */
  | "narrowed"
  /** A restriction we do not model: the generated role is wider than today's on this point. */
  | "widened"
  /** Something on the role today that the config cannot hold, so the plan removes it. */
  | "removed"
  /** Carried over, but check it by hand before applying. */
  | "check";

/** One finding, with the place in the exported input it comes from. */
export interface MigrationFinding {
  readonly kind: FindingKind;
  /** Where in the input, e.g. `AssumeRolePolicyDocument.Statement[0].Condition.StringLike`. */
  readonly where: string;
  readonly message: string;
}

/** Collects findings in the order they are met. */
export class FindingList {
  private readonly items: MigrationFinding[] = [];

  add(kind: FindingKind, where: string, message: string): void {
    this.items.push({ kind, where, message });
  }

  get findings(): readonly MigrationFinding[] {
    return [...this.items];
  }
}
