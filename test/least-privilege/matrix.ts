/**
 * The access matrix: real tokens (minted, served, verified like STS) against every role of a
 * synthesized stack, read back from cdk.tf.json with references resolved.
 */
import { defaultAudience, issuerUrl } from "../../lib/bitbucket/bitbucket";
import { bareUuid } from "../../lib/bitbucket/uuid";
import { BitbucketOidcConfigInput } from "../../lib/config/model";
import { TerraformJson, UUIDS } from "../support/synth";
import { AccountProvider, assumeRoleWithWebIdentity, AssumeOutcome, providersOf } from "../support/sts";
import { rolesFromTerraform } from "../support/terraform-json";
import { StepClaims, TestIssuer } from "../support/tokens";

export const ACCOUNT_ID = "123456789012";
/** Inside the `aws:SourceIp` range the matrix's IP-bound role allows. */
export const INSIDE_IP = "104.192.137.10";
export const OUTSIDE_IP = "203.0.113.9";
export const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";

/** A token (and where the call comes from), by the row label the table of docs/trust.md uses. */
export interface TokenCase {
  readonly label: string;
  readonly claims: StepClaims;
  readonly sourceIp?: string;
  /** Sign with a key that is not the issuer's. */
  readonly forged?: boolean;
}

const acme = { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace };

/** The rows: the same repository with and without an environment, and every kind of outsider. */
export const TOKEN_CASES: readonly TokenCase[] = [
  { label: "repo A, no environment", claims: { ...acme, repositoryUuid: UUIDS.repoA }, sourceIp: INSIDE_IP },
  { label: "repo A, production", claims: { ...acme, repositoryUuid: UUIDS.repoA, environmentUuid: UUIDS.envProduction }, sourceIp: INSIDE_IP },
  { label: "repo A, staging (other environment)", claims: { ...acme, repositoryUuid: UUIDS.repoA, environmentUuid: UUIDS.envStaging }, sourceIp: INSIDE_IP },
  { label: "repo A, no environment, outside the IP range", claims: { ...acme, repositoryUuid: UUIDS.repoA }, sourceIp: OUTSIDE_IP },
  { label: "repo B (other repository, same workspace)", claims: { ...acme, repositoryUuid: UUIDS.repoB }, sourceIp: INSIDE_IP },
  { label: "repo C, production (other repository)", claims: { ...acme, repositoryUuid: UUIDS.repoC, environmentUuid: UUIDS.envProduction }, sourceIp: INSIDE_IP },
  {
    label: "other workspace, same repository UUID",
    claims: { workspaceSlug: "globex", workspaceUuid: UUIDS.otherWorkspace, repositoryUuid: UUIDS.repoA },
    sourceIp: INSIDE_IP,
  },
  { label: "wrong audience (sts.amazonaws.com)", claims: { ...acme, repositoryUuid: UUIDS.repoA, aud: "sts.amazonaws.com" }, sourceIp: INSIDE_IP },
  {
    label: "other provider (GitHub Actions)",
    claims: { ...acme, repositoryUuid: UUIDS.repoA, iss: GITHUB_ISSUER, aud: "sts.amazonaws.com", sub: "repo:acme/web-app:ref:refs/heads/main" },
    sourceIp: INSIDE_IP,
  },
  { label: "forged signature", claims: { ...acme, repositoryUuid: UUIDS.repoA }, sourceIp: INSIDE_IP, forged: true },
  { label: "expired", claims: { ...acme, repositoryUuid: UUIDS.repoA, expiresIn: -60 }, sourceIp: INSIDE_IP },
];

/**
 * The providers of the account besides the stack's own: another workspace's and GitHub's are
 * registered too, so that their tokens pass STS's verification and it is the trust policy that
 * turns them away.
 */
export function accountProviders(json: TerraformJson): AccountProvider[] {
  return [
    ...providersOf(json),
    { url: issuerUrl("globex"), audiences: [defaultAudience(bareUuid(UUIDS.otherWorkspace))] },
    { url: GITHUB_ISSUER, audiences: ["sts.amazonaws.com"] },
  ];
}

/** The roles of the matrix: one of each kind (whole repository, one environment, several repositories, source IP). */
export const MATRIX_ROLES: NonNullable<BitbucketOidcConfigInput["roles"]> = [
  { name: "repository-wide", repositories: [{ uuid: UUIDS.repoA }] },
  { name: "environment-only", repositories: [{ uuid: UUIDS.repoA, environments: [{ uuid: UUIDS.envProduction }] }] },
  { name: "several-repositories", repositories: [{ uuid: UUIDS.repoA }, { uuid: UUIDS.repoB }] },
  { name: "source-ip", repositories: [{ uuid: UUIDS.repoA }], sourceIps: ["104.192.136.0/21"] },
];

/** One real token per case, in order (forged cases signed with a key that is not the issuer's). */
export function mintCases(issuer: TestIssuer, cases: readonly TokenCase[] = TOKEN_CASES): Promise<string[]> {
  return Promise.all(cases.map((c) => issuer.mint(c.claims, c.forged ? issuer.foreignKey : undefined)));
}

/** Runs every token against every role: role name -> row label -> outcome. Pass `tokens` (from {@link mintCases}) to reuse them. */
export async function accessMatrix(
  issuer: TestIssuer,
  json: TerraformJson,
  cases: readonly TokenCase[] = TOKEN_CASES,
  tokens?: readonly string[],
): Promise<Record<string, Record<string, AssumeOutcome>>> {
  const account = { accountId: ACCOUNT_ID, providers: accountProviders(json) };
  tokens ??= await mintCases(issuer, cases);
  const out: Record<string, Record<string, AssumeOutcome>> = {};
  for (const role of rolesFromTerraform(json, { accountId: ACCOUNT_ID })) {
    out[role.name] = {};
    for (const [i, c] of cases.entries()) {
      out[role.name][c.label] = await assumeRoleWithWebIdentity(issuer, account, role, { token: tokens[i], sourceIp: c.sourceIp });
    }
  }
  return out;
}

/** The matrix reduced to the allowed cells: role name -> labels allowed. */
export function allowedCells(matrix: Record<string, Record<string, AssumeOutcome>>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(matrix).map(([role, row]) => [role, Object.keys(row).filter((label) => row[label] === "Allowed")]));
}
