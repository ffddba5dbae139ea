import { AccessModel, AccessRole } from "../access-model/access-model";
import { evaluateTrust, TrustDecision } from "../evaluation/trust-evaluator";
import { IamPolicyDocument } from "../iam/policy-document";
import { NameIndex } from "./names";

/**
 * Explains one role for one set of claims. The verdict is the IAM evaluator's answer
 * (`evaluateTrust`, iam-simulate) for the token's own claims; the per-condition diagnosis is also the
 * evaluator's: each condition is judged by evaluating the token's value for that condition together
 * with values the role accepts for all the others. No condition is matched by hand.
 */

/** What STS sees of a step: the token's claims and, when known, the caller's address. */
export interface StepClaims {
  /** The token's `iss`. */
  readonly iss: string;
  readonly aud: readonly string[];
  readonly sub: string;
  /** `sub` split, when it has Bitbucket's form. */
  readonly subject?: { readonly repositoryUuid: string; readonly environmentUuid?: string; readonly stepUuid: string };
  /** The step's address (`--source-ip`); undefined: unknown. */
  readonly sourceIp?: string;
}

/** A condition of the trust policy, as explain names it. */
export type CheckName = "issuer" | "audience" | "repository" | "environment" | "subject" | "sourceIp" | "combination";

/**
 * pass / fail: the evaluator accepts / rejects the token's value. depends: an IP condition and no
 * --source-ip. not-restricted: the role has no such condition. not-checked: an earlier part failed.
 */
export type CheckStatus = "pass" | "fail" | "depends" | "not-restricted" | "not-checked";

/** One condition: the token's value next to what the role expects. */
export interface ConditionCheck {
  readonly name: CheckName;
  readonly status: CheckStatus;
  /** The token's value, with the config's names. */
  readonly token: string;
  /** What the role accepts, with the config's names. */
  readonly expected: readonly string[];
}

/** allowed / denied: the evaluator's answer. allowed-if-source-ip: allowed when the step's address is in the role's ranges. */
export type Verdict = "allowed" | "denied" | "allowed-if-source-ip";

/** The answer for one role. */
export interface RoleExplanation {
  readonly stack: string;
  readonly role: string;
  /** The role ARN; `<account>` stands for the account when it is not known at synth. */
  readonly arn: string;
  readonly verdict: Verdict;
  /** The evaluator's decision the verdict comes from. */
  readonly decision: TrustDecision;
  /** The address the decision was evaluated with: --source-ip, or one the role accepts when it depends on it. */
  readonly evaluatedSourceIp?: string;
  readonly checks: readonly ConditionCheck[];
}

/** Account used when the access model knows none (the provider and the role live in the same account). */
export const PLACEHOLDER_ACCOUNT = "000000000000";

/** A role's trust policy with every Terraform reference replaced by the concrete value AWS would see. */
export interface ConcreteTrust {
  readonly policy: IamPolicyDocument;
  readonly accountId: string;
  readonly roleArn: string;
}

const PROVIDER_REFERENCE = /\$\{aws_iam_openid_connect_provider\.[^}]+\.arn\}/g;

/** Substitutes the provider ARN (in the role's account, or {@link PLACEHOLDER_ACCOUNT}) into a role's trust policy. */
export function concreteTrust(model: AccessModel, role: AccessRole): ConcreteTrust {
  const literal = /^arn:(aws[a-z-]*):iam::(\d{12}):/.exec(model.provider.arn ?? "");
  const partition = literal?.[1] ?? model.aws.partition ?? "aws";
  const accountId = literal?.[2] ?? model.aws.accountId ?? PLACEHOLDER_ACCOUNT;
  const providerArn = model.provider.arn ?? `arn:${partition}:iam::${accountId}:oidc-provider/${model.provider.conditionKeyPrefix}`;
  const text = JSON.stringify(role.trustPolicy).replace(PROVIDER_REFERENCE, providerArn);
  const left = /\$\{[^}]+\}/.exec(text);
  if (left) throw new Error(`role ${role.name} of stack ${model.stack}: its trust policy holds the reference ${left[0]}, which explain cannot resolve`);
  return { policy: JSON.parse(text) as IamPolicyDocument, accountId, roleArn: role.arn ?? `arn:${partition}:iam::${accountId}:role${role.path}${role.name}` };
}

interface Request {
  readonly issuerHostPath: string;
  readonly aud: readonly string[];
  readonly sub: string;
  readonly sourceIp?: string;
}

