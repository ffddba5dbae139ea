/**
 * The one reader of `access-model.json`, shared by review, explain and snippet: it checks the whole
 * shape the commands rely on, so a wrong-shape file is bad input (exit 2, naming the file, field and
 * value) and never a crash further on.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ACCESS_MODEL_FILE, ACCESS_MODEL_VERSION, AccessModel } from "./access-model";

/** An access model that cannot be read or has the wrong shape. Exit code 2. */
export class AccessModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AccessModelError";
  }
}

const HINT = "synthesize again with this version of bitbucket-oidc to rewrite it";

/** Reads and checks one access model file. */
export function readAccessModelFile(file: string): AccessModel {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new AccessModelError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); ${HINT}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new AccessModelError(`${file}: not valid JSON (${(e as Error).message}); ${HINT}`);
  }
  checkAccessModel(parsed, file);
  return parsed;
}

/** The stack folders of a synth output (`<folder>/stacks/*`), by name, with their access model file if any. */
export function accessModelFiles(synthDir: string): { readonly stack: string; readonly file?: string }[] {
  const stacksDir = join(synthDir, "stacks");
  if (!existsSync(stacksDir)) return [];
  return readdirSync(stacksDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((stack) => {
      const file = join(stacksDir, stack, ACCESS_MODEL_FILE);
      return existsSync(file) ? { stack, file } : { stack };
    });
}

type Check = (value: unknown, at: string) => string | undefined;

const describe = (value: unknown): string => (value === undefined ? "missing" : JSON.stringify(value)?.slice(0, 80) ?? String(value));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str: Check = (v) => (typeof v === "string" ? undefined : "expected a string");
const optStr: Check = (v) => (v === undefined || typeof v === "string" ? undefined : "expected a string");
const num: Check = (v) => (typeof v === "number" && Number.isFinite(v) ? undefined : "expected a number");
const bool: Check = (v) => (typeof v === "boolean" ? undefined : "expected true or false");
const obj: Check = (v) => (isObject(v) ? undefined : "expected an object");
const strings: Check = (v) => (Array.isArray(v) && v.every((s) => typeof s === "string") ? undefined : "expected a list of strings");
const policy: Check = (v) => (isObject(v) && Array.isArray(v.Statement) && v.Statement.every(isObject) ? undefined : "expected a policy document with a Statement list");

/** Throws {@link AccessModelError} at the first field that does not have the shape of an access model. */
export function checkAccessModel(value: unknown, file: string): asserts value is AccessModel {
  const fail = (at: string, found: unknown, expected: string): never => {
    throw new AccessModelError(`${file}: ${at}: ${describe(found)}: ${expected}; ${HINT}`);
  };
  const field = (parent: Record<string, unknown>, key: string, check: Check, at: string): unknown => {
    const v = parent[key];
    const problem = check(v, `${at}${key}`);
    if (problem) fail(`${at}${key}`, v, problem);
    return v;
  };
  if (!isObject(value)) return fail("(top level)", value, "expected an access model object");
  if (value.version !== ACCESS_MODEL_VERSION) fail("version", value.version, `expected access model version ${ACCESS_MODEL_VERSION}`);
  field(value, "stack", str, "");
  const workspace = field(value, "workspace", obj, "") as Record<string, unknown>;
  field(workspace, "slug", str, "workspace.");
  field(workspace, "uuid", str, "workspace.");
  field(workspace, "name", optStr, "workspace.");
  const aws = field(value, "aws", obj, "") as Record<string, unknown>;
  field(aws, "region", str, "aws.");
  field(aws, "accountId", optStr, "aws.");
  const provider = field(value, "provider", obj, "") as Record<string, unknown>;
  for (const key of ["issuer", "conditionKeyPrefix"]) field(provider, key, str, "provider.");
  for (const key of ["arn", "address"]) field(provider, key, optStr, "provider.");
  field(provider, "audiences", strings, "provider.");
  if (!Array.isArray(value.roles)) fail("roles", value.roles, "expected a list of roles");
  (value.roles as unknown[]).forEach((role, i) => {
    const at = `roles[${i}].`;
    if (!isObject(role)) return fail(`roles[${i}]`, role, "expected a role object");
    for (const key of ["name", "address", "arnOutput", "path"]) field(role, key, str, at);
    for (const key of ["arn", "description", "permissionsBoundary"]) field(role, key, optStr, at);
    field(role, "maxSessionDuration", num, at);
    field(role, "managedPolicyArns", strings, at);
    field(role, "grants", obj, at);
    field(role, "trustPolicy", policy, at);
    const policies = field(role, "inlinePolicies", obj, at) as Record<string, unknown>;
    for (const [name, doc] of Object.entries(policies)) if (policy(doc, "")) fail(`${at}inlinePolicies.${name}`, doc, "expected a policy document with a Statement list");
    const trust = field(role, "trust", obj, at) as Record<string, unknown>;
    for (const key of ["audiences", "subjects", "sourceIps"]) field(trust, key, strings, `${at}trust.`);
    field(trust, "anyRepositoryInWorkspace", bool, `${at}trust.`);
    if (!Array.isArray(trust.repositories)) fail(`${at}trust.repositories`, trust.repositories, "expected a list of repositories");
    (trust.repositories as unknown[]).forEach((repo, j) => {
      const rat = `${at}trust.repositories[${j}].`;
      if (!isObject(repo)) return fail(rat.slice(0, -1), repo, "expected { uuid, name?, environments? }");
      field(repo, "uuid", str, rat);
      field(repo, "name", optStr, rat);
      if (repo.environments === undefined) return;
      if (!Array.isArray(repo.environments)) fail(`${rat}environments`, repo.environments, "expected a list of environments");
      (repo.environments as unknown[]).forEach((env, k) => {
        if (!isObject(env) || typeof env.uuid !== "string" || optStr(env.name, "")) fail(`${rat}environments[${k}]`, env, "expected { uuid, name? }");
      });
    });
    if (!Array.isArray(role.acknowledgements)) fail(`${at}acknowledgements`, role.acknowledgements, "expected a list of { rule, reason }");
    (role.acknowledgements as unknown[]).forEach((ack, k) => {
      if (!isObject(ack) || typeof ack.rule !== "string" || typeof ack.reason !== "string") fail(`${at}acknowledgements[${k}]`, ack, "expected { rule, reason }");
    });
  });
}
