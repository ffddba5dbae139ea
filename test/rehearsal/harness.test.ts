/**
 * The rehearsal's own checks, proven to fail: a generated step broken on purpose must fail them.
 * - a wrong role variable name: the identity check;
 * - `set -x` before the token is written: the leak scan;
 * - STS at a dead port: terraform init, so the backend really assumes the role through web identity.
 */
import { createServer } from "node:net";
import { describeWithMoto } from "../support/moto";
import {
  describeWithAwsCli,
  emulatorVariables,
  isCredentialEntry,
  makeClone,
  RehearsalStep,
  roleArnOf,
  runStep,
  writeProviderFreeStacks,
} from "../support/rehearsal";
import { describeWithTerraform } from "../support/terraform";
import { snippetSteps, stepProblems, stepVariables, synthExamples, terraformBlockFinder, rehearsalLab } from "./rehearsal-support";

jest.setTimeout(180_000);

const examples = synthExamples();
afterAll(() => examples.dispose());
const deploy = snippetSteps(examples.example).find((s) => s.label.includes("/bitbucket-deploy-production.yml "))!;

/** The deploy step with its credential entry rewritten by `edit`. */
function broken(edit: (entry: string) => string, name: string): RehearsalStep {
  return {
    ...deploy,
    name,
    commands: deploy.commands.map((c) => (isCredentialEntry(c) ? edit(c) : c)),
  };
}

/** A loopback port nobody listens on (taken from the OS, then released). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describeWithAwsCli("rehearsal harness: steps broken on purpose", () => {
  describeWithMoto("rehearsal harness: steps broken on purpose: moto_server", () => {
    const lab = rehearsalLab();

    async function rehearse(step: RehearsalStep, roleArn = roleArnOf(step), emulator = emulatorVariables(lab.moto)): Promise<string[]> {
      const clone = makeClone();
      try {
        writeProviderFreeStacks(clone, step.terraformDirs, terraformBlockFinder(examples.example));
        const variables = await stepVariables(lab.issuer);
        return await stepProblems(
          lab.moto,
          step,
          variables,
          await runStep({
            shell: "bash",
            commands: step.commands,
            clone,
            variables,
            emulator,
          }),
          roleArn
        );
      } finally {
        clone.remove();
      }
    }

    test("GIVEN the generated deploy step unchanged THEN it passes every check (the control)", async () => {
      expect(deploy).toBeDefined();
      expect(await rehearse(deploy)).toEqual([]);
    });

    test("GIVEN the role ARN exported under a wrong variable name THEN the identity check fails", async () => {
      const problems = await rehearse(
        broken((c) => c.replace("export AWS_ROLE_ARN=", "export AWS_ROLE="), "wrong role variable"),
        roleArnOf(deploy)
      );
      expect(problems.some((p) => p.startsWith("identity: expected arn:aws:sts::123456789012:assumed-role/bitbucket-deploy-production/"))).toBe(true);
      expect(problems.some((p) => p.startsWith("leak:"))).toBe(false);
    });

    test("GIVEN `set -x` before the token is written THEN the leak scan fails and withholds the output", async () => {
      const problems = await rehearse(broken((c) => `set -x\n${c}`, "set -x"));
      expect(problems.some((p) => p.startsWith("leak: the step printed"))).toBe(true);
      expect(problems.join("\n")).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}/);
    });

    describeWithTerraform("terraform", () => {
      test("GIVEN STS at a dead port THEN terraform init of the synthesized backend fails on AssumeRoleWithWebIdentity", async () => {
        const plan = snippetSteps(examples.example).find((s) => s.terraformDirs.length > 0);
        const step: RehearsalStep = plan ?? {
          ...deploy,
          commands: [...deploy.commands.filter(isCredentialEntry), "terraform -chdir=cdktf.out/stacks/bitbucket-oidc init -input=false"],
          terraformDirs: ["cdktf.out/stacks/bitbucket-oidc"],
        };
        const problems = await rehearse(step, roleArnOf(step), emulatorVariables(lab.moto, `http://127.0.0.1:${await deadPort()}`));
        expect(problems.find((p) => p.startsWith("exit "))).toMatch(/AssumeRoleWithWebIdentity/);
      });
    });
  });
});