/** The issuer as STS turns it into a provider name and condition-key prefix: without `https://`. */
export function issuerHostPathOf(iss: string): string {
  return iss.replace(/^https:\/\//, "").replace(/\/$/, "");
}

const SAMPLE_REPOSITORY = "{00000000-0000-4000-8000-000000000000}";
const SAMPLE_STEP = "{00000000-0000-4000-8000-000000000001}";

/** A `sub` the pattern accepts: `{*}` becomes a repository UUID, the trailing `*` a step UUID. */
function sampleSubject(pattern: string): string {
  return pattern.replace("{*}", SAMPLE_REPOSITORY).replace(/\*/g, SAMPLE_STEP).replace(/\?/g, "0");
}

/** Explains one role for the given claims. */
export function explainRole(model: AccessModel, role: AccessRole, claims: StepClaims, names: NameIndex): RoleExplanation {
  const trust = concreteTrust(model, role);
  const evaluate = (r: Request): TrustDecision =>
    evaluateTrust(trust.policy, {
      issuerHostPath: r.issuerHostPath,
      aud: r.aud.length === 1 ? r.aud[0] : r.aud,
      sub: r.sub,
      sourceIp: r.sourceIp,
      accountId: trust.accountId,
      roleArn: trust.roleArn,
    });
  const accepts = (r: Request): boolean => evaluate(r) === "Allowed";

  // Values the role accepts for each condition; the evaluator must accept them together.
  const acceptedSubjects = role.trust.subjects.map(sampleSubject);
  const acceptedIp = role.trust.sourceIps.length > 0 ? role.trust.sourceIps[0].split("/")[0] : undefined;
  const base: Request = { issuerHostPath: model.provider.conditionKeyPrefix, aud: [role.trust.audiences[0]], sub: acceptedSubjects[0], sourceIp: acceptedIp };
  if (!accepts(base)) {
    throw new Error(`role ${role.name} of stack ${model.stack}: its trust policy rejects the audiences and subjects its access model lists; synthesize again`);
  }

  const tokenIssuer = issuerHostPathOf(claims.iss);
  const checks: ConditionCheck[] = [];
  const status = (ok: boolean): CheckStatus => (ok ? "pass" : "fail");
  checks.push({
    name: "issuer",
    status: status(accepts({ ...base, issuerHostPath: tokenIssuer })),
    token: names.issuer(claims.iss),
    expected: [names.issuer(model.provider.issuer)],
  });
  checks.push({ name: "audience", status: status(accepts({ ...base, aud: claims.aud })), token: claims.aud.join(", "), expected: role.trust.audiences });
  checks.push(...subjectChecks(model, role, claims, names, base, acceptedSubjects, accepts));
  if (role.trust.sourceIps.length === 0) {
    checks.push({ name: "sourceIp", status: "not-restricted", token: claims.sourceIp ?? "not given", expected: ["any address"] });
  } else {
    checks.push({
      name: "sourceIp",
      status: claims.sourceIp === undefined ? "depends" : status(accepts({ ...base, sourceIp: claims.sourceIp })),
      token: claims.sourceIp ?? "not given (a token carries no address)",
      expected: role.trust.sourceIps,
    });
  }

  // The verdict: the evaluator's answer for the token's own claims.
  const dependsOnIp = acceptedIp !== undefined && claims.sourceIp === undefined;
  const evaluatedSourceIp = dependsOnIp ? acceptedIp : claims.sourceIp;
  const decision = evaluate({ issuerHostPath: tokenIssuer, aud: claims.aud, sub: claims.sub, sourceIp: evaluatedSourceIp });
  const verdict: Verdict = decision !== "Allowed" ? "denied" : dependsOnIp ? "allowed-if-source-ip" : "allowed";
  if (verdict === "denied" && !checks.some((c) => c.status === "fail")) {
    // Each condition alone is met, yet not together: say so rather than invent a reason.
    checks.push({ name: "combination", status: "fail", token: "these claims together", expected: ["one statement of the trust policy matching all of them"] });
  }
  const arn = role.arn ?? (trust.accountId === PLACEHOLDER_ACCOUNT ? trust.roleArn.replace(`::${PLACEHOLDER_ACCOUNT}:`, "::<account>:") : trust.roleArn);
  return { stack: model.stack, role: role.name, arn, verdict, decision, evaluatedSourceIp: evaluatedSourceIp, checks };
}

function subjectChecks(
  model: AccessModel,
  role: AccessRole,
  claims: StepClaims,
  names: NameIndex,
  base: Request,
  acceptedSubjects: readonly string[],
  accepts: (r: Request) => boolean,
): ConditionCheck[] {
  const subject = claims.subject;
  if (!subject) {
    return [{ name: "subject", status: accepts({ ...base, sub: claims.sub }) ? "pass" : "fail", token: claims.sub, expected: role.trust.subjects }];
  }
  const repositoryOk = acceptedSubjects.some((s) => accepts({ ...base, sub: [subject.repositoryUuid, ...s.split(":").slice(1)].join(":") }));
  const expectedRepositories = role.trust.anyRepositoryInWorkspace
    ? [`any repository of workspace ${model.workspace.slug} (anyRepositoryInWorkspace)`]
    : role.trust.repositories.map((r) => names.repository(r.uuid));
  const trusted = role.trust.repositories.find((r) => r.uuid === subject.repositoryUuid);
  const expectedEnvironments =
    trusted?.environments && trusted.environments.length > 0
      ? trusted.environments.map((e) => names.environment(e.uuid))
      : trusted || role.trust.anyRepositoryInWorkspace
        ? ["any step, with or without an environment"]
        : ["(the repository is not trusted)"];
  return [
    { name: "repository", status: repositoryOk ? "pass" : "fail", token: names.repository(subject.repositoryUuid), expected: expectedRepositories },
    {
      name: "environment",
      status: repositoryOk ? (accepts({ ...base, sub: claims.sub }) ? "pass" : "fail") : "not-checked",
      token: subject.environmentUuid ? names.environment(subject.environmentUuid) : "none (the step deploys to no environment)",
      expected: expectedEnvironments,
    },
  ];
}
