/**
 * Turns an exported role into the config entry that adopts it: the provider (`existingArn`,
 * `adopt: true`), the workspace and account where they can be read, and the role with
 * `adopt: true`, its repositories and environments, policies, and attributes.
 */
import { defaultAudience } from "../bitbucket/bitbucket";
import { PolicyStatementProps } from "../iam/policy-document";
import { normalizeUuid } from "../bitbucket/uuid";
import { RoleConfig } from "../config/model";
import { ExportedRole } from "./aws-cli-output";
import { FindingList, MigrationFinding } from "./findings";
import { readIdentityPolicy } from "./identity-policy-reader";
import { readTrustPolicy, TrustReading } from "./trust-policy-reader";
import { compareTrust, TrustDifference, TrustProbe } from "./trust-differential";
import { ProblemList, throwIfProblems } from "../core/problems";

/** The part of a config file that adopts one role (merge it into bitbucket-oidc.yaml). */
export interface AdoptionEntry {
  readonly workspace: { readonly slug: string; readonly uuid?: string };
  readonly aws: { readonly accountId: string };
  readonly provider: { readonly existingArn: string; readonly adopt: true; readonly audiences?: readonly string[] };
  readonly roles: readonly [RoleConfig];
}

/** The entry and everything that could not be carried over exactly. */
export interface Migration {
  readonly roleArn: string;
  readonly entry: AdoptionEntry;
  readonly findings: readonly MigrationFinding[];
}

const DEFAULT_AUDIENCE = /^ari:cloud:bitbucket::workspace\/([0-9a-f-]{36})$/i;
const TRUST = "AssumeRolePolicyDocument";

/** Converts an exported role; throws a ValidationError when its trust policy trusts no Bitbucket provider. */
export function migrateRole(role: ExportedRole): Migration {
  const findings = new FindingList();
  const trust = readTrustPolicy(role.trustPolicy, TRUST, findings);
  if (!trust?.providerArn || !trust.workspaceSlug) {
    const list = new ProblemList();
    list.add(TRUST, role.trustPolicy, `role "${role.roleName}" trusts no Bitbucket Pipelines provider (Principal.Federated "arn:aws:iam::<account>:oidc-provider/api.bitbucket.org/2.0/workspaces/<slug>/pipelines-config/identity/oidc"); there is nothing to migrate`);
    throwIfProblems("bitbucket-oidc migrate", list);
  }
  const reading = trust as TrustReading & { readonly providerArn: string; readonly workspaceSlug: string };
  const { providerArn, workspaceSlug } = reading;

  const workspaceUuid = reading.audiences.map((a) => DEFAULT_AUDIENCE.exec(a)?.[1]).find((u) => u !== undefined);
  const onlyDefault = workspaceUuid !== undefined && reading.audiences.length === 1 && reading.audiences[0] === defaultAudience(workspaceUuid);
  const customAudiences = reading.audiences.length > 0 && !onlyDefault ? reading.audiences : undefined;
  if (customAudiences) {
    findings.add("check", `${TRUST}: aud`, `provider.audiences is set to the aud values the role accepts (${customAudiences.join(", ")}); compare it with ClientIDList of "aws iam get-open-id-connect-provider --open-id-connect-provider-arn ${providerArn}": the adopted provider is updated to exactly this list`);
  }
  if (!workspaceUuid) {
    findings.add("check", `${TRUST}: aud`, "the workspace UUID cannot be read from the audiences; set workspace.uuid from Repository settings -> Pipelines -> OpenID Connect");
  }

  const inlinePolicies: Record<string, PolicyStatementProps[]> = {};
  for (const name of role.inlinePolicyNames) {
    const document = role.inlinePolicies[name];
    if (!document) {
      findings.add("removed", `inline policy ${name}`, `its document was not given (--policy, the output of aws iam get-role-policy --role-name ${role.roleName} --policy-name ${name}); the config cannot hold it, so the plan REMOVES it`);
      continue;
    }
    const statements = readIdentityPolicy(document, `inline policy ${name}`, findings);
    if (statements.length > 0) inlinePolicies[name] = statements;
    else findings.add("removed", `inline policy ${name}`, "no statement of it can be held by the config, so the plan REMOVES it");
  }

  const roleEntry: RoleConfig = {
    name: role.roleName,
    adopt: true,
    ...(role.description ? { description: role.description } : {}),
    ...(role.path !== "/" ? { path: role.path } : {}),
    ...(role.maxSessionDuration !== undefined && role.maxSessionDuration !== 3600 ? { maxSessionDuration: role.maxSessionDuration } : {}),
    ...(role.permissionsBoundaryArn ? { permissionsBoundary: role.permissionsBoundaryArn } : {}),
    ...(reading.anyRepository ? { anyRepositoryInWorkspace: true } : { repositories: reading.repositories }),
    ...(reading.sourceIps.length > 0 ? { sourceIps: reading.sourceIps } : {}),
    ...(role.attachedPolicyArns.length > 0 ? { managedPolicyArns: role.attachedPolicyArns } : {}),
    ...(Object.keys(inlinePolicies).length > 0 ? { inlinePolicies } : {}),
    ...(Object.keys(role.tags).length > 0 ? { tags: role.tags } : {}),
  };
  const entry: AdoptionEntry = {
    workspace: { slug: workspaceSlug, ...(workspaceUuid ? { uuid: normalizeUuid(workspaceUuid) } : {}) },
    aws: { accountId: role.accountId },
    provider: { existingArn: providerArn, adopt: true, ...(customAudiences ? { audiences: customAudiences } : {}) },
    roles: [roleEntry],
  };
  reportTrustDifference(compareTrust(role.trustPolicy, entry, role.arn), findings);
  return { roleArn: role.arn, entry, findings: findings.findings };
}

/** The evaluator's word over the reader's: a token only the generated policy accepts is always WIDER. */
function reportTrustDifference(difference: TrustDifference | undefined, findings: FindingList): void {
  const token = (p: TrustProbe): string => `sub ${JSON.stringify(p.sub)}, aud ${JSON.stringify(p.aud)}, ${p.sourceIp ? `from ${p.sourceIp}` : "no source address"}`;
  if (difference?.wider) {
    findings.add("widened", TRUST, `the generated trust policy accepts a token the existing one refuses (${token(difference.wider)}), evaluated with the IAM evaluator: the generated role is WIDER; narrow the entry before applying`);
  }
  if (difference?.narrower && findings.findings.length === 0) {
    findings.add("narrowed", TRUST, `the existing trust policy accepts a token the generated one refuses (${token(difference.narrower)}), evaluated with the IAM evaluator`);
  }
}
