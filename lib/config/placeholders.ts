/**
 * Placeholders: values `bitbucket-oidc init` could not know (the AWS account id, region, state
 * bucket without their flags). They are written as `<fill in: what to put here>`, and validation
 * names each one left in a config, before any other check, saying what to put there.
 */
import type { Problem } from "../core/problems";

/** How a placeholder starts. */
export const PLACEHOLDER_PREFIX = "<fill in: ";

/** The placeholder text for a value. @example placeholder("your 12-digit AWS account id") */
export function placeholder(what: string): string {
  return `${PLACEHOLDER_PREFIX}${what}>`;
}

/** Every placeholder left in a config (parsed YAML or an object), as a problem at its path. */
export function placeholderProblems(input: unknown): Problem[] {
  const found: Problem[] = [];
  const walk = (node: unknown, path: string): void => {
    if (typeof node === "string") {
      if (node.startsWith(PLACEHOLDER_PREFIX) && node.endsWith(">")) {
        found.push({ path, value: node, message: `placeholder written by bitbucket-oidc init: put ${node.slice(PLACEHOLDER_PREFIX.length, -1)} here` });
      }
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path}[${i}]`));
    } else if (node !== null && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) walk(value, path ? `${path}.${key}` : key);
    }
  };
  walk(input, "");
  return found;
}
