import { AccessModel, AccessRole } from "../access-model/access-model";
import { workspaceOfIssuer } from "../bitbucket/bitbucket";
import { LoadedAccessModel } from "./access-models";
import { nameIndex } from "./names";
import { explainRole, RoleExplanation, StepClaims } from "./role-check";
import { DecodedToken } from "./token";
import { Verification } from "./verify";

/** A plain-language finding about the token itself (not about one role). */
export interface TokenNote {
  readonly kind: "decoded-only" | "verified" | "expired" | "other-workspace" | "non-bitbucket-issuer" | "audience-not-in-provider" | "not-a-step-subject";
  readonly message: string;
}

/** What the token says, with the config's names; never the token itself. */
export interface TokenSummary {
  readonly issuer: string;
  readonly workspace?: string;
  readonly audiences: readonly string[];
  readonly subject: string;
  readonly repository?: string;
  readonly environment?: string;
  readonly expiresAt?: string;
  readonly expired: boolean;
  readonly claims: Readonly<Record<string, string>>;
}

/** Roles that a step of the same repository would get in another environment (or with none). */
export interface OtherEnvironment {
  /** `{uuid} (staging)`, or undefined for a step without an environment. */
  readonly environment?: string;
  readonly roles: readonly { readonly stack: string; readonly role: string; readonly verdict: RoleExplanation["verdict"] }[];
}

/** The whole answer of `explain`, rendered as text or JSON. */
export interface ExplainReport {
  readonly token: TokenSummary;
  readonly verification?: Verification;
  readonly notes: readonly TokenNote[];
  readonly sourceIp?: string;
  readonly roles: readonly RoleExplanation[];
  readonly otherEnvironments: readonly OtherEnvironment[];
  /** The repository of the token, for the other-environment answer. */
  readonly repository?: string;
}

/** Which roles to explain. */
export interface RoleSelection {
  readonly stack?: string;
  readonly role?: string;
}

/** A role picked from the access models. */
export interface SelectedRole {
  readonly model: AccessModel;
  readonly role: AccessRole;
}

/** The selection cannot be satisfied (exit code 2). */
export class RoleSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RoleSelectionError";
  }
}

/** Picks the roles to explain: every role, those of one stack, or one role (unambiguous across stacks). */
export function selectRoles(models: readonly LoadedAccessModel[], selection: RoleSelection): SelectedRole[] {
  const all = models.flatMap(({ model }) => model.roles.map((role) => ({ model, role })));
  const stacks = [...new Set(models.map((m) => m.model.stack))];
  if (selection.stack !== undefined && !stacks.includes(selection.stack)) {
    throw new RoleSelectionError(`no stack "${selection.stack}" in the synth output; stacks: ${stacks.join(", ")}`);
  }
  const inStack = all.filter((x) => selection.stack === undefined || x.model.stack === selection.stack);
  if (selection.role === undefined) return inStack;
  const matches = inStack.filter((x) => x.role.name === selection.role);
  if (matches.length === 0) {
    const nearby = inStack.filter((x) => x.role.name.toLowerCase() === selection.role!.toLowerCase()).map((x) => x.role.name);
    throw new RoleSelectionError(
      `no role "${selection.role}"${selection.stack ? ` in stack ${selection.stack}` : ""}${nearby.length ? ` (did you mean ${nearby.join(", ")}?)` : ""}; roles: ${inStack.map((x) => x.role.name).join(", ")}`,
    );
  }
  if (matches.length > 1) {
    throw new RoleSelectionError(`role "${selection.role}" exists in stacks ${matches.map((x) => x.model.stack).join(", ")}: add --stack <name>`);
  }
  return matches;
}

/** Explains a decoded (and maybe verified) token against the selected roles of the synth output. */
export function explainToken(
  token: DecodedToken,
  models: readonly LoadedAccessModel[],
  selected: readonly SelectedRole[],
  options: { readonly sourceIp?: string; readonly verification?: Verification; readonly now?: Date },
): ExplainReport {
  const names = nameIndex(models.map((m) => m.model));
  const claims: StepClaims = { iss: token.iss, aud: token.aud, sub: token.sub, subject: token.subject, sourceIp: options.sourceIp };
  const roles = selected.map(({ model, role }) => explainRole(model, role, claims, names));
  const now = (options.now ?? new Date()).getTime() / 1000;
  const expired = token.exp !== undefined && token.exp <= now;
  const summary: TokenSummary = {
    issuer: token.iss,
    workspace: token.workspaceSlug,
    audiences: token.aud,
    subject: token.sub,
    repository: token.subject ? names.repository(token.subject.repositoryUuid) : undefined,
    environment: token.subject?.environmentUuid ? names.environment(token.subject.environmentUuid) : undefined,
    expiresAt: token.exp !== undefined ? new Date(token.exp * 1000).toISOString().replace(/\.\d{3}Z$/, "Z") : undefined,
    expired,
    claims: token.extra,
  };
  return {
    token: summary,
    verification: options.verification,
    notes: tokenNotes(token, models, expired, summary, options.verification),
    sourceIp: options.sourceIp,
    roles,
    otherEnvironments: otherEnvironments(models, selected, claims, roles, names),
    repository: summary.repository,
  };
}

