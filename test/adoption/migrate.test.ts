/**
 * `bitbucket-oidc migrate` on trust policies from the public recipes: each becomes the right config
 * entry and the right warnings, through the real command (files in, YAML and exit code out).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { runCliIn } from "../support/run-cli";
import { baseConfig, trustPolicyOf, UUIDS, withSynth } from "../support/synth";
import { describeWithTerraform } from "./terraform-cli";

const ISSUER = "api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc";
const PROVIDER_ARN = `arn:aws:iam::111122223333:oidc-provider/${ISSUER}`;
const AUDIENCE = "ari:cloud:bitbucket::workspace/8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60";

type Statement = Record<string, unknown>;

/** A web-identity statement for the acme provider with the given conditions. */
const bitbucketStatement = (condition?: Record<string, Record<string, unknown>>): Statement => ({
  Effect: "Allow",
  Principal: { Federated: PROVIDER_ARN },
  Action: "sts:AssumeRoleWithWebIdentity",
  ...(condition ? { Condition: condition } : {}),
});

/** The manual recipe's policy (../shared/reference/manual-recipe.md), filled in for acme. */
const RECIPE = bitbucketStatement({
  StringEquals: { [`${ISSUER}:aud`]: AUDIENCE },
  StringLike: { [`${ISSUER}:sub`]: `${UUIDS.repoA}:*` },
});

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly entry: Record<string, unknown> & { roles: Record<string, unknown>[] };
}

interface Export {
  readonly statements?: Statement[];
  /** The document as get-role prints it: an object (CLI v2), or URL-encoded (the IAM API). */
  readonly encoding?: "object" | "url";
  readonly attached?: string[];
  readonly inline?: Record<string, Statement[] | undefined>;
  readonly role?: Record<string, unknown>;
}

