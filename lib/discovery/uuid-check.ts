/**
 * `check-uuids`: does every UUID of a config still belong to the repository and environment it
 * names? A repository deleted and created again gets a new UUID, and the roles then trust nothing.
 */
import type { BitbucketOidcConfig } from "../config/model";
import { normalizeUuid } from "../bitbucket/uuid";
import type { BitbucketApi, Environment } from "./bitbucket-api";

/** One UUID of the config, checked. */
export interface UuidFinding {
  /** `workspace acme`, `repository web-app`, `environment production of web-app` */
  readonly what: string;
  readonly configured: string;
  /** What Bitbucket says now; undefined when it has no such repository or environment. */
  readonly current?: string;
  readonly ok: boolean;
  /** Why it is not ok, in words. */
  readonly note?: string;
}

interface RepositoryRef {
  readonly uuid: string;
  readonly name?: string;
  readonly environments: Map<string, string | undefined>;
}

/** The repositories (with their environments) that any role of the config trusts, once each. */
function repositoryRefs(config: BitbucketOidcConfig): RepositoryRef[] {
  const refs = new Map<string, RepositoryRef>();
  for (const c of [config, ...(config.accounts ?? [])]) {
    for (const role of c.roles) {
      for (const repo of role.repositories ?? []) {
        const key = `${repo.uuid}\u0000${repo.name ?? ""}`;
        const ref = refs.get(key) ?? { uuid: repo.uuid, name: repo.name, environments: new Map<string, string | undefined>() };
        for (const env of repo.environments ?? []) ref.environments.set(env.uuid, env.name);
        refs.set(key, ref);
      }
    }
  }
  return [...refs.values()];
}

const same = (a: string | undefined, b: string | undefined): boolean => a !== undefined && b !== undefined && normalizeUuid(a) === normalizeUuid(b);

/** Checks the config's workspace, repositories and environments against Bitbucket, in config order. */
export async function checkUuids(config: BitbucketOidcConfig, api: BitbucketApi, progress: (line: string) => void): Promise<UuidFinding[]> {
  const findings: UuidFinding[] = [];
  const slug = config.workspace.slug;
  const workspace = await api.workspace(slug);
  findings.push({ what: `workspace ${slug}`, configured: config.workspace.uuid, current: workspace.uuid, ok: same(config.workspace.uuid, workspace.uuid) });
  const refs = repositoryRefs(config);
  for (const [i, ref] of refs.entries()) {
    // By name when the config names it (its UUID may have changed), else by UUID (does it still exist?).
    const repo = await api.repository(slug, ref.name ?? ref.uuid);
    const what = `repository ${ref.name ?? ref.uuid}`;
    if (!repo) {
      findings.push({ what, configured: ref.uuid, ok: false, note: `no such repository in workspace ${slug} (deleted or renamed?)` });
      continue;
    }
    findings.push({ what, configured: ref.uuid, current: repo.uuid, ok: same(ref.uuid, repo.uuid) });
    if (ref.environments.size > 0) {
      const environments: Environment[] = await api.environments(slug, repo.slug);
      for (const [uuid, name] of ref.environments) {
        const current = name !== undefined ? environments.find((e) => e.name === name) : environments.find((e) => same(e.uuid, uuid));
        findings.push({
          what: `environment ${name ?? uuid} of ${ref.name ?? repo.slug}`,
          configured: uuid,
          current: current?.uuid,
          ok: same(uuid, current?.uuid),
          ...(current ? {} : { note: `no such deployment environment in ${repo.slug}` }),
        });
      }
    }
    if (refs.length > 25 && ((i + 1) % 25 === 0 || i + 1 === refs.length)) progress(`checked ${i + 1} of ${refs.length} repositories`);
  }
  return findings;
}
