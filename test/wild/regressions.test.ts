/**
 * Bugs the wild-input properties found, each pinned by a plain example (see test/wild/*.test.ts for
 * the properties themselves).
 */
import { BitbucketOidcConfigInput } from "../../lib/config/model";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeWithTerraform, terraformOffline } from "../adoption/terraform-cli";
import { canonicalCidr } from "../../lib/constructs/role-rules";
import { baseConfig, resourcesOf, trustPolicyOf, UUIDS, withSynth } from "../support/synth";
import { snapshotTree, workspace } from "./cli-run";

/** Two accounts sharing one role; `state` overrides the state section. */
function accountsConfig(state: Partial<BitbucketOidcConfigInput["state"]> = {}, names = ["prod", "dev"]): BitbucketOidcConfigInput {
  const { aws: _aws, ...base } = baseConfig();
  return {
    ...base,
    state: { ...base.state, ...state },
    accounts: names.map((name, i) => ({ id: String(111111111111 * (i + 1)), name, region: "us-east-1" })),
  };
}

describe("wild-input regressions", () => {
  test("GIVEN an IPv6 source range written with an embedded IPv4 part THEN the trust policy and access model carry its canonical text, which the evaluator matches", () => {
    const config = baseConfig({ roles: [{ name: "bitbucket-deploy", repositories: [{ uuid: UUIDS.repoA }], sourceIps: ["::140:8:f:95:164.4.192.212/72", "10.0.0.0/8"] }] });
    withSynth(config, (out) => {
      const trust = trustPolicyOf(out.json(), "bitbucket-deploy");
      expect(JSON.stringify(trust)).toContain('"aws:SourceIp":["::140:8:f:95:a404:c0d4/72","10.0.0.0/8"]');
      expect(out.accessModel().roles[0].trust.sourceIps).toEqual(["::140:8:f:95:a404:c0d4/72", "10.0.0.0/8"]);
    });
    expect(canonicalCidr("2001:DB8::0:1")).toBe("2001:db8::1");
    expect(canonicalCidr("not an address")).toBe("not an address");
  });

  test("GIVEN accounts: with state.bootstrap: true and bootstrapBackend: s3 THEN validate and synth accept it, and only the state stack reads its state from S3", async () => {
    const ws = workspace(accountsConfig({ bootstrap: true, bootstrapBackend: "s3" }));
    try {
      expect((await ws.run("validate")).code).toBe(0);
      const synth = await ws.run("synth");
      expect(synth).toMatchObject({ code: 0 });
      const files = snapshotTree(ws.outdir);
      const state = JSON.parse(files["stacks/bitbucket-oidc-state/cdk.tf.json"]);
      expect(state.terraform.backend.s3.key).toBe("bitbucket-oidc-state/terraform.tfstate");
      expect(Object.keys(files).filter((f) => f.endsWith("cdk.tf.json")).sort()).toEqual([
        "stacks/bitbucket-oidc-dev/cdk.tf.json",
        "stacks/bitbucket-oidc-prod/cdk.tf.json",
        "stacks/bitbucket-oidc-state/cdk.tf.json",
      ]);
    } finally {
      ws.dispose();
    }
  });

  test('GIVEN an account named "state" and state.bootstrap: true THEN exit 2 naming the account, not two stacks of one name', async () => {
    const ws = workspace(accountsConfig({ bootstrap: true }, ["state"]));
    try {
      for (const command of ["validate", "synth"] as const) {
        const run = await ws.run(command);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/accounts\[0\]\.name.*"state".*bitbucket-oidc-state.*state\.bootstrap/);
      }
      expect(snapshotTree(ws.outdir)).toEqual({});
    } finally {
      ws.dispose();
    }
  });

  test('GIVEN an account named "state" without bootstrap THEN it is an account like any other', async () => {
    const ws = workspace(accountsConfig({}, ["state"]));
    try {
      expect((await ws.run("synth")).code).toBe(0);
      expect(Object.keys(snapshotTree(ws.outdir))).toContain("stacks/bitbucket-oidc-state/cdk.tf.json");
    } finally {
      ws.dispose();
    }
  });

  test("GIVEN managed policies of one name in different accounts and paths THEN synth attaches each (no internal error), and a lone name keeps its address", async () => {
    const arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::123456789012:policy/team-a/ReadOnlyAccess", "arn:aws:iam::123456789012:policy/SecurityAudit"];
    const config = baseConfig({ roles: [{ name: "reader", repositories: [{ uuid: UUIDS.repoA }], managedPolicyArns: arns }] });
    const ws = workspace(config);
    try {
      expect((await ws.run("validate")).code).toBe(0);
      const synth = await ws.run("synth");
      expect(synth.stderr).not.toMatch(/internal error/);
      expect(synth.code).toBe(0);
    } finally {
      ws.dispose();
    }
    withSynth(config, (out) => {
      const attachments = resourcesOf(out.json(), "aws_iam_role_policy_attachment");
      expect(Object.values(attachments).map((a) => a.policy_arn).sort()).toEqual([...arns].sort());
      expect(Object.keys(attachments).filter((k) => k.startsWith("reader_attachment-SecurityAudit_"))).toHaveLength(1);
    });
  });

  test("GIVEN terraformPlan.managedPolicy: ViewOnlyAccess THEN the role attaches the job-function policy's real ARN", () => {
    const config = baseConfig({
      roles: [{ name: "plan", repositories: [{ uuid: UUIDS.repoA }], grants: { terraformPlan: { bucket: "other-state", key: "app/terraform.tfstate", managedPolicy: "ViewOnlyAccess" } } }],
    });
    withSynth(config, (out) => {
      const attachments = Object.values(resourcesOf(out.json(), "aws_iam_role_policy_attachment")).map((a) => a.policy_arn);
      expect(attachments).toEqual(["arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"]);
    });
  });
});

