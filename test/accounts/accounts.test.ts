import { join } from "node:path";
import { parse, stringify } from "yaml";
import { accountStateKey } from "../../lib/config/expand-accounts";
import { parseConfig } from "../../lib/config/load";
import { AccountInput, BitbucketOidcConfigInput } from "../../lib/config/model";
import { baseConfig, synthConfig, UUIDS } from "../support/synth";
import { rolesFromTerraform } from "../support/terraform-json";

const PREFIX = "api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc";

function accountId(i: number): string {
  return String(100000000000 + i);
}

/** A config with n accounts: a shared read role, and a deploy role in each account for its own environment. */
function accountsConfig(n: number, rolesPerAccount = 1): BitbucketOidcConfigInput {
  const { aws: _aws, roles: _roles, ...base } = baseConfig({ state: { bucket: "acme-terraform-state", key: "org/terraform.tfstate", region: "us-east-1" } });
  const accounts: AccountInput[] = Array.from({ length: n }, (_, i) => ({
    id: accountId(i),
    name: `acct${i}`,
    region: i % 2 ? "eu-west-1" : "us-east-1",
    assumeRoleArn: `arn:aws:iam::${accountId(i)}:role/terraform`,
    environments: [`env${i}`],
    roles: Array.from({ length: rolesPerAccount }, (_, r) => ({
      name: `deploy-${r}`,
      repositories: [{ uuid: UUIDS.repoB, environments: [{ uuid: `{${String(i).padStart(8, "0")}-0000-4000-8000-${String(r).padStart(12, "0")}}`, name: `env${i}` }] }],
    })),
  }));
  return { ...base, stack: "org", accounts, roles: [{ name: "bitbucket-read", repositories: [{ uuid: UUIDS.repoA, name: "web-app" }] }] };
}