function tokenNotes(token: DecodedToken, models: readonly LoadedAccessModel[], expired: boolean, summary: TokenSummary, verification?: Verification): TokenNote[] {
  const notes: TokenNote[] = [];
  notes.push(
    verification
      ? {
          kind: "verified",
          message:
            verification.keysFrom === "configured-issuer"
              ? `signature, issuer and expiry verified with keys from the Bitbucket issuer of the configured workspace: ${verification.discoveryUrl} names this issuer, and its keys at ${verification.jwksUrl} signed the token`
              : `signature and expiry verified against the keys at ${verification.jwksUrl} (given with --jwks-url; the issuer is checked for each role below)`,
        }
      : { kind: "decoded-only", message: "the token was decoded, NOT verified: its signature was not checked (add --verify to check it against the issuer's keys)" },
  );
  if (expired) {
    notes.push({
      kind: "expired",
      message: `the token expired at ${summary.expiresAt}: STS rejects it with ExpiredTokenException whatever the trust policy says. The answers below are about the trust policies only; a step gets a fresh token each run`,
    });
  }
  const trusted = [...new Set(models.map((m) => workspaceOfIssuer(m.model.provider.issuer)).filter((s): s is string => s !== undefined))];
  if (token.workspaceSlug === undefined) {
    notes.push({
      kind: "non-bitbucket-issuer",
      message: `the token's issuer ${token.iss} is not a Bitbucket Pipelines issuer (https://api.bitbucket.org/2.0/workspaces/<workspace>/pipelines-config/identity/oidc): is this the token of a Bitbucket step with oidc: true?`,
    });
  } else if (!trusted.includes(token.workspaceSlug)) {
    notes.push({
      kind: "other-workspace",
      message: `the token comes from workspace "${token.workspaceSlug}", but these stacks trust workspace ${trusted.map((s) => `"${s}"`).join(", ")} only: no role here can accept it (STS: "No OpenIDConnect provider found in your account for ${token.iss}" unless that workspace has a provider too)`,
    });
  }
  const provider = models.find((m) => m.model.provider.issuer === token.iss)?.model.provider;
  if (provider && !token.aud.some((a) => provider.audiences.includes(a))) {
    notes.push({
      kind: "audience-not-in-provider",
      message: `the token's aud ${token.aud.join(", ")} is not among the provider's audiences (${provider.audiences.join(", ")}): STS answers "Incorrect token audience" before it looks at any role`,
    });
  }
  if (!token.subject) {
    notes.push({ kind: "not-a-step-subject", message: `the token's sub is not in Bitbucket's form {repository}[:{environment}]:{step}: no repository or environment can be read from it` });
  }
  return notes;
}

/** Which denied roles a step of the same repository would get in another environment: the evaluator decides. */
function otherEnvironments(
  models: readonly LoadedAccessModel[],
  selected: readonly SelectedRole[],
  claims: StepClaims,
  answers: readonly RoleExplanation[],
  names: ReturnType<typeof nameIndex>,
): OtherEnvironment[] {
  const subject = claims.subject;
  if (!subject) return [];
  const known = new Set<string>();
  for (const role of models.flatMap((m) => m.model.roles)) {
    for (const repository of role.trust.repositories) {
      if (repository.uuid === subject.repositoryUuid) for (const e of repository.environments ?? []) known.add(e.uuid);
    }
  }
  const candidates: (string | undefined)[] = [...known].filter((e) => e !== subject.environmentUuid).sort();
  if (subject.environmentUuid !== undefined) candidates.unshift(undefined);
  const out: OtherEnvironment[] = [];
  for (const environmentUuid of candidates) {
    const sub = [subject.repositoryUuid, ...(environmentUuid ? [environmentUuid] : []), subject.stepUuid].join(":");
    const roles = selected
      .filter((_, i) => answers[i].verdict === "denied")
      .map(({ model, role }) => explainRole(model, role, { ...claims, sub, subject: { ...subject, environmentUuid } }, names))
      .filter((x) => x.verdict !== "denied")
      .map((x) => ({ stack: x.stack, role: x.role, verdict: x.verdict }));
    if (roles.length > 0) out.push({ environment: environmentUuid ? names.environment(environmentUuid) : undefined, roles });
  }
  return out;
}
