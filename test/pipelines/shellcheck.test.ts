import { readFileSync } from "node:fs";
import { join } from "node:path";
import { findSteps, FoundStep } from "../../lib/pipelines/script-check";
import { baseConfig, UUIDS, withSynth } from "../support/synth";
import { parseYaml, REPO_ROOT, shellcheck, shellcheckAvailable, synthExample } from "./support";

/** A step's commands as the one script Bitbucket runs them as, in the image's shell. */
function stepScript(step: FoundStep): { script: string; shell: "bash" | "sh" } {
  // hashicorp/terraform is Alpine: no bash, Bitbucket runs the script with sh.
  const shell = /hashicorp\/terraform/.test(String(step.step.image ?? "")) ? "sh" : "bash";
  return { script: step.commands.join("\n"), shell };
}

function expectClean(label: string, script: string, shell: "bash" | "sh"): void {
  const { status, report } = shellcheck(script, shell);
  expect({ label, shell, status, report }).toEqual({ label, shell, status: 0, report: "" });
}

describe("shellcheck (Debian package) on every generated script and the pipeline's scripts", () => {
  const available = shellcheckAvailable("the shellcheck tests of test/pipelines");
  const it = available ? test : test.skip;

  it("GIVEN every role's snippet of the example and of other trust shapes WHEN shellchecked as bash and as sh THEN nothing is reported", () => {
    const snippets: [string, string][] = [];
    const example = synthExample();
    try {
      for (const role of example.accessModel().roles) snippets.push([`example ${role.name}`, example.file(`pipelines/${role.name}.yml`)]);
    } finally {
      example.dispose();
    }
    const unknownAccount = baseConfig({
      aws: { region: "us-east-1" },
      roles: [{ name: "odd+name=x,y.z@w-1", repositories: [{ uuid: UUIDS.repoA, environments: [{ uuid: UUIDS.envProduction, name: "prod env" }] }] }],
    });
    withSynth(unknownAccount, (out) => snippets.push(["no account id, odd role name", out.file("pipelines/odd+name=x,y.z@w-1.yml")]));
    for (const [label, text] of snippets) {
      for (const step of findSteps(parseYaml(text, label))) {
        expect(step.commands.length).toBeGreaterThan(0);
        expectClean(`${label} ${step.path}`, step.commands.join("\n"), "bash");
        expectClean(`${label} ${step.path}`, step.commands.join("\n"), "sh");
      }
    }
  });

  it("GIVEN bitbucket-pipelines.yml WHEN each step's script is shellchecked in its image's shell THEN nothing is reported", () => {
    const steps = findSteps(parseYaml(readFileSync(join(REPO_ROOT, "bitbucket-pipelines.yml"), "utf8"), "bitbucket-pipelines.yml"));
    expect(steps.length).toBeGreaterThanOrEqual(4);
    for (const step of steps) {
      const { script, shell } = stepScript(step);
      expectClean(`bitbucket-pipelines.yml ${step.path}`, script, shell);
    }
  });

  it("GIVEN a script with an unquoted variable and bash-only syntax under sh WHEN shellchecked THEN it is reported (the check can fail)", () => {
    expect(shellcheck('cp $SOURCE /tmp/x', "bash").report).toContain("SC2086");
    expect(shellcheck('[[ -n "$X" ]] && echo yes', "sh").report).toContain("SC3010");
  });
});