describe("accounts: one stack per AWS account", () => {
  test.each([1, 3, 30])("GIVEN %i accounts THEN separate stacks, each with its own assume_role, state key and provider ARN in its trust policies", (n) => {
    const out = synthConfig(accountsConfig(n));
    try {
      expect(out.result.stacks.map((s) => s.name)).toEqual(Array.from({ length: n }, (_, i) => `org-acct${i}`));
      const keys = new Set<string>();
      for (let i = 0; i < n; i++) {
        const json = out.json(`org-acct${i}`);
        expect(json.provider?.aws).toEqual([
          { region: i % 2 ? "eu-west-1" : "us-east-1", allowed_account_ids: [accountId(i)], assume_role: [{ role_arn: `arn:aws:iam::${accountId(i)}:role/terraform` }] },
        ]);
        keys.add(String(json.terraform.backend?.s3.key));
        expect(json.terraform.backend?.s3).toMatchObject({ bucket: "acme-terraform-state", key: `org/acct${i}/terraform.tfstate` });
        // Independent: no reference to another stack's state.
        expect(json.data?.terraform_remote_state).toBeUndefined();
        const roles = rolesFromTerraform(json, { accountId: accountId(i) });
        expect(roles.map((r) => r.name).sort()).toEqual(["bitbucket-read", "deploy-0"]);
        for (const role of roles) {
          expect(role.trustPolicy.Statement[0].Principal).toEqual({ Federated: `arn:aws:iam::${accountId(i)}:oidc-provider/${PREFIX}` });
        }
        expect(out.accessModel(`org-acct${i}`)).toMatchObject({ stack: `org-acct${i}`, aws: { accountId: accountId(i) }, provider: { arn: `arn:aws:iam::${accountId(i)}:oidc-provider/${PREFIX}` } });
      }
      expect(keys.size).toBe(n);
    } finally {
      out.dispose();
    }
  });

  test("GIVEN a shared role limited to some accounts and a per-account override THEN each account gets what it should", () => {
    const config = accountsConfig(3);
    const out = synthConfig({
      ...config,
      roles: [{ name: "bitbucket-read", repositories: [{ uuid: UUIDS.repoA }], accounts: ["acct0", "acct2"] }],
      accounts: config.accounts!.map((a) => (a.name === "acct2" ? { ...a, overrides: { "bitbucket-read": { maxSessionDuration: 7200 } } } : a)),
    });
    try {
      expect(Object.keys(out.json("org-acct0").resource?.aws_iam_role ?? {}).sort()).toEqual(["bitbucket-read", "deploy-0"]);
      expect(Object.keys(out.json("org-acct1").resource?.aws_iam_role ?? {})).toEqual(["deploy-0"]);
      expect(out.json("org-acct0").resource?.aws_iam_role["bitbucket-read"].max_session_duration).toBe(3600);
      expect(out.json("org-acct2").resource?.aws_iam_role["bitbucket-read"].max_session_duration).toBe(7200);
    } finally {
      out.dispose();
    }
  });

  test("GIVEN a shared role with grants THEN each account's policy names that account's and region's resources, and a per-account override changes its grants", () => {
    const config = accountsConfig(2);
    const out = synthConfig({
      ...config,
      roles: [{ name: "bitbucket-push", repositories: [{ uuid: UUIDS.repoA }], grants: { ecrPush: { repositories: ["web-app"] } } }],
      accounts: config.accounts!.map((a) => (a.name === "acct1" ? { ...a, overrides: { "bitbucket-push": { grants: { ecrPush: { repositories: ["web-app"], pullOnly: true } } } } } : a)),
    });
    try {
      const push = (i: number) => {
        const policy = Object.values(out.json(`org-acct${i}`).resource?.aws_iam_role_policy ?? {}).find((p) => p.name === "grant-ecr-push");
        return JSON.parse(String(policy?.policy)) as { Statement: { Action: string | string[]; Resource: string }[] };
      };
      expect(push(0).Statement.map((s) => s.Resource)).toContain(`arn:aws:ecr:us-east-1:${accountId(0)}:repository/web-app`);
      expect(push(1).Statement.map((s) => s.Resource)).toContain(`arn:aws:ecr:eu-west-1:${accountId(1)}:repository/web-app`);
      expect(JSON.stringify(push(0))).toContain("ecr:PutImage");
      expect(JSON.stringify(push(1))).not.toContain("ecr:PutImage");
    } finally {
      out.dispose();
    }
  });

  test("GIVEN provider: set per account over the top-level one THEN only that account's stack uses it", () => {
    const config = accountsConfig(2);
    const existing = `arn:aws:iam::${accountId(1)}:oidc-provider/${PREFIX}`;
    const out = synthConfig({
      ...config,
      provider: { tags: { team: "platform" } },
      accounts: config.accounts!.map((a) => (a.name === "acct1" ? { ...a, provider: { existingArn: existing } } : a)),
    });
    try {
      expect(Object.values(out.json("org-acct0").resource?.aws_iam_openid_connect_provider ?? {}).map((p) => p.tags)).toEqual([{ team: "platform" }]);
      expect(out.json("org-acct1").resource?.aws_iam_openid_connect_provider).toBeUndefined();
      for (const role of rolesFromTerraform(out.json("org-acct1"), { accountId: accountId(1) })) {
        expect(role.trustPolicy.Statement[0].Principal).toEqual({ Federated: existing });
      }
    } finally {
      out.dispose();
    }
  });

  test("GIVEN state.bootstrap: true THEN the state stack reaches the first account the way that account's stack does (assume_role)", () => {
    const config = accountsConfig(2);
    const out = synthConfig({ ...config, state: { ...config.state, bootstrap: true } });
    try {
      expect(out.result.stacks.map((s) => s.name)).toEqual(["org-acct0", "org-acct1", "org-state"]);
      expect(out.json("org-state").provider?.aws).toEqual([
        { region: "us-east-1", allowed_account_ids: [accountId(0)], assume_role: [{ role_arn: `arn:aws:iam::${accountId(0)}:role/terraform` }] },
      ]);
    } finally {
      out.dispose();
    }
  });

  test("GIVEN aws: alone THEN the single-account shape is unchanged (one stack named after the config)", () => {
    const out = synthConfig(baseConfig({ aws: { region: "us-east-1", accountId: "123456789012", assumeRoleArn: "arn:aws:iam::123456789012:role/terraform" } }));
    try {
      expect(out.result.stacks.map((s) => s.name)).toEqual(["bitbucket-oidc"]);
      expect(out.json().provider?.aws[0].assume_role).toEqual([{ role_arn: "arn:aws:iam::123456789012:role/terraform" }]);
    } finally {
      out.dispose();
    }
  });

  test.each([
    ["org/terraform.tfstate", "prod", "org/prod/terraform.tfstate"],
    ["terraform.tfstate", "dev", "dev/terraform.tfstate"],
    ["a/b/c.tfstate", "x", "a/b/x/c.tfstate"],
  ])("GIVEN state key %s and account %s THEN the account's key is %s", (key, name, expected) => {
    expect(accountStateKey(key, name)).toBe(expected);
  });
});