async function migrate(exported: Export, extraArgs: string[] = []): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), "bbo-migrate-"));
  try {
    const trust = { Version: "2012-10-17", Statement: exported.statements ?? [RECIPE] };
    const role = {
      Path: "/",
      RoleName: "bitbucket-graphr-infra",
      RoleId: "AROAEXAMPLEID",
      Arn: "arn:aws:iam::111122223333:role/bitbucket-graphr-infra",
      CreateDate: "2024-03-01T10:00:00+00:00",
      AssumeRolePolicyDocument: exported.encoding === "url" ? encodeURIComponent(JSON.stringify(trust)) : trust,
      MaxSessionDuration: 3600,
      RoleLastUsed: {},
      ...exported.role,
    };
    writeFileSync(join(dir, "role.json"), JSON.stringify({ Role: role }, null, 4));
    writeFileSync(
      join(dir, "attached.json"),
      JSON.stringify({ AttachedPolicies: (exported.attached ?? []).map((arn) => ({ PolicyName: arn.slice(arn.lastIndexOf("/") + 1), PolicyArn: arn })) }),
    );
    const inline = exported.inline ?? {};
    writeFileSync(join(dir, "inline.json"), JSON.stringify({ PolicyNames: Object.keys(inline) }));
    const policyArgs: string[] = [];
    for (const [name, statements] of Object.entries(inline)) {
      if (!statements) continue;
      const document = encodeURIComponent(JSON.stringify({ Version: "2012-10-17", Statement: statements }));
      writeFileSync(join(dir, `policy-${name}.json`), JSON.stringify({ RoleName: "bitbucket-graphr-infra", PolicyName: name, PolicyDocument: document }));
      policyArgs.push("--policy", `policy-${name}.json`);
    }
    const { code, stdout, stderr } = await runCliIn(["migrate", "--get-role", "role.json", "--attached", "attached.json", "--inline", "inline.json", ...policyArgs, ...extraArgs], { cwd: dir, env: {} });
    return { code, stdout, stderr, entry: stdout ? parse(stdout) : undefined };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("bitbucket-oidc migrate: trust policies from the public recipes", () => {
  test("GIVEN the manual recipe's two-condition policy THEN one repository, adopt: true, and a clean exit 0", async () => {
    const run = await migrate({ attached: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] });
    expect(run.code).toBe(0);
    expect(run.entry).toEqual({
      workspace: { slug: "acme", uuid: UUIDS.workspace },
      aws: { accountId: "111122223333" },
      provider: { existingArn: PROVIDER_ARN, adopt: true },
      roles: [{ name: "bitbucket-graphr-infra", adopt: true, repositories: [{ uuid: UUIDS.repoA }], managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }],
    });
    expect(run.stdout).toContain("# Converted cleanly");
    expect(run.stderr).toContain("Converted cleanly");
  });

  test("GIVEN the same policy URL-encoded, as the IAM API returns it THEN the same entry", async () => {
    const [object, url] = await Promise.all([migrate({}), migrate({ encoding: "url" })]);
    expect(url.code).toBe(0);
    expect(url.entry).toEqual(object.entry);
  });

  test("GIVEN a policy with only aud (no sub) THEN anyRepositoryInWorkspace: true and it says plainly the role is wider than we generate", async () => {
    const run = await migrate({ statements: [bitbucketStatement({ StringEquals: { [`${ISSUER}:aud`]: AUDIENCE } })] });
    expect(run.code).toBe(1);
    expect(run.entry.roles[0]).toEqual({ name: "bitbucket-graphr-infra", adopt: true, anyRepositoryInWorkspace: true });
    expect(run.stderr).toContain("the existing role is WIDER than what bitbucket-oidc will generate");
    expect(run.stderr).toMatch(/\[NARROWED\] AssumeRolePolicyDocument\.Statement\[0\]: has no sub condition: every repository of the workspace/);
  });

  test("GIVEN sub for two repositories THEN both repositories and exit 0", async () => {
    const run = await migrate({
      statements: [bitbucketStatement({ StringEquals: { [`${ISSUER}:aud`]: AUDIENCE }, StringLike: { [`${ISSUER}:sub`]: [`${UUIDS.repoA}:*`, `${UUIDS.repoB}:*`] } })],
    });
    expect(run.code).toBe(0);
    expect(run.entry.roles[0].repositories).toEqual([{ uuid: UUIDS.repoA }, { uuid: UUIDS.repoB }]);
  });

  // Issue 17 item 8: StringLike is case-sensitive and Bitbucket writes {lower-case-uuid}.
  test.each([
    ["an upper-case", UUIDS.repoB.toUpperCase()],
    ["a bare", UUIDS.repoB.slice(1, -1)],
  ])("GIVEN sub with %s repository UUID THEN it matches nothing today, is left out, and exit 1", async (_what, uuid) => {
    const run = await migrate({
      statements: [bitbucketStatement({ StringEquals: { [`${ISSUER}:aud`]: AUDIENCE }, StringLike: { [`${ISSUER}:sub`]: [`${UUIDS.repoA}:*`, `${uuid}:*`] } })],
    });
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain("Converted cleanly");
    expect(run.entry.roles[0].repositories).toEqual([{ uuid: UUIDS.repoA }]);
    expect(run.stderr).toMatch(/matches no token today/);
  });

  test("GIVEN a sub condition key of another workspace THEN the statement lets nothing in today and is left out", async () => {
    const other = ISSUER.replace("/acme/", "/other-ws/");
    const run = await migrate({
      statements: [
        RECIPE,
        bitbucketStatement({ StringEquals: { [`${ISSUER}:aud`]: AUDIENCE }, StringLike: { [`${other}:sub`]: `${UUIDS.repoB}:*` } }),
      ],
    });
    expect(run.code).toBe(1);
    expect(run.entry.roles[0].repositories).toEqual([{ uuid: UUIDS.repoA }]);
    expect(run.stderr).toMatch(/another workspace's issuer \(other-ws\)/);
  });

  test.each([
    ["ForAnyValue:StringLike", "ForAnyValue:StringLike"],
    ["StringEquals", "StringEquals"],
  ])("GIVEN StringLike ANDed with %s on sub in one statement THEN only what both match, never wider", async (_what, operator) => {
    const run = await migrate({
      statements: [
        bitbucketStatement({
          StringEquals: { [`${ISSUER}:aud`]: AUDIENCE },
          StringLike: { [`${ISSUER}:sub`]: [`${UUIDS.repoA}:*`, `${UUIDS.repoB}:*`] },
          [operator]: { [`${ISSUER}:sub`]: operator === "StringEquals" ? `${UUIDS.repoA}:{step}` : `${UUIDS.repoA}:${UUIDS.envProduction}:*` },
        }),
      ],
    });
    expect(run.code).toBe(1);
    const repositories = run.entry.roles[0].repositories ?? [];
    expect(repositories).toEqual(operator === "StringEquals" ? [] : [{ uuid: UUIDS.repoA, environments: [{ uuid: UUIDS.envProduction }] }]);
    expect(run.stderr).toMatch(/sub conditions in one statement: IAM requires all of them/);
  });

  test("GIVEN one statement per repository (the recipe repeated) THEN both repositories in one role and exit 0", async () => {
    const statementFor = (repo: string): Statement => bitbucketStatement({ StringEquals: { [`${ISSUER}:aud`]: AUDIENCE }, StringLike: { [`${ISSUER}:sub`]: `${repo}:*` } });
    const run = await migrate({ statements: [statementFor(UUIDS.repoA), statementFor(UUIDS.repoB)] });
    expect(run.code).toBe(0);
    expect(run.entry.roles[0].repositories).toEqual([{ uuid: UUIDS.repoA }, { uuid: UUIDS.repoB }]);
  });

  test("GIVEN the audience left at sts.amazonaws.com THEN it becomes provider.audiences, flagged to check against the provider", async () => {
    const run = await migrate({ statements: [bitbucketStatement({ StringEquals: { [`${ISSUER}:aud`]: "sts.amazonaws.com" }, StringLike: { [`${ISSUER}:sub`]: `${UUIDS.repoA}:*` } })] });
    expect(run.code).toBe(1);
    expect(run.entry.provider).toEqual({ existingArn: PROVIDER_ARN, adopt: true, audiences: ["sts.amazonaws.com"] });
    expect(run.stderr).toMatch(/\[CHECK\] AssumeRolePolicyDocument: aud: provider\.audiences is set to the aud values the role accepts \(sts\.amazonaws\.com\); compare it with ClientIDList/);
  });

  test("GIVEN sub patterns with deployment environments THEN environments under their repository", async () => {
    const run = await migrate({
      statements: [
        bitbucketStatement({
          StringEquals: { [`${ISSUER}:aud`]: AUDIENCE },
          StringLike: { [`${ISSUER}:sub`]: [`${UUIDS.repoA}:${UUIDS.envProduction}:*`, `${UUIDS.repoA}:${UUIDS.envStaging}:*`, `${UUIDS.repoB}:*`] },
        }),
      ],
    });
    expect(run.code).toBe(0);
    expect(run.entry.roles[0].repositories).toEqual([{ uuid: UUIDS.repoA, environments: [{ uuid: UUIDS.envProduction }, { uuid: UUIDS.envStaging }] }, { uuid: UUIDS.repoB }]);
  });

  test("GIVEN ForAllValues on aud and sub (terraform-aws-modules style) THEN the values carry over and both are flagged as wider than we generate", async () => {
    const run = await migrate({
      statements: [
        bitbucketStatement({
          "ForAllValues:StringEquals": { [`${ISSUER}:aud`]: [AUDIENCE] },
          "ForAllValues:StringLike": { [`${ISSUER}:sub`]: [`${UUIDS.repoA}:*`] },
        }),
      ],
    });
    expect(run.code).toBe(1);
    expect(run.entry.roles[0].repositories).toEqual([{ uuid: UUIDS.repoA }]);
    expect(run.entry.provider).toEqual({ existingArn: PROVIDER_ARN, adopt: true });
    const narrowed = run.stderr.split("\n").filter((l) => l.includes("[NARROWED]"));
    expect(narrowed).toHaveLength(2);
    expect(narrowed[0]).toContain(`${ISSUER}:aud: ForAllValues on a single-valued claim is true when the claim is missing`);
    expect(narrowed[1]).toContain(`${ISSUER}:sub: ForAllValues on a single-valued claim`);
    expect(run.stdout).toContain("the existing role is WIDER than what bitbucket-oidc will generate");
  });

  test('GIVEN sub "*" THEN anyRepositoryInWorkspace: true and a NARROWED warning naming it', async () => {
    const run = await migrate({ statements: [bitbucketStatement({ StringEquals: { [`${ISSUER}:aud`]: AUDIENCE }, StringLike: { [`${ISSUER}:sub`]: "*" } })] });
    expect(run.code).toBe(1);
    expect(run.entry.roles[0].anyRepositoryInWorkspace).toBe(true);
    expect(run.entry.roles[0].repositories).toBeUndefined();
    expect(run.stderr).toContain('[NARROWED] AssumeRolePolicyDocument.Statement[0].Condition: sub "*" lets every repository of the workspace');
  });

  test('GIVEN sub "*" under StringEquals (a literal, no wildcard) THEN it is not read as every repository, and is listed to check', async () => {
    const run = await migrate({ statements: [bitbucketStatement({ StringEquals: { [`${ISSUER}:aud`]: AUDIENCE, [`${ISSUER}:sub`]: "*" } })] });
    expect(run.code).toBe(1);
    expect(run.entry.roles[0].anyRepositoryInWorkspace).toBeUndefined();
    expect(run.entry.roles[0].repositories).toEqual([]);
    expect(run.stderr).not.toContain("[NARROWED]");
    expect(run.stderr).toContain('[CHECK] AssumeRolePolicyDocument.Statement[0].Condition.StringEquals: sub "*" with StringEquals matches only that literal text');
  });

  test("GIVEN no aud, an amr condition, a source IP and an EC2 trust THEN each is listed with the way the generated role differs", async () => {
    const run = await migrate({
      statements: [
        bitbucketStatement({
          StringLike: { [`${ISSUER}:sub`]: `${UUIDS.repoA}:*` },
          StringEquals: { [`${ISSUER}:amr`]: "pipelines" },
          IpAddress: { "aws:SourceIp": ["34.199.54.113/32"] },
        }),
        { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
      ],
    });
    expect(run.code).toBe(1);
    expect(run.entry.roles[0]).toMatchObject({ repositories: [{ uuid: UUIDS.repoA }], sourceIps: ["34.199.54.113/32"] });
    expect(run.entry.workspace).toEqual({ slug: "acme" });
    const lines = run.stderr.split("\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\[NARROWED\] AssumeRolePolicyDocument\.Statement\[0\]: has no aud condition/),
        expect.stringMatching(/\[WIDER\] .*Statement\[0\]\.Condition\.StringEquals: .*:amr: a condition we do not model; it is left out/),
        expect.stringMatching(/\[NARROWED\] AssumeRolePolicyDocument\.Statement\[1\]: trusts \{"Service":"ec2\.amazonaws\.com"\}/),
        expect.stringMatching(/\[CHECK\] .*the workspace UUID cannot be read from the audiences/),
      ]),
    );
  });

  test("GIVEN inline policies with and without their documents THEN the documents become statements and the missing one is REMOVED", async () => {
    const run = await migrate({
      inline: {
        deploy: [{ Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: "arn:aws:s3:::acme-site/*", Condition: { Bool: { "aws:SecureTransport": true } } }],
        legacy: undefined,
      },
    });
    expect(run.code).toBe(1);
    expect(run.entry.roles[0].inlinePolicies).toEqual({
      deploy: [{ actions: ["s3:PutObject", "s3:GetObject"], resources: ["arn:aws:s3:::acme-site/*"], conditions: { Bool: { "aws:SecureTransport": "true" } } }],
    });
    expect(run.stderr).toMatch(/\[REMOVED\] inline policy legacy: its document was not given .*aws iam get-role-policy --role-name bitbucket-graphr-infra --policy-name legacy/);
  });

  test("GIVEN role attributes THEN path, description, session duration, boundary and tags carry over", async () => {
    const run = await migrate({
      role: {
        Path: "/ci/",
        Description: "Made by hand",
        MaxSessionDuration: 7200,
        PermissionsBoundary: { PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: "arn:aws:iam::111122223333:policy/boundary" },
        Tags: [{ Key: "team", Value: "platform" }],
      },
    });
    expect(run.entry.roles[0]).toMatchObject({ path: "/ci/", description: "Made by hand", maxSessionDuration: 7200, permissionsBoundary: "arn:aws:iam::111122223333:policy/boundary", tags: { team: "platform" } });
  });
});

