/**
 * `review --plan`: what Terraform will do, read from `terraform show -json`. Actions are proven on
 * plans the real terraform binary makes offline (provider-free terraform_data); the mapping of aws
 * resources to roles and the provider warning on a minimal fixture shaped like the real format.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parsePlan } from "../../lib/review/plan";
import { ReviewReport } from "../../lib/review/report";
import { runCommand, synthConfig, synthFolder } from "./support";

const EXAMPLE = join(__dirname, "..", "..", "bitbucket-oidc.yaml");
const AWS_PLAN = join(__dirname, "fixtures", "plan-aws.json");
const TF_ENV = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_CLI_CONFIG_FILE: "/dev/null" };

const hasTerraform = spawnSync("terraform", ["version"], { env: TF_ENV }).status === 0;
if (!hasTerraform && process.env.CI === "true") throw new Error("terraform is not on PATH: the review plan tests need it in CI");
if (!hasTerraform) console.warn("SKIPPED: test/review/plan.test.ts real-terraform plan tests: terraform is not on PATH");
const withTerraform = hasTerraform ? describe : describe.skip;

function terraform(cwd: string, ...args: string[]): string {
  const run = spawnSync("terraform", args, { cwd, env: TF_ENV, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`terraform ${args.join(" ")} failed: ${run.stderr}`);
  return run.stdout;
}

/** terraform_data resources; `version` changes what the second plan does to each. */
function config(version: 1 | 2): string {
  const data: Record<string, unknown> = {
    keep: { input: "same" },
    updated: { input: `v${version}` },
    replaced: { triggers_replace: `v${version}` },
    replaced_first_created: { triggers_replace: `v${version}`, lifecycle: { create_before_destroy: true } },
  };
  if (version === 1) Object.assign(data, { destroyed: { input: "gone next" }, forgotten: { input: "left in place" } });
  if (version === 2) data.created = { input: "new" };
  // Terraform 1.7+: a removed block that keeps the object plans the action ["forget"].
  const removed = version === 2 ? { removed: [{ from: "terraform_data.forgotten", lifecycle: { destroy: false } }] } : {};
  return JSON.stringify({ resource: { terraform_data: data }, ...removed });
}

