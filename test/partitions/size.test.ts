/**
 * Size checks count ARNs as written: in aws-us-gov the provider ARN is 7 characters longer than in
 * aws, so a trust policy of 2,049 characters there must be refused even though it would be 2,042 in aws.
 * Sizes here are counted independently of the project's own counter: the policy as IAM receives it
 * (references replaced by the ARN), whitespace removed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Aspects, TerraformStack } from "cdktf";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { BitbucketOidcGuardrails } from "../../lib";
import { ConfigError, validateConfig } from "../../lib/config/validate";
import { synthErrorsIn } from "../support/stack-synth";
import { baseConfig, synthConfig } from "../support/synth";

const PREFIX = "api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc";
const ACCOUNT = "123456789012";
const QUOTA = 2048;

/** Characters IAM counts: the document without whitespace. */
const counted = (text: string): number => text.replace(/\s+/g, "").length;

/** `n` distinct repository sub patterns. */
const subjects = (n: number): string[] => Array.from({ length: n }, (_, i) => `{3f2a9c4e-7b1d-4a8e-b6c5-0d9e8f7a${String(i).padStart(4, "0")}}:*`);

/** A hand-built role's trust policy, with the provider ARN as given (a reference or a literal). */
function trustText(providerArn: string, audience: string, subs: readonly string[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { Federated: providerArn }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { [`${PREFIX}:aud`]: audience }, StringLike: { [`${PREFIX}:sub`]: subs } } },
    ],
  });
}

/** Synthesizes a host stack in `region` with a plain provider and a hand-built role, guarded; returns the findings (none: []). */
function guardedFindings(region: string, audience: string, subs: readonly string[]): string[] {
  const outdir = mkdtempSync(join(tmpdir(), "bbo-partition-size-"));
  delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  try {
    const app = new App({ outdir, context: { "@cdktf/disable_stack_trace_in_metadata": true } });
    const stack = new TerraformStack(app, "host");
    new AwsProvider(stack, "aws", { region });
    const provider = new IamOpenidConnectProvider(stack, "bitbucket", { url: `https://${PREFIX}`, clientIdList: [audience] });
    new IamRole(stack, "deploy", { name: "hand-deploy", assumeRolePolicy: trustText(provider.arn, audience, subs) });
    Aspects.of(stack).add(new BitbucketOidcGuardrails());
    try {
      app.synth();
    } catch (e) {
      const findings = synthErrorsIn(app);
      if (findings.length > 0) return findings;
      throw e;
    }
    return [];
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** An audience padded so that the trust policy, with the provider ARN in `partition`, is exactly `size` characters. */
function audienceFor(size: number, partition: string, subs: readonly string[]): string {
  const base = "sts.example";
  const at = counted(trustText(`arn:${partition}:iam::${ACCOUNT}:oidc-provider/${PREFIX}`, base, subs));
  const pad = size - at;
  if (pad < 0 || base.length + pad > 150) throw new Error(`cannot pad to ${size} characters (at ${at})`);
  return base + "x".repeat(pad);
}

describe("BBO-Q001 in aws-us-gov (hand-built role, partition from the stack's AWS provider region)", () => {
  const subs = subjects(36);

  test("GIVEN a trust policy of exactly 2,048 characters as IAM counts it in aws-us-gov THEN synth succeeds", () => {
    const audience = audienceFor(QUOTA, "aws-us-gov", subs);
    expect(counted(trustText(`arn:aws-us-gov:iam::${ACCOUNT}:oidc-provider/${PREFIX}`, audience, subs))).toBe(QUOTA);
    expect(guardedFindings("us-gov-west-1", audience, subs)).toEqual([]);
  });

  test("GIVEN 2,049 characters in aws-us-gov (2,042 if it were aws) THEN synth stops with BBO-Q001 counting 2049", () => {
    const audience = audienceFor(QUOTA + 1, "aws-us-gov", subs);
    const findings = guardedFindings("us-gov-west-1", audience, subs);
    expect(findings).toContainEqual(expect.stringMatching(/BBO-Q001[\s\S]*the trust policy is 2049 characters, over the quota of 2048/));
    // The same role in an aws region is 7 characters shorter, within the quota.
    expect(guardedFindings("us-east-1", audience, subs)).toEqual([]);
  });

  test("GIVEN 2,049 characters in aws-cn (4 more than aws) THEN synth stops with BBO-Q001", () => {
    const audience = audienceFor(QUOTA + 1, "aws-cn", subs);
    expect(guardedFindings("cn-north-1", audience, subs)).toContainEqual(expect.stringMatching(/BBO-Q001[\s\S]*the trust policy is 2049 characters/));
  });
});

describe("trust policy size of a config in aws-us-gov", () => {
  const repositories = (n: number) => subjects(n).map((s) => ({ uuid: s.slice(0, -2) }));
  const config = (audience: string, n: number) =>
    baseConfig({
      aws: { region: "us-gov-west-1", accountId: ACCOUNT },
      state: { bucket: "acme-terraform-state", key: "bitbucket-oidc/terraform.tfstate", region: "us-gov-west-1" },
      provider: { audiences: [audience] },
      roles: [{ name: "bitbucket-deploy", repositories: repositories(n) }],
    });

  test("GIVEN exactly 2,048 characters as written in aws-us-gov THEN it synthesizes; GIVEN 2,049 THEN validate refuses it", () => {
    const n = 36;
    // Measure the synthesized trust policy (provider ARN literal: the account is known) at one audience length, then pad.
    const probe = synthConfig(config("sts.example", n));
    let measured: number;
    try {
      const model = probe.accessModel();
      const text = JSON.stringify(model.roles[0].trustPolicy);
      expect(text).toContain(`"arn:aws-us-gov:iam::${ACCOUNT}:oidc-provider/${PREFIX}"`);
      measured = counted(text);
    } finally {
      probe.dispose();
    }
    const exact = "sts.example" + "x".repeat(QUOTA - measured);
    const out = synthConfig(config(exact, n));
    try {
      expect(counted(JSON.stringify(out.accessModel().roles[0].trustPolicy))).toBe(QUOTA);
    } finally {
      out.dispose();
    }
    let error: unknown;
    try {
      validateConfig(config(`${exact}x`, n), "gov.yaml");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/gov\.yaml roles\[0\]\.repositories: "36 sub patterns": the trust policy would be 2049 characters, over the quota of 2048/);
  });
});
