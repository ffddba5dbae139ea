import { cpSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { AccessRole } from "../../lib/access-model/access-model";
import { CliRun, runCliIn } from "../support/run-cli";
import { renderCredentialScript } from "../../lib/pipelines/credential-script";
import { renderSnippet } from "../../lib/pipelines/render";
import { checkPipeline, findSteps } from "../../lib/pipelines/script-check";
import { ECR_PUSH_PIPE } from "../../lib/pipelines/steps";
import { baseConfig, synthConfig, UUIDS, withSynth } from "../support/synth";
import { rolesFromTerraform } from "../support/terraform-json";
import { exportedRoleArn, parseYaml, stepRoleArn, synthExample, touchesAws } from "./support";

/** Environment UUIDs a role trusts, read from the `sub` patterns of its synthesized trust policy. */
function trustedEnvironments(trustPolicy: { Statement: { Condition?: Record<string, Record<string, string | string[]>> }[] }): {
  environments: string[];
  wholeRepository: boolean;
} {
  const subjects = trustPolicy.Statement.flatMap((s) => Object.entries(s.Condition?.StringLike ?? {}))
    .filter(([key]) => key.endsWith(":sub"))
    .flatMap(([, v]) => (Array.isArray(v) ? v : [v]));
  const parts = subjects.map((s) => s.split(":"));
  return { environments: parts.filter((p) => p.length === 3).map((p) => p[1]), wholeRepository: parts.some((p) => p.length === 2) };
}

const cli = (argv: string[]): Promise<CliRun> => runCliIn(argv, { env: {} });

/** Environments with their names in a config, by UUID. */
const ENVIRONMENT_NAMES: Record<string, string> = { [UUIDS.envProduction]: "production", [UUIDS.envStaging]: "staging" };

describe("the snippet synth writes for every role (the example config, synthesized for real)", () => {
  const out = synthExample();
  afterAll(() => out.dispose());
  const json = out.json();
  const roles = rolesFromTerraform(json, { accountId: "123456789012" });
  const model = out.accessModel();
  const snippetDir = join(out.outdir, "cdktf.out", "stacks", "bitbucket-oidc", "pipelines");

  test("GIVEN the example WHEN synthesized THEN there is one parseable snippet per role in cdk.tf.json", () => {
    expect(readdirSync(snippetDir).sort()).toEqual(roles.map((r) => `${r.name}.yml`).sort());
  });

  test.each(roles.map((r) => r.name))(
    "GIVEN role %s WHEN its snippet is read THEN every AWS step has oidc: true, the role's synthesized ARN, the deployment names of the environments it trusts, and nothing that leaks",
    (name) => {
      const role = roles.find((r) => r.name === name)!;
      const steps = findSteps(parseYaml(out.file(`pipelines/${name}.yml`), name));
      expect(steps.length).toBeGreaterThan(0);
      for (const step of steps) {
        expect(touchesAws(step)).toBe(true);
        expect(step.step.oidc).toBe(true);
        expect(stepRoleArn(step)).toBe(role.arn);
        // A CLI step starts with the generated credential entry (an ECR pipe step has none).
        if (exportedRoleArn(step.commands)) expect(step.commands[0]).toBe(renderCredentialScript(model.roles.find((r) => r.name === name)!, "us-east-1"));
      }
      const { environments, wholeRepository } = trustedEnvironments(role.trustPolicy as never);
      expect(steps.map((s) => s.step.deployment).filter((d) => d !== undefined).sort()).toEqual(environments.map((e) => ENVIRONMENT_NAMES[e]).sort());
      expect(steps.some((s) => s.step.deployment === undefined)).toBe(wholeRepository);
      expect(checkPipeline(parseYaml(out.file(`pipelines/${name}.yml`), name))).toEqual([]);
    },
  );

  test("GIVEN the synth output WHEN `snippet <role>` runs THEN it prints exactly the file synth wrote", async () => {
    const synthDir = join(out.outdir, "cdktf.out");
    const run = await cli(["snippet", "bitbucket-deploy-production", "--synth", synthDir]);
    expect(run).toEqual({ code: 0, stdout: out.file("pipelines/bitbucket-deploy-production.yml"), stderr: "" });
    const withStack = await cli(["snippet", "bitbucket-ecr-push", "--stack", "bitbucket-oidc", "--synth", synthDir]);
    expect(withStack.stdout).toBe(out.file("pipelines/bitbucket-ecr-push.yml"));
  });

  test.each([
    [["snippet", "no-such-role"], 'role "no-such-role": no such role', 2],
    [["snippet", "bitbucket-ecr-push", "--stack", "other"], '--stack "other": no such stack', 2],
    [["snippet"], "expected exactly one role name, got 0", 2],
  ])("GIVEN %j WHEN run THEN it says %j and exits %d", async (argv, message, code) => {
    const run = await cli([...(argv as string[]), "--synth", join(out.outdir, "cdktf.out")]);
    expect(run.code).toBe(code);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(message as string);
  });

  test("GIVEN two stacks with a role of the same name WHEN `snippet <role>` runs THEN it asks for --stack, and --stack picks one", async () => {
    const other = synthConfig(baseConfig({ stack: "other", roles: [{ name: "bitbucket-ecr-push", repositories: [{ uuid: UUIDS.repoB }] }] }));
    try {
      const synthDir = join(out.outdir, "two-stacks");
      cpSync(join(out.outdir, "cdktf.out", "stacks", "bitbucket-oidc"), join(synthDir, "stacks", "bitbucket-oidc"), { recursive: true });
      cpSync(join(other.outdir, "cdktf.out", "stacks", "other"), join(synthDir, "stacks", "other"), { recursive: true });
      const ambiguous = await cli(["snippet", "bitbucket-ecr-push", "--synth", synthDir]);
      expect(ambiguous.code).toBe(2);
      expect(ambiguous.stderr).toContain('role "bitbucket-ecr-push" is in stacks bitbucket-oidc, other; choose one with --stack <name>');
      const picked = await cli(["snippet", "bitbucket-ecr-push", "--stack", "other", "--synth", synthDir]);
      expect(picked).toEqual({ code: 0, stdout: other.file("pipelines/bitbucket-ecr-push.yml"), stderr: "" });
      expect(picked.stdout).toContain(UUIDS.repoB);
    } finally {
      other.dispose();
    }
  });

  test("GIVEN no synth output WHEN `snippet` runs THEN it says to run synth first (exit 2)", async () => {
    const run = await cli(["snippet", "x", "--synth", join(out.outdir, "nothing-here")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('run "bitbucket-oidc synth" first');
  });
});

describe("snippets for other shapes of trust (synthesized for real)", () => {
  test("GIVEN a role with two named environments in two repositories and one whole repository WHEN synthesized THEN one step per environment plus one without deployment", () => {
    const config = baseConfig({
      roles: [
        {
          name: "bitbucket-deploy",
          repositories: [
            { uuid: UUIDS.repoA, name: "web-app", environments: [{ uuid: UUIDS.envProduction, name: "production" }, { uuid: UUIDS.envStaging, name: "staging" }] },
            { uuid: UUIDS.repoB, name: "api", environments: [{ uuid: UUIDS.envProduction, name: "production" }] },
            { uuid: UUIDS.repoC, name: "tools" },
          ],
        },
      ],
    });
    withSynth(config, (out) => {
      const role = rolesFromTerraform(out.json(), { accountId: "123456789012" })[0];
      const { environments } = trustedEnvironments(role.trustPolicy as never);
      const steps = findSteps(parseYaml(out.file("pipelines/bitbucket-deploy.yml"), "snippet"));
      expect(steps.map((s) => s.step.deployment)).toEqual([undefined, "production", "staging"]);
      expect(new Set(environments.map((e) => ENVIRONMENT_NAMES[e]))).toEqual(new Set(["production", "staging"]));
      expect(out.file("pipelines/bitbucket-deploy.yml")).toContain("# For web-app {3f2a9c4e-7b1d-4a8e-b6c5-0d9e8f7a6b51}, api {5b7d1e3f-2c4a-4b6d-8e0f-a1b2c3d4e5f6}: only steps deploying to \"production\"");
    });
  });

  test("GIVEN the explicit opt-in to every repository of the workspace WHEN synthesized THEN one step without deployment, saying so", () => {
    withSynth(baseConfig({ roles: [{ name: "bitbucket-any", anyRepositoryInWorkspace: true }] }), (out) => {
      const text = out.file("pipelines/bitbucket-any.yml");
      expect(findSteps(parseYaml(text, "snippet")).map((s) => [s.step.deployment, s.step.oidc])).toEqual([[undefined, true]]);
      expect(text).toContain("# For every repository of the workspace: any step may assume bitbucket-any.");
    });
  });

  test("GIVEN an environment without a name WHEN synthesized THEN deployment: holds its UUID with a comment to replace it", () => {
    const config = baseConfig({ roles: [{ name: "bitbucket-deploy", repositories: [{ uuid: UUIDS.repoA, environments: [{ uuid: UUIDS.envStaging }] }] }] });
    withSynth(config, (out) => {
      expect(out.file("pipelines/bitbucket-deploy.yml")).toContain(`deployment: "${UUIDS.envStaging}" # replace with the name of the environment with this UUID`);
    });
  });

  test("GIVEN no account id WHEN synthesized THEN the snippet says which variable to set from which Terraform output", () => {
    withSynth(baseConfig({ aws: { region: "us-east-1" } }), (out) => {
      const text = out.file("pipelines/bitbucket-deploy.yml");
      expect(Object.keys(out.json().output ?? {})).toContain("role_arn_bitbucket-deploy");
      expect(text).toContain("# AWS_ROLE_ARN_BITBUCKET_DEPLOY to the Terraform output role_arn_bitbucket-deploy:");
      expect(text).toContain("terraform -chdir=cdktf.out/stacks/bitbucket-oidc output -raw role_arn_bitbucket-deploy");
    });
  });
});

describe("the ecrPush snippet (an access-model role given an ecrPush grant as input)", () => {
  const out = synthConfig(baseConfig({ roles: [{ name: "bitbucket-ecr-push", repositories: [{ uuid: UUIDS.repoA, name: "web-app" }] }] }));
  afterAll(() => out.dispose());
  const model = out.accessModel();
  const withGrant = (role: AccessRole, grant: unknown): AccessRole => ({ ...role, grants: { ...role.grants, ecrPush: grant } });

  test("GIVEN grants.ecrPush WHEN rendered THEN the step uses the pipe with AWS_OIDC_ROLE_ARN, AWS_DEFAULT_REGION, IMAGE_NAME and TAGS, oidc: true", () => {
    const role = withGrant(model.roles[0], { repositories: ["mydockerimage", "team/other"] });
    const [step] = findSteps(parseYaml(renderSnippet(model, role), "ecr snippet"));
    expect(step.step).toEqual({
      name: "Push image with bitbucket-ecr-push",
      oidc: true,
      services: ["docker"],
      script: [
        'docker build -t "mydockerimage:$BITBUCKET_COMMIT" .',
        {
          pipe: ECR_PUSH_PIPE,
          variables: {
            AWS_OIDC_ROLE_ARN: "arn:aws:iam::123456789012:role/bitbucket-ecr-push",
            AWS_DEFAULT_REGION: "us-east-1",
            IMAGE_NAME: "mydockerimage",
            TAGS: "$BITBUCKET_COMMIT",
          },
        },
        'docker build -t "team/other:$BITBUCKET_COMMIT" .',
        {
          pipe: ECR_PUSH_PIPE,
          variables: { AWS_OIDC_ROLE_ARN: "arn:aws:iam::123456789012:role/bitbucket-ecr-push", AWS_DEFAULT_REGION: "us-east-1", IMAGE_NAME: "team/other", TAGS: "$BITBUCKET_COMMIT" },
        },
      ],
    });
    expect(touchesAws(step)).toBe(true);
    expect(rolesFromTerraform(out.json(), { accountId: "123456789012" })[0].arn).toBe("arn:aws:iam::123456789012:role/bitbucket-ecr-push");
    expect(checkPipeline(parseYaml(renderSnippet(model, role), "ecr snippet"))).toEqual([]);
  });

  test("GIVEN a pull-only ecrPush grant (synthesized for real) WHEN its snippet is read THEN it is the credential step, not the push pipe the role may not use", () => {
    const config = baseConfig({ roles: [{ name: "bitbucket-ecr-pull", repositories: [{ uuid: UUIDS.repoA }], grants: { ecrPush: { repositories: ["base-images"], pullOnly: true } } }] });
    withSynth(config, (pulled) => {
      const model = pulled.accessModel();
      const role = model.roles[0];
      expect(role.grants.ecrPush).toMatchObject({ pullOnly: true });
      const text = pulled.file("pipelines/bitbucket-ecr-pull.yml");
      expect(text).not.toContain("aws-ecr-push-image");
      const [step] = findSteps(parseYaml(text, "pull-only snippet"));
      expect(step.step).toMatchObject({ name: "AWS as bitbucket-ecr-pull", oidc: true });
      expect(step.commands[0]).toBe(renderCredentialScript(role, "us-east-1"));
    });
  });

  test("GIVEN an unknown ARN and an environment-bound role WHEN rendered THEN the pipe reads $AWS_ROLE_ARN_<ROLE> and the step has the deployment", () => {
    const role: AccessRole = {
      ...withGrant(model.roles[0], { repositories: ["web-app"] }),
      arn: undefined,
      trust: { ...model.roles[0].trust, repositories: [{ uuid: UUIDS.repoA, environments: [{ uuid: UUIDS.envProduction, name: "production" }] }] },
    };
    const text = renderSnippet(model, role);
    const [step] = findSteps(parseYaml(text, "ecr snippet"));
    expect(step.step.deployment).toBe("production");
    expect((step.step.script as { variables?: Record<string, string> }[])[1].variables).toMatchObject({
      AWS_OIDC_ROLE_ARN: "$AWS_ROLE_ARN_BITBUCKET_ECR_PUSH",
      AWS_DEFAULT_REGION: model.aws.region,
    });
    expect(text).toContain("role_arn_bitbucket-ecr-push");
  });
});
