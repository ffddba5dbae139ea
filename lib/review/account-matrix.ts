import { RoleAccess, StackAccess } from "./report";

/** One row of the matrix: a repository, and one of its environments or every step. */
export interface MatrixRow {
  /** The repository (`*` for the workspace-wide opt-in). */
  readonly repository: { readonly uuid: string; readonly name?: string };
  /** The environment; undefined: a step without a deployment environment. */
  readonly environment?: { readonly uuid: string; readonly name?: string };
}

/** One column: an account's stack. */
export interface MatrixColumn {
  readonly stack: string;
  readonly accountId?: string;
}

/** Which roles each kind of step can assume in each account. */
export interface AccountMatrix {
  readonly columns: readonly MatrixColumn[];
  readonly rows: readonly MatrixRow[];
  /** `cells[row][column]`: the role names of that account the row's steps may assume. */
  readonly cells: readonly (readonly (readonly string[])[])[];
}

/** Whether a role accepts steps of a repository in an environment (undefined: no environment). */
function accepts(role: RoleAccess, repository: string, environment: string | undefined): boolean {
  if (role.anyRepositoryInWorkspace) return true;
  return role.repositories.some(
    (r) => r.uuid === repository && (r.environments.length === 0 || (environment !== undefined && r.environments.some((e) => e.uuid === environment))),
  );
}

/**
 * The matrix of repository and environment against account and role, over the stacks that have an
 * access model; undefined when there are fewer than two (a single account needs no matrix).
 */
export function accountMatrix(stacks: readonly StackAccess[]): AccountMatrix | undefined {
  const reviewed = stacks.filter((s) => s.hasAccessModel);
  if (reviewed.length < 2) return undefined;
  const rows: MatrixRow[] = [];
  const seen = new Set<string>();
  const add = (row: MatrixRow): void => {
    const key = `${row.repository.uuid} ${row.environment?.uuid ?? ""}`;
    if (!seen.has(key)) rows.push(row);
    seen.add(key);
  };
  for (const stack of reviewed) {
    for (const role of stack.roles) {
      for (const repo of role.repositories) {
        const repository = { uuid: repo.uuid, name: repo.name };
        add({ repository });
        for (const env of repo.environments) add({ repository, environment: { uuid: env.uuid, name: env.name } });
      }
    }
  }
  const columns = reviewed.map((s) => ({ stack: s.name, accountId: s.aws?.accountId }));
  const cells = rows.map((row) => reviewed.map((s) => s.roles.filter((role) => accepts(role, row.repository.uuid, row.environment?.uuid)).map((role) => role.name)));
  return { columns, rows, cells };
}
