import type { ErrorObject, ValidateFunction } from "ajv";
import { closestName } from "../core/edit-distance";
import { joinPath, Problem } from "../core/problems";
import { CONFIG_SCHEMA as SCHEMA_SOURCE } from "../schema/config-schema";

/** The config's JSON Schema (lib/schema/config-schema.ts; published as bitbucket-oidc.schema.json). */
export const CONFIG_SCHEMA: Record<string, unknown> = SCHEMA_SOURCE;

let compiled: ValidateFunction | undefined;

/**
 * The schema's validator: the one precompiled by scripts/build.js next to the compiled module when
 * there is one (saves compiling the schema at every synth), else compiled now with the same options.
 */
function schemaValidator(): ValidateFunction {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("./schema-validator.js") as ValidateFunction;
  } catch {
    // Loaded only here: the precompiled validator needs none of Ajv's compiler (60-odd modules at start-up).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = (require("ajv") as typeof import("ajv")).default;
    return new Ajv({ allErrors: true, strict: false, verbose: true }).compile(CONFIG_SCHEMA);
  }
}

/** Checks a config object against the JSON Schema; returns every problem, in field-path form. */
export function checkSchema(input: unknown): Problem[] {
  compiled ??= schemaValidator();
  if (compiled(input)) return [];
  const errors = compiled.errors ?? [];
  // A failed oneOf also reports why each branch failed; keep only the oneOf's own error for that field.
  const oneOfPaths = new Set(errors.filter((e) => e.keyword === "oneOf").map((e) => e.instancePath));
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword !== "oneOf" && [...oneOfPaths].some((p) => error.instancePath.startsWith(p) && error.schemaPath.includes("/oneOf/"))) continue;
    // A key outside propertyNames is reported once, by the propertyNames error itself.
    if (error.schemaPath.includes("/propertyNames/")) continue;
    const problem = toProblem(error, input);
    const key = `${problem.path}\u0000${problem.message}`;
    if (!seen.has(key)) problems.push(problem);
    seen.add(key);
  }
  return problems;
}

/** Field path of an ajv instance path: `/roles/0/name` -> `roles[0].name`. */
export function fieldPath(instancePath: string): string {
  return instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<string>((path, seg) => joinPath(path, /^\d+$/.test(seg) ? Number(seg) : seg), "");
}

function valueAt(root: unknown, instancePath: string): unknown {
  let node: unknown = root;
  for (const seg of instancePath.split("/").slice(1)) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[seg.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node;
}

function toProblem(error: ErrorObject, root: unknown): Problem {
  const path = fieldPath(error.instancePath);
  const value = valueAt(root, error.instancePath);
  const schema = error.parentSchema as { description?: string; examples?: unknown[]; properties?: Record<string, unknown> } | undefined;
  const example = schema?.examples?.length ? `, e.g. ${JSON.stringify(schema.examples[0])}` : "";
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const known = Object.keys(schema?.properties ?? {});
      const hint = closestName(key, known);
      return {
        path: joinPath(path, key),
        value: (value as Record<string, unknown>)[key],
        message: `unknown key "${key}"; ${hint ? `did you mean "${hint}"? ` : ""}expected one of: ${known.join(", ")}`,
      };
    }
    case "propertyNames": {
      const key = String(params.propertyName);
      const known = ((error.schema as { enum?: unknown[] } | undefined)?.enum ?? []).map(String);
      const hint = closestName(key, known);
      const what = (error.schema as { description?: string } | undefined)?.description ?? "a known key";
      return { path: joinPath(path, key), value: (value as Record<string, unknown>)[key], message: `unknown key "${key}"; ${hint ? `did you mean "${hint}"? ` : ""}expected ${what}` };
    }
    case "required":
      return { path: joinPath(path, String(params.missingProperty)), value: undefined, message: "is required" };
    case "type":
      return { path, value, message: `expected ${article(String(params.type))}${example}` };
    case "enum":
      return { path, value, message: `expected one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}` };
    case "const":
      return { path, value, message: `expected ${JSON.stringify(params.allowedValue)}` };
    case "pattern":
      return { path, value, message: `expected ${schema?.description ? schema.description.replace(/\.$/, "").toLowerCase() : "a value"} matching ${String(params.pattern)}${example}` };
    case "oneOf":
      return { path, value, message: `expected ${schema?.description ?? "one of the allowed forms"}` };
    case "minItems":
      return { path, value, message: `expected at least ${String(params.limit)} item${params.limit === 1 ? "" : "s"}` };
    case "maxItems":
      return { path, value, message: `expected at most ${String(params.limit)} items` };
    default:
      return { path, value, message: error.message ?? "is not valid" };
  }
}

function article(type: string): string {
  const word = type === "integer" ? "whole number" : type === "array" ? "list" : type === "object" ? "mapping" : type;
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}
