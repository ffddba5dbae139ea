/** The access report: for each stack and role, who can assume it and what it may do. */
import { AccessRole } from "../access-model/access-model";
import { subjectPattern } from "../bitbucket/bitbucket";
import { ActionExpansions, expansionOf, roleStatements, statementActions, statementResources } from "./actions";
import { SynthStack } from "./load";
import { RoleAccess, StackAccess, StatementAccess } from "./report";

/** The report's view of each stack (stacks without an access model are listed as such). */
export function accessOf(stacks: readonly SynthStack[], expansions: ActionExpansions): StackAccess[] {
  return stacks.map(({ name, model }) => {
    if (!model) return { name, hasAccessModel: false, roles: [] };
    return {
      name,
      hasAccessModel: true,
      workspace: model.workspace,
      aws: model.aws,
      provider: { arn: model.provider.arn, address: model.provider.address, issuer: model.provider.issuer, audiences: model.provider.audiences },
      roles: model.roles.map((role) => roleAccess(role, expansions)),
    };
  });
}

function roleAccess(role: AccessRole, expansions: ActionExpansions): RoleAccess {
  return {
    name: role.name,
    arn: role.arn,
    address: role.address,
    description: role.description,
    path: role.path,
    anyRepositoryInWorkspace: role.trust.anyRepositoryInWorkspace,
    repositories: role.trust.repositories.map((repo) => {
      const environments = (repo.environments ?? []).map((env) => ({ uuid: env.uuid, name: env.name }));
      return {
        uuid: repo.uuid,
        name: repo.name,
        environments,
        subjects: environments.length > 0 ? environments.map((env) => subjectPattern(repo.uuid, env.uuid)) : [subjectPattern(repo.uuid)],
      };
    }),
    audiences: [...role.trust.audiences],
    sourceIps: [...role.trust.sourceIps],
    maxSessionDuration: role.maxSessionDuration,
    permissionsBoundary: role.permissionsBoundary,
    managedPolicyArns: [...role.managedPolicyArns],
    statements: roleStatements(role).map(({ policy, statement }): StatementAccess => {
      const actions = statementActions(statement);
      const expanded = new Set<string>();
      const unknownActions: string[] = [];
      for (const action of actions) {
        const expansion = expansionOf(expansions, action);
        if (!expansion.known) unknownActions.push(action);
        for (const a of expansion.actions) expanded.add(a);
      }
      return {
        policy,
        sid: statement.Sid,
        effect: statement.Effect,
        actions,
        expandedActionCount: expanded.size,
        unknownActions,
        resources: statementResources(statement),
        conditions: statement.Condition,
      };
    }),
    grants: role.grants ?? {},
    acknowledgements: role.acknowledgements ?? [],
  };
}
