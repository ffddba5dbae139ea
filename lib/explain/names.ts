import { AccessModel } from "../access-model/access-model";
import { workspaceOfIssuer } from "../bitbucket/bitbucket";

/** Shows UUIDs and issuers with the names the config gives them. */
export interface NameIndex {
  /** `{uuid} (web-app)`, or the UUID alone when no config names it. */
  repository(uuid: string): string;
  /** `{uuid} (production)`, or the UUID alone. */
  environment(uuid: string): string;
  /** `https://... (workspace acme)`, or `... (not a Bitbucket Pipelines issuer)`. */
  issuer(iss: string): string;
  /** The name alone, when the config gives one. */
  repositoryName(uuid: string): string | undefined;
  environmentName(uuid: string): string | undefined;
}

/** Collects repository and environment names from every access model. */
export function nameIndex(models: readonly AccessModel[]): NameIndex {
  const repositories = new Map<string, string>();
  const environments = new Map<string, string>();
  for (const role of models.flatMap((m) => m.roles)) {
    for (const repository of role.trust.repositories) {
      if (repository.name) repositories.set(repository.uuid, repository.name);
      for (const environment of repository.environments ?? []) if (environment.name) environments.set(environment.uuid, environment.name);
    }
  }
  const named = (map: Map<string, string>) => (uuid: string) => (map.has(uuid) ? `${uuid} (${map.get(uuid)})` : uuid);
  return {
    repository: named(repositories),
    environment: named(environments),
    issuer: (iss) => {
      const slug = workspaceOfIssuer(iss);
      return slug ? `${iss} (workspace ${slug})` : `${iss} (not a Bitbucket Pipelines issuer)`;
    },
    repositoryName: (uuid) => repositories.get(uuid),
    environmentName: (uuid) => environments.get(uuid),
  };
}
