/**
 * The rehearsal's sources and checks: every generated step (the example's and the accounts example's
 * pipelines/*.yml, this project's bitbucket-pipelines.yml, and the docs' pipeline examples), and the
 * three things each rehearsed step must show.
 */
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MotoServer, startMoto } from "../support/moto";
import {
  awsAdmin,
  expectedSessionName,
  makeClone,
  IssuedCredentials,
  issuedCredentials,
  leaksIn,
  RehearsalStep,
  rehearsalSteps,
  roleArnOf,
  secretsOf,
  sessionArn,
  StepRun,
  StepVariables,
} from "../support/rehearsal";
import { Synthesized, synthConfig } from "../support/synth";
import { startTestIssuer, TestIssuer } from "../support/tokens";
import { parseYaml, REPO_ROOT } from "../pipelines/support";

/** The Markdown files that document pipelines: README.md and docs/**.md. */
export function docFiles(): string[] {
  const docs = join(REPO_ROOT, "docs");
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".md") ? [join(dir, e.name)] : []));
  return [join(REPO_ROOT, "README.md"), ...walk(docs)];
}

/** The accounts example of the docs (the YAML block after `<!-- accounts-example -->`). */
export function accountsExample(): { text: string; file: string } {
  for (const file of docFiles()) {
    const m = /<!-- accounts-example -->\n```yaml\n([\s\S]*?)```/.exec(readFileSync(file, "utf8"));
    if (m) return { text: m[1], file };
  }
  throw new Error("no <!-- accounts-example --> block in README.md or docs/");
}

/** The docs' pipeline examples: fenced YAML blocks with a step that gets an OIDC token. */
export function docPipelineSteps(): RehearsalStep[] {
  return docFiles().flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/```yaml\n([\s\S]*?)```/g)]
      .filter((m) => /oidc:\s*true/.test(m[1]))
      .flatMap((m, i) => rehearsalSteps(parseYaml(m[1], `${file} block ${i + 1}`), `${file.slice(REPO_ROOT.length + 1)} block ${i + 1}`))
  );
}

/** Steps of a pipeline file, once each (YAML anchors repeat a step under several pipelines). */
export function uniqueSteps(steps: RehearsalStep[]): RehearsalStep[] {
  const seen = new Set<string>();
  return steps.filter((s) => {
    const key = JSON.stringify([s.name, s.commands]);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** The generated snippets of a synth: every pipelines/*.yml of every stack. */
export function snippetSteps(out: Synthesized): RehearsalStep[] {
  return out.result.stacks.flatMap((stack) => {
    const dir = join(out.outdir, "cdktf.out", "stacks", stack.name, "pipelines");
    let files: string[] = [];
    try {
      files = readdirSync(dir)
        .filter((f) => f.endsWith(".yml"))
        .sort();
    } catch {
      return [];
    }
    return files.flatMap((f) => rehearsalSteps(parseYaml(readFileSync(join(dir, f), "utf8"), f), `${stack.name}/pipelines/${f}`));
  });
}

/** The example config and the accounts example, synthesized. */
export function synthExamples(): {
  example: Synthesized;
  accounts: Synthesized;
  dispose(): void;
} {
  const example = synthConfig(readFileSync(join(REPO_ROOT, "bitbucket-oidc.yaml"), "utf8"), "bitbucket-oidc.yaml");
  const { text, file } = accountsExample();
  const accounts = synthConfig(text, file);
  return {
    example,
    accounts,
    dispose: () => (example.dispose(), accounts.dispose()),
  };
}

/** The `terraform` block (backend and required version) of any stack of the given synths. */
export function terraformBlockFinder(...synths: Synthesized[]): (stack: string) => Record<string, unknown> {
  return (stack) => {
    const out = synths.find((s) => s.result.stacks.some((st) => st.name === stack));
    if (!out) throw new Error(`no synthesized stack named ${stack}`);
    const { backend, required_version } = out.json(stack).terraform;
    return { backend, required_version };
  };
}

/** Fresh Bitbucket variables for one step: a signed token and a step UUID of its own. */
export async function stepVariables(issuer: TestIssuer, buildNumber = "4711"): Promise<StepVariables> {
  const stepUuid = `{${randomUUID()}}`;
  const token = await issuer.mint({
    workspaceSlug: "acme",
    workspaceUuid: "{8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60}",
    repositoryUuid: "{5b7d1e3f-2c4a-4b6d-8e0f-a1b2c3d4e5f6}",
  });
  return { token, buildNumber, stepUuid };
}

/**
 * What a rehearsed step got wrong (empty when nothing): it failed; STS does not name the role the
 * step exports with the session name the entry derives; Terraform did not assume the role through
 * web identity; or its output holds the token or any credential the emulator issued.
 */
export async function stepProblems(
  moto: MotoServer,
  step: RehearsalStep,
  variables: StepVariables,
  run: StepRun,
  roleArn = roleArnOf(step)
): Promise<string[]> {
  const problems: string[] = [];
  const output = `${run.stdout}\n${run.stderr}`;
  const issued: IssuedCredentials = await issuedCredentials(moto);
  const leaks = leaksIn(output, secretsOf(variables.token, issued));
  if (leaks.length > 0) problems.push(`leak: the step printed ${leaks.join(", ")}`);
  // Only what passed the leak scan may appear in a failure message.
  if (run.code !== 0) problems.push(`exit ${run.code}: ${leaks.length > 0 ? "(output withheld: it holds secrets)" : output.slice(-2000)}`);
  const session = expectedSessionName(variables.buildNumber, variables.stepUuid);
  const expected = sessionArn(roleArn, session);
  if (run.identity.arn !== expected) problems.push(`identity: expected ${expected}, STS said ${run.identity.arn ?? run.identity.error}`);
  if (step.terraformDirs.length > 0) {
    const sessions = issued.sessions.filter((s) => s.sessionName === session && s.roleArn === roleArn).length;
    // One session is the probe's; Terraform's S3 backend must have asked for its own.
    if (sessions < 2) problems.push(`terraform: no AssumeRoleWithWebIdentity of its own for ${roleArn} (${sessions} session(s))`);
  }
  return problems;
}

/** A running moto_server and token issuer for one test file. */
export interface RehearsalLab {
  readonly moto: MotoServer;
  readonly issuer: TestIssuer;
}

/**
 * Starts moto_server and a token issuer before the file's tests (with the example's state bucket,
 * and whatever `setup` adds through the AWS CLI with moto's dummy keys) and stops both after them.
 * Call it inside a describe; read `moto` and `issuer` in the tests.
 */
export function rehearsalLab(setup?: (moto: MotoServer, home: string) => Promise<void>): RehearsalLab {
  let moto: MotoServer | undefined;
  let issuer: TestIssuer | undefined;
  const admin = makeClone();
  beforeAll(async () => {
    [moto, issuer] = await Promise.all([startMoto(), startTestIssuer()]);
    await awsAdmin(moto, ["s3api", "create-bucket", "--bucket", "acme-terraform-state", "--region", "us-east-1"], admin.home);
    await setup?.(moto, admin.home);
  });
  afterAll(async () => {
    await Promise.all([moto?.stop(), issuer?.close()]);
    admin.remove();
  });
  return {
    get moto(): MotoServer {
      if (!moto) throw new Error("moto_server is not running: read rehearsalLab().moto inside a test");
      return moto;
    },
    get issuer(): TestIssuer {
      if (!issuer) throw new Error("the token issuer is not running: read rehearsalLab().issuer inside a test");
      return issuer;
    },
  };
}
