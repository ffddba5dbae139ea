/**
 * The check behind every `migrate` verdict: the existing trust policy and the one the generated
 * config synthesizes are both evaluated with the IAM evaluator on the tokens that can tell them
 * apart (every repository and environment UUID either names, a stranger, each audience, each source
 * range and none). A token only the generated policy accepts is a WIDER finding, whatever the
 * reader concluded; "Converted cleanly" needs both to agree on every one.
 */
import { evaluateTrust, WebIdentityRequest } from "../evaluation/trust-evaluator";
import { defaultAudience } from "../bitbucket/bitbucket";
import { IamPolicyDocument } from "../iam/policy-document";
import { normalizeRepositories, roleSubjects } from "../constructs/role-rules";
import { trustPolicyDocument } from "../iam/trust-policy";
import { bareUuid } from "../bitbucket/uuid";
import type { AdoptionEntry } from "./role-entry";

/** One token (and caller address) that the two policies are asked about. */
export interface TrustProbe {
  readonly sub: string;
  readonly aud: string;
  readonly sourceIp?: string;
}

/** Where the two policies disagree; undefined when they agree on every probe. */
export interface TrustDifference {
  /** A probe the generated policy allows and the existing one does not. */
  readonly wider?: TrustProbe;
  /** A probe the existing policy allows and the generated one does not. */
  readonly narrower?: TrustProbe;
}

const PROVIDER_ARN = /^arn:aws(?:-[a-z]+)*:iam::(\d{12}):oidc-provider\/(.+)$/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const STRANGER = "{0f0e0d0c-0b0a-4900-8800-a1b2c3d4e5f6}";
const STEP = "{5eed5eed-0000-4000-8000-000000000001}";
const OUTSIDE_IP = "198.51.100.77";

/**
 * Stands for the workspace UUID the user fills in when migrate could not read it: a UUID the existing
 * policy cannot name, so an audience condition it would fail is seen as WIDER, not assumed away.
 */
const UNKNOWN_WORKSPACE = "{a0a0a0a0-b1b1-4c2c-8d3d-e4e4e4e4e4e4}";

function workspaceUuidOf(entry: AdoptionEntry): string {
  return entry.workspace.uuid ?? UNKNOWN_WORKSPACE;
}

/** The trust policy the generated config entry synthesizes (the construct's own functions); undefined when it accepts nothing. */
export function generatedTrustPolicy(entry: AdoptionEntry): IamPolicyDocument | undefined {
  const role = entry.roles[0];
  const prefix = PROVIDER_ARN.exec(entry.provider.existingArn)?.[2];
  const audiences = role.audiences ?? entry.provider.audiences ?? [defaultAudience(bareUuid(workspaceUuidOf(entry)))];
  const subjects = roleSubjects({ repositories: normalizeRepositories(role.repositories), anyRepositoryInWorkspace: role.anyRepositoryInWorkspace });
  if (!prefix || audiences.length === 0 || subjects.length === 0) return undefined;
  return trustPolicyDocument({ providerArn: entry.provider.existingArn, conditionKeyPrefix: prefix, audiences, subjects, sourceIps: role.sourceIps });
}

/** Strings under any `...:aud` condition key of a policy. */
function audienceValues(policy: unknown): string[] {
  const out = new Set<string>();
  const walk = (value: unknown, key = ""): void => {
    if (typeof value === "string" && /:aud$/i.test(key)) out.add(value);
    else if (Array.isArray(value)) value.forEach((v) => walk(v, key));
    else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(policy);
  return [...out].filter((a) => !/[*?]/.test(a));
}

/** CIDR ranges named anywhere in a policy, as one address inside each. */
function addressesIn(policy: unknown): string[] {
  const text = JSON.stringify(policy);
  return [...new Set([...text.matchAll(/"(\d{1,3}(?:\.\d{1,3}){3})\/\d{1,2}"/g)].map((m) => m[1]))];
}

/** The probes that tell the two policies apart. */
export function trustProbes(existing: unknown, generated: IamPolicyDocument | undefined, workspaceUuid?: string): TrustProbe[] {
  const both = JSON.stringify([existing, generated ?? {}]);
  const uuids = [...new Set([...both.matchAll(UUID)].map((m) => `{${m[0].toLowerCase()}}`)), STRANGER];
  const subs = uuids.flatMap((repo) => [`${repo}:${STEP}`, ...uuids.map((env) => `${repo}:${env}:${STEP}`)]);
  const auds = [...new Set([...audienceValues(existing), ...audienceValues(generated), ...(workspaceUuid ? [defaultAudience(bareUuid(workspaceUuid))] : []), "sts.amazonaws.com"])];
  const ips = [undefined, OUTSIDE_IP, ...addressesIn(existing), ...addressesIn(generated)];
  return subs.flatMap((sub) => auds.flatMap((aud) => ips.map((sourceIp) => ({ sub, aud, ...(sourceIp ? { sourceIp } : {}) }))));
}

/**
 * Compares the existing trust policy with the generated entry's on every probe. Undefined when the
 * existing policy cannot be evaluated (the reader's findings then stand on their own).
 */
export function compareTrust(existing: unknown, entry: AdoptionEntry, roleArn: string): TrustDifference | undefined {
  const match = PROVIDER_ARN.exec(entry.provider.existingArn);
  if (!match) return undefined;
  const [, accountId, issuerHostPath] = match;
  const generated = generatedTrustPolicy(entry);
  const allows = (policy: IamPolicyDocument | undefined, probe: TrustProbe): boolean => {
    if (!policy) return false;
    const request: WebIdentityRequest = { issuerHostPath, aud: probe.aud, sub: probe.sub, sourceIp: probe.sourceIp, accountId, roleArn };
    return evaluateTrust(policy, request) === "Allowed";
  };
  let wider: TrustProbe | undefined;
  let narrower: TrustProbe | undefined;
  try {
    for (const probe of trustProbes(existing, generated, workspaceUuidOf(entry))) {
      const before = allows(existing as IamPolicyDocument, probe);
      const after = allows(generated, probe);
      if (after && !before) wider ??= probe;
      if (before && !after) narrower ??= probe;
      if (wider && narrower) break;
    }
  } catch {
    return undefined;
  }
  return { ...(wider ? { wider } : {}), ...(narrower ? { narrower } : {}) };
}
