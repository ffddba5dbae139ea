/**
 * The rehearsal: every generated step runs verbatim, under bash and under sh, with only Bitbucket's
 * variables, the real AWS CLI and the real terraform pointed at moto_server on 127.0.0.1.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describeWithMoto } from "../support/moto";
import {
  describeWithAwsCli,
  emulatorVariables,
  isCredentialEntry,
  makeClone,
  RehearsalStep,
  rehearsalSteps,
  runStep,
  writeProviderFreeStacks,
} from "../support/rehearsal";
import { describeWithTerraform } from "../support/terraform";
import { parseYaml, REPO_ROOT } from "../pipelines/support";
import { docPipelineSteps, snippetSteps, stepProblems, stepVariables, synthExamples, terraformBlockFinder, uniqueSteps, rehearsalLab } from "./rehearsal-support";

jest.setTimeout(300_000);

const examples = synthExamples();
afterAll(() => examples.dispose());
const terraformBlockOf = terraformBlockFinder(examples.example, examples.accounts);

/** Each source of steps, in the order its steps run (a plan step before the apply of its plan). */
const SOURCES: { name: string; steps: RehearsalStep[] }[] = [
  {
    name: "the example's pipelines/*.yml",
    steps: snippetSteps(examples.example),
  },
  {
    name: "the accounts example's pipelines/*.yml",
    steps: snippetSteps(examples.accounts),
  },
  {
    name: "bitbucket-pipelines.yml",
    steps: uniqueSteps(
      rehearsalSteps(parseYaml(readFileSync(join(REPO_ROOT, "bitbucket-pipelines.yml"), "utf8"), "bitbucket-pipelines.yml"), "bitbucket-pipelines.yml")
    ),
  },
  { name: "the docs' pipeline examples", steps: docPipelineSteps() },
];

/** The docs show some generated steps verbatim (a test keeps the copies equal): those ran already. */
const alreadyRun = new Set(SOURCES.slice(0, -1).flatMap((s) => s.steps.map((step) => JSON.stringify(step.commands))));
const toRun = (source: (typeof SOURCES)[number]): RehearsalStep[] =>
  source.steps.filter((s) => s.commands.length > 0 && (source !== SOURCES[SOURCES.length - 1] || !alreadyRun.has(JSON.stringify(s.commands))));

describe("what the rehearsal covers", () => {
  test("GIVEN every source THEN each has steps with a credential entry, and only pipes and commands that are not aws or terraform are left out", () => {
    for (const source of SOURCES) {
      const runnable = source.steps.filter((s) => s.commands.some(isCredentialEntry));
      expect({
        source: source.name,
        runnable: runnable.length > 0,
        toRun: toRun(source).length > 0,
      }).toEqual({ source: source.name, runnable: true, toRun: true });
      for (const step of source.steps) for (const skipped of step.skipped) expect(skipped).not.toMatch(/(^|[\s;&|(])(aws|terraform)\s/);
    }
  });
});

describeWithAwsCli("rehearsal: generated steps with the real AWS CLI and terraform against moto", () => {
  describeWithMoto("rehearsal: generated steps with the real AWS CLI and terraform against moto: moto_server", () => {
    describeWithTerraform("rehearsal: terraform", () => {
      const lab = rehearsalLab();

      for (const source of SOURCES) {
        for (const shell of ["bash", "sh"] as const) {
          test(`GIVEN ${source.name} WHEN each step runs under ${shell} THEN STS names its role and session, terraform init/plan/apply work through web identity alone, and nothing secret is printed`, async () => {
            const clone = makeClone();
            try {
              const steps = toRun(source);
              writeProviderFreeStacks(clone, [...new Set(steps.flatMap((s) => s.terraformDirs))], terraformBlockOf);
              const report: Record<string, string[]> = {};
              for (const step of steps) {
                const variables = await stepVariables(lab.issuer);
                const run = await runStep({
                  shell,
                  commands: step.commands,
                  clone,
                  variables,
                  emulator: emulatorVariables(lab.moto),
                });
                report[`${step.label} "${step.name}"`] = await stepProblems(lab.moto, step, variables, run);
              }
              expect(report).toEqual(Object.fromEntries(Object.keys(report).map((k) => [k, []])));
            } finally {
              clone.remove();
            }
          });
        }
      }
    });
  });
});
