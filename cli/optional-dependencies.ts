/**
 * The CLI-only dependencies: `optionalDependencies` of the package, so that a project using only the
 * constructs can leave them out (`npm install --omit=optional`). The commands that need them load them
 * when they run; a missing one is reported as what to install (exit 2), never as a stack trace.
 */

/** Each optional dependency, with its version range (as in package.json) and what needs it. */
export const OPTIONAL_DEPENDENCIES: Readonly<Record<string, { readonly range: string; readonly usedBy: string }>> = {
  "@cloud-copilot/iam-expand": { range: "^0.11.44", usedBy: "review (action wildcards)" },
  "@cloud-copilot/iam-policy": { range: "^0.1.109", usedBy: "explain, review and snippet --debug (the IAM policy evaluator)" },
  "@cloud-copilot/iam-simulate": { range: "^0.1.173", usedBy: "explain, review and snippet --debug (the IAM policy evaluator)" },
  jose: { range: "^5.10.0", usedBy: "explain --verify (token signatures)" },
};

/** The package a "Cannot find module" error names, when it is a bare package specifier. */
function missingPackage(e: unknown): string | undefined {
  const err = e as { code?: unknown; message?: unknown } | null;
  if (err === null || typeof err !== "object" || err.code !== "MODULE_NOT_FOUND" || typeof err.message !== "string") return undefined;
  const name = /^Cannot find module '([^']+)'/.exec(err.message)?.[1];
  if (name === undefined || name.startsWith(".") || name.startsWith("/")) return undefined;
  const parts = name.split("/");
  return name.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/**
 * When `e` is a missing optional dependency (or a missing package of theirs), the message saying what
 * to install; else undefined.
 */
export function missingDependencyMessage(command: string, e: unknown): string | undefined {
  const name = missingPackage(e);
  if (name === undefined) return undefined;
  const known = OPTIONAL_DEPENDENCIES[name];
  if (known !== undefined) {
    return `bitbucket-oidc ${command} needs ${name}, an optional dependency of cdktf-bitbucket-oidc that this install left out (npm --omit=optional, or a failed optional install); it is used by ${known.usedBy}. Install it: npm install ${name}@"${known.range}"\n`;
  }
  if (name.startsWith("@cloud-copilot/")) {
    return `bitbucket-oidc ${command} needs ${name} (a dependency of the optional IAM evaluator packages), which is not installed. Install the optional dependencies again: npm install ${Object.entries(OPTIONAL_DEPENDENCIES).map(([n, d]) => `${n}@"${d.range}"`).join(" ")}\n`;
  }
  return undefined;
}