describe("wild-input regressions: shared roles", () => {
  test("GIVEN a shared role whose repositories every account overrides WHEN its own repository UUID has a wildcard THEN exit 2 naming it", async () => {
    const config = accountsConfig({}, ["prod"]);
    const good = { uuid: UUIDS.repoB };
    const ws = workspace({
      ...config,
      roles: [{ name: "shared", repositories: [{ uuid: "{3f2a9c4e-7b1d-4a8e-b6c5-0d9e8f7a*b51}", environments: [{ uuid: "{9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5?}" }] }] }],
      accounts: config.accounts!.map((a) => ({ ...a, overrides: { shared: { repositories: [good] } } })),
    });
    try {
      for (const command of ["validate", "synth"] as const) {
        const run = await ws.run(command);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain('roles[0].repositories[0].uuid: "{3f2a9c4e-7b1d-4a8e-b6c5-0d9e8f7a*b51}": expected a UUID');
        expect(run.stderr).toContain("roles[0].repositories[0].environments[0].uuid");
      }
      expect(snapshotTree(ws.outdir)).toEqual({});
    } finally {
      ws.dispose();
    }
  });
});

/** IAM policy variables and template markers in config text, which Terraform must take literally. */
const TEMPLATED = baseConfig({
  provider: { audiences: ["ari:cloud:bitbucket::workspace/8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60", "aud-%{x}"] },
  roles: [
    {
      name: "home-dirs",
      description: "Deploys ${aws:username} at 100%{ done } and $${kept}",
      repositories: [{ uuid: UUIDS.repoA }],
      statements: [
        {
          actions: ["s3:GetObject"],
          resources: ["arn:aws:s3:::acme-site/home/${aws:username}/*"],
          conditions: { StringLike: { "s3:prefix": ["home/${aws:username}/*"] } },
        },
      ],
    },
  ],
});

describe("wild-input regressions: config text is literal for Terraform", () => {
  test("GIVEN ${...} and %{...} in statements, descriptions and audiences THEN cdk.tf.json escapes them and access-model.json keeps them as written", () => {
    withSynth(TEMPLATED, (out) => {
      const role = Object.values(resourcesOf(out.json(), "aws_iam_role"))[0];
      expect(role.description).toBe("Deploys $${aws:username} at 100%%{ done } and $$${kept}");
      const policy = Object.values(resourcesOf(out.json(), "aws_iam_role_policy"))[0];
      expect(String(policy.policy)).toContain("home/$${aws:username}/*");
      expect(String(policy.policy)).not.toMatch(/(?<!\$)\$\{aws:/);
      const provider = Object.values(resourcesOf(out.json(), "aws_iam_openid_connect_provider"))[0];
      expect(provider.client_id_list).toContain("aud-%%{x}");
      const model = out.accessModel();
      expect(model.roles[0].description).toBe("Deploys ${aws:username} at 100%{ done } and $${kept}");
      expect(JSON.stringify(model.roles[0].inlinePolicies)).toContain("home/${aws:username}/*");
      expect(model.roles[0].trust.audiences).toContain("aud-%{x}");
      expect(model.provider.audiences).toContain("aud-%{x}");
    });
  });

  test('GIVEN an audience with "${" THEN exit 2: IAM would read it as a policy variable in the trust policy and never match', async () => {
    const ws = workspace(baseConfig({ provider: { audiences: ["aud-${x}"] } }));
    try {
      const run = await ws.run("validate");
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/provider\.audiences\[0\].*aud-\$\{x\}.*policy variable/);
    } finally {
      ws.dispose();
    }
  });
});

describeWithTerraform("wild-input regressions: terraform renders config text literally", () => {
  test("GIVEN the escaped description and policy THEN terraform itself renders exactly the text of the config", () => {
    withSynth(TEMPLATED, (out) => {
      const role = Object.values(resourcesOf(out.json(), "aws_iam_role"))[0];
      const policy = Object.values(resourcesOf(out.json(), "aws_iam_role_policy"))[0];
      // The same strings as outputs of a provider-free module: terraform apply renders them.
      const dir = mkdtempSync(join(tmpdir(), "bbo-wild-render-"));
      try {
        writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ output: { description: { value: role.description }, policy: { value: policy.policy } } }));
        expect(terraformOffline(dir, ["init", "-input=false"]).status).toBe(0);
        const apply = terraformOffline(dir, ["apply", "-auto-approve", "-input=false"]);
        expect(apply.output).toMatch(/Apply complete/);
        const outputs = JSON.parse(terraformOffline(dir, ["output", "-json"]).output) as Record<string, { value: string }>;
        expect(outputs.description.value).toBe("Deploys ${aws:username} at 100%{ done } and $${kept}");
        expect(JSON.parse(outputs.policy.value).Statement[0].Resource).toBe("arn:aws:s3:::acme-site/home/${aws:username}/*");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
