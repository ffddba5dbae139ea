import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderCredentialScript } from "../../lib/pipelines/credential-script";
import { checkPipeline, findSteps, FoundStep } from "../../lib/pipelines/script-check";
import { rolesFromTerraform } from "../support/terraform-json";
import { parseYaml, REPO_ROOT, stepRoleArn, synthExample, touchesAws } from "./support";

interface Step {
  name: string;
  image?: string;
  deployment?: string;
  trigger?: string;
  oidc?: boolean;
  script: (string | object)[];
  artifacts?: string[];
}
type Pipeline = { pipelines: { "pull-requests": Record<string, { step: Step }[]>; branches: Record<string, { step: Step }[]> } };

const text = readFileSync(join(REPO_ROOT, "bitbucket-pipelines.yml"), "utf8");
const pipeline = parseYaml(text, "bitbucket-pipelines.yml") as Pipeline;
const pullRequests = pipeline.pipelines["pull-requests"]["**"].map((s) => s.step);
const main = pipeline.pipelines.branches.main.map((s) => s.step);
const commands = (step: Step): string => step.script.filter((e): e is string => typeof e === "string").join("\n");
const indexOf = (steps: Step[], pattern: RegExp): number => steps.findIndex((s) => pattern.test(commands(s)));

describe("bitbucket-pipelines.yml (this project's own pipeline), checked against the synthesized roles", () => {
  const out = synthExample();
  afterAll(() => out.dispose());
  const model = out.accessModel();
  const roles = rolesFromTerraform(out.json(), { accountId: "123456789012" });
  const steps: FoundStep[] = findSteps(pipeline);
  const awsSteps = steps.filter(touchesAws);

  test("GIVEN the pipeline WHEN parsed THEN every step that touches AWS has oidc: true and nothing prints or stores a credential", () => {
    expect(awsSteps.length).toBeGreaterThanOrEqual(4);
    for (const step of awsSteps) expect({ path: step.path, oidc: step.step.oidc }).toEqual({ path: step.path, oidc: true });
    expect(checkPipeline(pipeline)).toEqual([]);
  });

  test("GIVEN steps that use AWS in other ways, and one that does not WHEN classified THEN the oidc check would see each AWS step", () => {
    const doc = parseYaml(
      `- step: { name: tf, script: ["terraform -chdir=x plan -out=p"] }
- step: { name: cli, script: ["aws s3 ls s3://bucket"] }
- step: { name: pipe, script: [{ pipe: "atlassian/aws-ecr-push-image:2.0.0", variables: { IMAGE_NAME: x } }] }
- step: { name: build, script: ["npm ci", "npm test", "unzip terraform.zip terraform -d /usr/local/bin"] }`,
      "fixture",
    );
    expect(findSteps(doc).map((s) => [s.step.name, touchesAws(s), s.step.oidc === true])).toEqual([
      ["tf", true, false],
      ["cli", true, false],
      ["pipe", true, false],
      ["build", false, false],
    ]);
  });

  test("GIVEN every AWS step WHEN its role is read THEN it is a synthesized role, and its first entry is exactly the generated credential script", () => {
    for (const step of awsSteps) {
      const arn = stepRoleArn(step);
      const role = model.roles.find((r) => r.arn === arn);
      expect({ path: step.path, arn, synthesized: roles.some((r) => r.arn === arn) }).toEqual({ path: step.path, arn, synthesized: true });
      expect(step.commands[0]).toBe(renderCredentialScript(role!, model.aws.region));
      // A deployment step names an environment the role trusts; a role bound to environments is only used with one.
      const environments = role!.trust.repositories.flatMap((r) => (r.environments ?? []).map((e) => e.name));
      const wholeRepository = role!.trust.repositories.some((r) => (r.environments ?? []).length === 0);
      if (step.step.deployment !== undefined) expect(environments).toContain(step.step.deployment);
      else expect(wholeRepository).toBe(true);
    }
  });

  test("GIVEN a pull request WHEN the pipeline runs THEN it installs, tests, synthesizes, plans -out with the plan role, and keeps the plan and the access report", () => {
    const test = indexOf(pullRequests, /^bash \.ci\/run$/m);
    const synth = indexOf(pullRequests, /^npm run synth$/m);
    const plan = indexOf(pullRequests, /terraform -chdir=cdktf\.out\/stacks\/bitbucket-oidc plan .*-out=plan\.tfplan/);
    const review = indexOf(pullRequests, /npx --no bitbucket-oidc review --synth cdktf\.out --base \/tmp\/base\/cdktf\.out --plan plan\.json > access-report\.md/);
    expect([test, synth, plan, review].every((i) => i >= 0)).toBe(true);
    expect(test <= synth && synth < plan && plan < review).toBe(true);
    expect(commands(pullRequests[test])).toMatch(/sha256sum --check/);
    expect(pullRequests[plan].artifacts).toEqual(expect.arrayContaining(["cdktf.out/stacks/bitbucket-oidc/plan.tfplan", "plan.json"]));
    expect(pullRequests[review].artifacts).toContain("access-report.md");
    // The base is the destination branch's own synth, built by its own code.
    expect(commands(pullRequests[review])).toMatch(/git fetch --depth 1 origin "\$BITBUCKET_PR_DESTINATION_BRANCH"/);
    // The plan role: trusted by the whole repository (pull requests have no deployment), and not the apply role.
    const planRole = model.roles.find((r) => r.arn === stepRoleArn(awsSteps.find((s) => s.step === (pullRequests[plan] as unknown))!))!;
    expect(planRole.name).toBe("bitbucket-terraform-plan");
    expect(pullRequests[plan].deployment).toBeUndefined();
    expect(pullRequests.some((s) => /terraform .* apply/.test(commands(s)))).toBe(false);
  });

  test("GIVEN main WHEN the pipeline runs THEN it synthesizes and plans, then applies that same pipeline's plan in a manual production step with the apply role and -lock-timeout", () => {
    const synth = indexOf(main, /^npm run synth$/m);
    const plan = indexOf(main, /plan .*-out=plan\.tfplan/);
    const apply = indexOf(main, /terraform -chdir=cdktf\.out\/stacks\/bitbucket-oidc apply .*plan\.tfplan/);
    expect(synth >= 0 && synth < plan && plan < apply).toBe(true);
    const applyStep = main[apply];
    expect(applyStep).toMatchObject({ deployment: "production", trigger: "manual", oidc: true });
    expect(commands(applyStep)).toMatch(/apply -input=false -lock-timeout=\d+[smh] plan\.tfplan$/m);
    // The apply role trusts exactly the production environment, by UUID.
    const applyRole = model.roles.find((r) => r.arn === stepRoleArn(awsSteps.find((s) => s.step === (applyStep as unknown))!))!;
    expect(applyRole.name).toBe("bitbucket-deploy-production");
    expect(applyRole.trust.repositories.flatMap((r) => (r.environments ?? []).map((e) => e.name))).toEqual(["production"]);
    const synthesized = roles.find((r) => r.name === applyRole.name)!;
    expect(JSON.stringify(synthesized.trustPolicy)).toContain(`:${applyRole.trust.repositories[0].environments![0].uuid}:*`);
    // The plan applied is made earlier in the same pipeline and carried as its artifact.
    expect(main[plan].artifacts).toContain("cdktf.out/stacks/bitbucket-oidc/plan.tfplan");
    expect(main.slice(apply + 1)).toEqual([]);
  });
});