withTerraform("plans made by the real terraform binary", () => {
  let dir: string;
  let planJson: string;
  const example = synthConfig(require("node:fs").readFileSync(EXAMPLE, "utf8"));

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "bbo-plan-"));
    writeFileSync(join(dir, "main.tf.json"), config(1));
    terraform(dir, "init", "-input=false", "-no-color");
    terraform(dir, "apply", "-auto-approve", "-input=false", "-no-color");
    writeFileSync(join(dir, "main.tf.json"), config(2));
    terraform(dir, "plan", "-input=false", "-no-color", "-out", "plan.tfplan");
    planJson = terraform(dir, "show", "-json", "plan.tfplan");
    writeFileSync(join(dir, "plan.json"), planJson);
  }, 120000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    example.dispose();
  });

  test("GIVEN a real plan THEN each resource gets create, update, replace, destroy, forget or no-op", () => {
    const actions = Object.fromEntries(parsePlan(planJson, "plan.json").map((c) => [c.address, c.action]));
    expect(actions).toEqual({
      "terraform_data.created": "create",
      "terraform_data.updated": "update",
      "terraform_data.replaced": "replace",
      "terraform_data.replaced_first_created": "replace",
      "terraform_data.destroyed": "destroy",
      "terraform_data.forgotten": "forget",
      "terraform_data.keep": "no-op",
    });
  });

  test("GIVEN the plan THEN review lists what changes, no no-ops, and no provider warning", async () => {
    const run = await runCommand(["review", "--synth", synthFolder(example), "--plan", join(dir, "plan.json"), "--json"]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as ReviewReport;
    expect(report.warnings).toEqual([]);
    expect(report.plan?.map((p) => [p.address, p.action, p.kind])).toEqual([
      ["terraform_data.created", "create", "other"],
      ["terraform_data.destroyed", "destroy", "other"],
      ["terraform_data.forgotten", "forget", "other"],
      ["terraform_data.replaced", "replace", "other"],
      ["terraform_data.replaced_first_created", "replace", "other"],
      ["terraform_data.updated", "update", "other"],
    ]);
  });

  test("GIVEN the binary plan file instead of its JSON THEN exit 2 saying what is expected", async () => {
    const run = await runCommand(["review", "--synth", synthFolder(example), "--plan", join(dir, "plan.tfplan")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("not JSON");
    expect(run.stderr).toContain('expected the JSON of "terraform show -json <planfile>", not the binary plan file itself');
  });
});

describe("plans of aws resources (fixture shaped like terraform show -json)", () => {
  const example = synthConfig(require("node:fs").readFileSync(EXAMPLE, "utf8"));
  afterAll(() => example.dispose());

  test("GIVEN the identity provider is replaced THEN a warning comes first, before everything else", async () => {
    const run = await runCommand(["review", "--synth", synthFolder(example), "--plan", AWS_PLAN]);
    expect(run.code).toBe(0);
    const [heading, warning] = run.stdout.split("\n\n");
    expect(heading).toMatch(/^# Access review of /);
    expect(warning).toMatch(/^> \*\*Warning: the identity provider `aws_iam_openid_connect_provider\.oidc-provider` will be REPLACED\*\*/);
    expect(warning).toContain("Every pipeline of workspace `acme` fails to assume any role from the moment the old provider is deleted");
  });

  test("GIVEN aws changes THEN each is tied to its role, from its attributes or its cdktf name", async () => {
    const report = JSON.parse((await runCommand(["review", "--synth", synthFolder(example), "--plan", AWS_PLAN, "--json"])).stdout) as ReviewReport;
    expect(report.warnings).toEqual([{ kind: "identity-provider-replaced", address: "aws_iam_openid_connect_provider.oidc-provider", planFile: AWS_PLAN, workspace: "acme" }]);
    expect(report.plan?.map((p) => [p.address.split(".")[0], p.action, p.kind, p.role])).toEqual([
      ["aws_iam_openid_connect_provider", "replace", "identity provider", undefined],
      ["aws_iam_role", "update", "role", "bitbucket-ecr-push"],
      ["aws_iam_role_policy", "create", "inline policy", "bitbucket-ecr-push"],
      ["aws_iam_role_policy_attachment", "destroy", "policy attachment", "bitbucket-deploy-production"],
      ["aws_iam_role_policies_exclusive", "update", "exclusive policy list", "bitbucket-ecr-push"],
    ]);
  });

  test("GIVEN the provider is destroyed THEN the warning says so", async () => {
    const plan = JSON.parse(require("node:fs").readFileSync(AWS_PLAN, "utf8"));
    plan.resource_changes[0].change.actions = ["delete"];
    plan.resource_changes[0].change.after = null;
    const dir = mkdtempSync(join(tmpdir(), "bbo-plan-"));
    try {
      writeFileSync(join(dir, "plan.json"), JSON.stringify(plan));
      const run = await runCommand(["review", "--synth", synthFolder(example), "--plan", join(dir, "plan.json")]);
      expect(run.stdout).toContain("will be DESTROYED**");
      expect(run.stdout).toContain("Every pipeline of workspace `acme` loses access to AWS.");
      expect(run.stdout).toMatch(/\| \*\*destroy\*\* \| `aws_iam_openid_connect_provider\.oidc-provider` \| identity provider \|/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("GIVEN JSON that is not a plan THEN exit 2 naming the field", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bbo-plan-"));
    try {
      writeFileSync(join(dir, "state.json"), JSON.stringify({ version: 4, resources: [] }));
      const run = await runCommand(["review", "--synth", synthFolder(example), "--plan", join(dir, "state.json")]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("state.json: format_version: missing");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