describe("bitbucket-oidc migrate: bad input exits 2 and writes nothing", () => {
  test("GIVEN a missing export THEN a usage error naming it", async () => {
    const { code, stderr } = await runCliIn(["migrate", "--get-role", "role.json"], { cwd: tmpdir(), env: {} });
    expect(code).toBe(2);
    expect(stderr).toContain("missing --attached, --inline");
  });

  test("GIVEN a role that trusts no Bitbucket provider THEN exit 2 saying there is nothing to migrate", async () => {
    const run = await migrate({ statements: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("trusts no Bitbucket Pipelines provider");
  });

  test("GIVEN files that are not what the AWS CLI prints THEN exit 2 naming the file and field", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bbo-migrate-bad-"));
    try {
      writeFileSync(join(dir, "role.json"), "not json");
      writeFileSync(join(dir, "attached.json"), JSON.stringify({ PolicyNames: [] }));
      writeFileSync(join(dir, "inline.json"), JSON.stringify({ PolicyNames: [] }));
      const first = await runCliIn(["migrate", "--get-role", "role.json", "--attached", "attached.json", "--inline", "inline.json", "--policy", "nope.json"], { cwd: dir, env: {} });
      expect(first.code).toBe(2);
      expect(first.stdout).toBe("");
      expect(first.stderr).toContain("nope.json");
      expect(first.stderr).toContain("cannot read it (ENOENT)");
      writeFileSync(join(dir, "nope.json"), "{}");
      const { code, stderr } = await runCliIn(["migrate", "--get-role", "role.json", "--attached", "attached.json", "--inline", "inline.json"], { cwd: dir, env: {} });
      expect(code).toBe(2);
      expect(stderr).toMatch(/role\.json: "not json": expected the JSON the AWS CLI prints/);
      expect(stderr).toMatch(/attached\.json: AttachedPolicies: \(missing\): expected a list \(the output of aws iam list-attached-role-policies/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeWithTerraform("bitbucket-oidc migrate: round trip through validate and synth", () => {
  test("GIVEN the recipe role migrated THEN the entry merged into a config validates, synthesizes the same trust, and imports the role and provider", async () => {
    const run = await migrate({ attached: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], inline: { deploy: [{ Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::acme-site/*" }] } });
    const base = baseConfig();
    const merged = { ...base, ...run.entry, aws: { ...base.aws, ...(run.entry.aws as object) } };
    const yaml = `${run.stdout}\n${stringify({ stack: merged.stack, state: merged.state, aws: merged.aws })}`.replace(/^aws:\n  accountId: "111122223333"\n/m, "");
    withSynth(yaml, (out) => {
      const json = out.json();
      const statement = trustPolicyOf(json, "bitbucket-graphr-infra").Statement[0];
      expect(statement).toEqual({ ...RECIPE, Principal: { Federated: "${aws_iam_openid_connect_provider.oidc-provider.arn}" } });
      expect(out.accessModel().provider.arn).toBe(PROVIDER_ARN);
      const imports = (json.import as { to: string; id: string }[]).map((i) => i.id).sort();
      expect(imports).toEqual([
        PROVIDER_ARN,
        "bitbucket-graphr-infra",
        "bitbucket-graphr-infra",
        "bitbucket-graphr-infra",
        "bitbucket-graphr-infra/arn:aws:iam::aws:policy/ReadOnlyAccess",
        "bitbucket-graphr-infra:deploy",
      ]);
    });
  });

  test("GIVEN every recipe of this file migrated THEN each entry validates and synthesizes", async () => {
    const exports: Export[] = [
      { statements: [bitbucketStatement({ StringEquals: { [`${ISSUER}:aud`]: AUDIENCE } })] },
      { statements: [bitbucketStatement({ "ForAllValues:StringEquals": { [`${ISSUER}:aud`]: [AUDIENCE] }, "ForAllValues:StringLike": { [`${ISSUER}:sub`]: [`${UUIDS.repoA}:*`] } })] },
      { statements: [bitbucketStatement({ StringEquals: { [`${ISSUER}:aud`]: AUDIENCE }, StringLike: { [`${ISSUER}:sub`]: [`${UUIDS.repoA}:${UUIDS.envProduction}:*`, `${UUIDS.repoB}:*`] } })] },
    ];
    for (const exported of exports) {
      const { entry } = await migrate(exported);
      const base = baseConfig();
      const config = { ...base, ...entry, workspace: { ...base.workspace, ...(entry.workspace as object) }, aws: { ...base.aws, accountId: "111122223333" } } as unknown as ReturnType<typeof baseConfig>;
      withSynth(config, (out) => expect((out.json().import ?? []).length).toBe(4));
    }
  });
});
