/**
 * Reads a workspace from Bitbucket's API: its UUID, the repositories whose slug matches one of the
 * globs, and each one's deployment environments. Progress goes to `progress`, a line every so often
 * for workspaces with many repositories.
 */
import { BitbucketApi, BitbucketApiError, Workspace } from "./bitbucket-api";
import type { DiscoveredRepository } from "./starter-config";

/** Repositories at which progress lines start, and how often they come. */
const PROGRESS_EVERY = 25;

/** What `init` read. */
export interface DiscoveredWorkspace {
  readonly workspace: Workspace;
  readonly repositories: readonly DiscoveredRepository[];
  /** Repositories of the workspace, before the globs. */
  readonly listed: number;
}

/** A glob over repository slugs: `*` any run of characters, `?` one character; the rest literal. */
export function globMatcher(globs: readonly string[]): (slug: string) => boolean {
  if (globs.length === 0) return () => true;
  const patterns = globs.map((g) => new RegExp(`^${g.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i"));
  return (slug) => patterns.some((p) => p.test(slug));
}

export async function discoverWorkspace(api: BitbucketApi, slug: string, globs: readonly string[], progress: (line: string) => void): Promise<DiscoveredWorkspace> {
  const workspace = await api.workspace(slug);
  if (typeof workspace.uuid !== "string") throw new BitbucketApiError(`reading workspace "${slug}": the answer has no uuid`);
  progress(`workspace ${workspace.slug ?? slug} ${workspace.uuid}; listing its repositories`);
  const all = await api.repositories(slug);
  const match = globMatcher(globs);
  const chosen = all.filter((r) => match(r.slug));
  if (chosen.length === 0) {
    const shown = all.slice(0, 10).map((r) => r.slug).join(", ");
    throw new BitbucketApiError(
      globs.length > 0
        ? `no repository of workspace "${slug}" matches ${globs.map((g) => `"${g}"`).join(", ")} (${all.length} listed${shown ? `, e.g. ${shown}` : ""})`
        : `workspace "${slug}" has no repository the credentials can see`,
    );
  }
  const repositories: DiscoveredRepository[] = [];
  for (const repository of chosen) {
    repositories.push({ repository, environments: await api.environments(slug, repository.slug) });
    const done = repositories.length;
    if (chosen.length > PROGRESS_EVERY && (done % PROGRESS_EVERY === 0 || done === chosen.length)) progress(`read the environments of ${done} of ${chosen.length} repositories`);
  }
  return { workspace: { ...workspace, slug: workspace.slug ?? slug }, repositories, listed: all.length };
}