describe("accounts: validation", () => {
  const errorsOf = (config: unknown): string => {
    try {
      parseConfig(stringify(config), "org.yaml");
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error("expected the config to be rejected");
  };
  const three = accountsConfig(3);

  test.each([
    ["an account id that is not 12 digits", { ...three, accounts: [{ ...three.accounts![0], id: "12345" }, ...three.accounts!.slice(1)] }, /org\.yaml:\d+ accounts\[0\]\.id: "12345": expected a 12-digit AWS account id/],
    ["the same account id twice", { ...three, accounts: [three.accounts![0], { ...three.accounts![1], id: accountId(0) }, three.accounts![2]] }, /accounts\[1\]\.id: "100000000000": accounts\[0\] has this id already/],
    ["the same account name twice", { ...three, accounts: [three.accounts![0], { ...three.accounts![1], name: "acct0" }] }, /accounts\[1\]\.name: "acct0": accounts\[0\] has this name already/],
    ["an account name unfit for a stack name", { ...three, accounts: [{ ...three.accounts![0], name: "Prod Account" }] }, /accounts\[0\]\.name: "Prod Account": expected/],
    ["aws: and accounts: together", { ...three, aws: { region: "us-east-1" } }, /aws: .*use either aws: \(one account\) or accounts: \(several\), not both/],
    ["neither aws: nor accounts:", { ...three, accounts: undefined }, /aws: \(missing\): is required: the account and region \(or accounts: for several accounts\)/],
    ["a shared role naming an unknown account", { ...three, roles: [{ name: "r", repositories: [{ uuid: UUIDS.repoA }], accounts: ["nope"] }] }, /roles\[0\]\.accounts\[0\]: "nope": expected the name of an account: acct0, acct1, acct2/],
    ["an override of an unknown role", { ...three, accounts: [{ ...three.accounts![0], overrides: { ghost: { maxSessionDuration: 7200 } } }] }, /accounts\[0\]\.overrides\.ghost: "ghost": expected the name of a shared role/],
    ["an override with a bad value", { ...three, accounts: [{ ...three.accounts![0], overrides: { "bitbucket-read": { maxSessionDuration: 60 } } }] }, /accounts\[0\]\.overrides\.bitbucket-read\.maxSessionDuration: 60: expected whole seconds/],
    ["an environment mapped to two accounts", { ...three, accounts: [three.accounts![0], { ...three.accounts![1], environments: ["env0"] }] }, /accounts\[1\]\.environments\[0\]: "env0": account "acct0" \(accounts\[0\]\) serves this environment already/],
    ["a bad role in one account", { ...three, accounts: [three.accounts![0], { ...three.accounts![1], roles: [{ name: "bad name", repositories: [{ uuid: UUIDS.repoA }] }] }] }, /accounts\[1\]\.roles\[0\]\.name: "bad name": expected an IAM role name/],
    ["a bad assume-role ARN", { ...three, accounts: [{ ...three.accounts![0], assumeRoleArn: "terraform" }] }, /accounts\[0\]\.assumeRoleArn: "terraform": expected an IAM role ARN/],
    ["a shared provider adopt: true without ARNs", { ...three, provider: { adopt: true } }, new RegExp(`provider\\.adopt: true: .*set accounts\\[2\\]\\.provider\\.existingArn: "arn:aws:iam::${accountId(2)}:oidc-provider/`)],
  ])("GIVEN %s THEN the config is rejected, naming the field", (_, config, pattern) => {
    expect(errorsOf(config)).toMatch(pattern);
  });

  test("GIVEN a role trusting an environment that another account serves THEN it is rejected, unless an override says why", () => {
    const misplaced = { name: "deploy-elsewhere", repositories: [{ uuid: UUIDS.repoB, environments: [{ uuid: UUIDS.envProduction, name: "env1" }] }] };
    const config = { ...three, accounts: [{ ...three.accounts![0], roles: [...three.accounts![0].roles!, misplaced] }, ...three.accounts!.slice(1)] };
    expect(errorsOf(config)).toMatch(
      /accounts\[0\]\.roles\[1\]\.repositories\[0\]\.environments\[0\]\.name: "env1": environment "env1" is served by account "acct1" \(accounts\[1\]\.environments\), but role "deploy-elsewhere" is in account "acct0"; move the role there, or say why with environmentAccountOverride/,
    );
    const excused = { ...three, accounts: [{ ...three.accounts![0], roles: [...three.accounts![0].roles!, { ...misplaced, environmentAccountOverride: "reads env1's artifacts from the shared bucket" }] }, ...three.accounts!.slice(1)] };
    expect(() => parseConfig(stringify(excused), "org.yaml")).not.toThrow();
  });

  test("GIVEN a role trusting an environment by UUID only while accounts map environments by name THEN it is rejected, unless an override says why", () => {
    const unnamed = { name: "deploy-unnamed", repositories: [{ uuid: UUIDS.repoB, environments: [{ uuid: UUIDS.envProduction }] }] };
    const config = { ...three, accounts: [{ ...three.accounts![0], roles: [...three.accounts![0].roles!, unnamed] }, ...three.accounts!.slice(1)] };
    expect(errorsOf(config)).toMatch(
      /org\.yaml:\d+ accounts\[0\]\.roles\[1\]\.repositories\[0\]\.environments\[0\]\.name: \(missing\): expected the name of environment \{[0-9a-f-]+\} \(accounts map environments by name: env0, env1, env2\)/,
    );
    const excused = { ...three, accounts: [{ ...three.accounts![0], roles: [...three.accounts![0].roles!, { ...unnamed, environmentAccountOverride: "a test environment outside the mapping" }] }, ...three.accounts!.slice(1)] };
    expect(() => parseConfig(stringify(excused), "org.yaml")).not.toThrow();
    const unmapped = { ...config, accounts: config.accounts.map((a) => ({ ...a, environments: undefined, roles: a.roles?.map((r) => ({ ...r, repositories: r.repositories?.map((repo) => ({ ...repo, environments: repo.environments?.map((env) => ({ uuid: env.uuid })) })) })) })) };
    expect(() => parseConfig(stringify(unmapped), "org.yaml")).not.toThrow();
  });

  test("GIVEN more roles in an account than the quota THEN it is rejected; declaring a raised quota accepts it", () => {
    const many = accountsConfig(1, 1000);
    expect(errorsOf(many)).toMatch(/accounts\[0\]: "1001 roles": expected at most 1000 roles per account \(IAM quota\)/);
    expect(() => parseConfig(stringify({ ...many, quotas: { rolesPerAccount: 2000 } }), "org.yaml")).not.toThrow();
  });
});

describe("accounts: the access matrix of the review report", () => {
  test("GIVEN 3 accounts WHEN reviewed THEN a matrix shows which steps get which role in which account", async () => {
    const { buildReview } = await import("../../lib/review/review");
    const { renderReviewMarkdown } = await import("../../lib/review/render-markdown");
    const out = synthConfig(accountsConfig(3));
    try {
      const report = await buildReview({ synth: `${out.outdir}/cdktf.out` });
      const matrix = report.matrix!;
      expect(matrix.columns.map((c) => `${c.stack}:${c.accountId}`)).toEqual(["org-acct0:100000000000", "org-acct1:100000000001", "org-acct2:100000000002"]);
      const row = (repo: string, env?: string) => matrix.rows.findIndex((r) => r.repository.uuid === repo && r.environment?.name === env);
      expect(matrix.cells[row(UUIDS.repoA)]).toEqual([["bitbucket-read"], ["bitbucket-read"], ["bitbucket-read"]]);
      expect(matrix.cells[row(UUIDS.repoB, "env1")]).toEqual([[], ["deploy-0"], []]);
      expect(matrix.cells[row(UUIDS.repoB)]).toEqual([[], [], []]);
      const markdown = renderReviewMarkdown(report);
      expect(markdown).toContain("## Access matrix: who can assume which role in which account");
      expect(markdown).toContain("| Repository | Steps | org-acct0 (100000000000) | org-acct1 (100000000001) | org-acct2 (100000000002) |");
    } finally {
      out.dispose();
    }
  });
});

describe("accounts: the CLI's summary", () => {
  test("GIVEN an accounts: config WHEN validated THEN the summary counts accounts and the roles of every account", () => {
    const { mkdtempSync, writeFileSync, rmSync } = require("node:fs") as typeof import("node:fs");
    const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
    const dir = mkdtempSync(join(require("node:os").tmpdir(), "bbo-acc-cli-"));
    try {
      writeFileSync(join(dir, "c.yaml"), stringify(accountsConfig(3)));
      const run = spawnSync(process.execPath, [join(__dirname, "..", "..", "bin", "bitbucket-oidc.js"), "validate", "--config", join(dir, "c.yaml")], { encoding: "utf8" });
      expect(run.status).toBe(0);
      // Shared bitbucket-read in 3 accounts + deploy-0 in each: 6 roles over 2 repositories.
      expect(run.stdout).toBe(`${join(dir, "c.yaml")}: valid: workspace acme, 3 accounts, 6 roles, 2 repositories\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("accounts: the example of docs/accounts.md", () => {
  test("GIVEN the docs' accounts example THEN it synthesizes to one stack per account with the documented keys", () => {
    const { readFileSync } = require("node:fs") as typeof import("node:fs");
    const readme = readFileSync(`${__dirname}/../../docs/accounts.md`, "utf8");
    const yaml = /<!-- accounts-example -->\n```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(yaml).toBeDefined();
    const out = synthConfig(yaml!, "docs/accounts.md");
    try {
      expect(out.result.stacks.map((s) => s.name)).toEqual(["org-dev", "org-prod"]);
      expect(out.json("org-dev").terraform.backend?.s3.key).toBe("org/dev/terraform.tfstate");
      expect(out.json("org-prod").terraform.backend?.s3.key).toBe("org/prod/terraform.tfstate");
      expect(Object.keys(out.json("org-dev").resource?.aws_iam_role ?? {})).toEqual(["bitbucket-read"]);
      expect(out.json("org-prod").resource?.aws_iam_role["bitbucket-read"].max_session_duration).toBe(7200);
      expect(out.accessModel("org-dev").roles[0].acknowledgements.map((a) => a.rule)).toEqual(["BBO-P003"]);

      // The parallel plan steps: each account's step assumes a role of that account's stack, with the
      // credential entry exactly as snippet/synth generate it.
      const pipeline = /Plan every account in parallel[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
      type Step = { step: { name: string; oidc?: boolean; script: string[] } };
      const steps = (parse(pipeline!) as { pipelines: { "pull-requests": Record<string, ({ parallel: Step[] } | Step)[]> } }).pipelines["pull-requests"]["**"]
        .flatMap((entry) => ("parallel" in entry ? entry.parallel : []));
      expect(steps.map((s) => s.step.name)).toEqual(["Plan dev", "Plan prod"]);
      for (const { step } of steps) {
        const stack = /-chdir=cdktf\.out\/stacks\/(\S+)/.exec(step.script.join("\n"))![1];
        const role = /AWS_ROLE_ARN=arn:aws:iam::\d{12}:role\/(\S+)/.exec(step.script[0])![1];
        const generated = parse(readFileSync(join(out.outdir, "cdktf.out", "stacks", stack, "pipelines", `${role}.yml`), "utf8")) as Step[];
        expect(step.oidc).toBe(true);
        expect(step.script[0]).toBe(generated[0].step.script[0]);
      }
    } finally {
      out.dispose();
    }
  });
});
