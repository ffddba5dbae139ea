/**
 * Issue 19, "It must show": from an empty folder, with only the test Bitbucket API server on
 * 127.0.0.1, the README's "Your own workspace in five steps" block runs verbatim, starting from
 * installing the packed package: `npm install` of the tarball, `npx --no bitbucket-oidc init` with
 * the fill-in flags, then `validate` and `synth`, each exit 0. The commands are read from the
 * README's `<!-- own-workspace-steps -->` block and never edited: the test only puts the tarball where
 * the README's Installing section tells the user to (`npm pack --pack-destination` into the folder),
 * and gives the API server's address and credentials through the environment, as a user's shell would.
 *
 * npm runs offline from the consumer tests' npm cache (scripts/consumer-cache.js). The heavy peers
 * (cdktf, constructs, @cdktf/provider-aws) are laid into node_modules as hard links of the repository's
 * copies, as the consumer tests do, so npm finds them installed instead of extracting 470 MB.
 */
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { parse } from "yaml";
import { BitbucketApiServer, braced, startBitbucketApiServer } from "../support/bitbucket-api-server";
import { ENV, NODE_MODULES, REPO, sharedPackage } from "../consumer/consumer-project";

jest.setTimeout(900_000);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const consumerCache = require("../../scripts/consumer-cache") as { ensureFilled(): void };

/** The README's marked block, exactly as written: one command a line. */
function ownWorkspaceSteps(): string[] {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const block = /<!-- own-workspace-steps -->\n```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error("README.md has no <!-- own-workspace-steps --> sh block");
  return block.split("\n").filter((line) => line.trim() !== "");
}

interface StepRun {
  readonly command: string;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one command line in bash without blocking: the API server answers from this process. */
function runAsync(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<StepRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", command], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ command, code, stdout, stderr }));
  });
}

let server: BitbucketApiServer;
let dir: string;
let runs: StepRun[] = [];

beforeAll(async () => {
  const pkg = await sharedPackage();
  consumerCache.ensureFilled();
  server = await startBitbucketApiServer("acme", [
    { slug: "web-app", uuid: braced(), environments: [{ uuid: braced(), name: "Production", type: "Production" }, { uuid: braced(), name: "Staging", type: "Staging" }] },
    { slug: "infra-live", uuid: braced(), environments: [] },
  ]);
  dir = mkdtempSync(join(tmpdir(), "bbo-own-workspace-"));
  copyFileSync(pkg.tarball, join(dir, basename(pkg.tarball)));
  for (const name of ["cdktf", "constructs", "@cdktf/provider-aws"]) {
    const target = join(dir, "node_modules", name);
    mkdirSync(dirname(target), { recursive: true });
    try {
      execFileSync("cp", ["-al", join(NODE_MODULES, name), target]);
    } catch {
      cpSync(join(NODE_MODULES, name), target, { recursive: true });
    }
  }
  const env: NodeJS.ProcessEnv = { ...ENV, BITBUCKET_API_URL: server.apiUrl, BITBUCKET_EMAIL: server.credentials.email, BITBUCKET_API_TOKEN: server.credentials.apiToken };
  delete env.BITBUCKET_TOKEN;
  delete env.BITBUCKET_OIDC_CONFIG;
  delete env.CDKTF_OUTDIR;
  runs = [];
  for (const command of ownWorkspaceSteps()) {
    const run = await runAsync(command, dir, env);
    runs.push(run);
    if (run.code !== 0) break;
  }
}, 900_000);

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("the README's block is install, init with the fill-in flags, validate, synth", () => {
  const steps = ownWorkspaceSteps();
  expect(steps).toHaveLength(4);
  expect(steps[0]).toMatch(/^npm install \.\/cdktf-bitbucket-oidc-\*\.tgz$/);
  expect(steps[1]).toMatch(/^npx --no bitbucket-oidc init --workspace \S+ --account-id \d{12} --region \S+ --state-bucket \S+$/);
  expect(steps.slice(2)).toEqual(["npx --no bitbucket-oidc validate", "npx --no bitbucket-oidc synth"]);
});

test("GIVEN an empty folder and the API server WHEN each command runs verbatim THEN each exits 0", () => {
  expect(runs.map((r) => ({ command: r.command, code: r.code, stderr: r.code === 0 ? "" : r.stderr }))).toEqual(
    ownWorkspaceSteps().map((command) => ({ command, code: 0, stderr: "" })),
  );
});

test("THEN init read the workspace from the server, and the config names it and its repositories' UUIDs", () => {
  const config = parse(readFileSync(join(dir, "bitbucket-oidc.yaml"), "utf8")) as {
    workspace: { slug: string; uuid: string };
    roles: { name: string; repositories: { uuid: string; environments?: { uuid: string }[] }[] }[];
  };
  expect(config.workspace).toEqual(expect.objectContaining({ slug: "acme", uuid: server.workspace.uuid }));
  const [webApp, infraLive] = server.repositories;
  expect(config.roles.map((r) => r.name).sort()).toEqual(["bitbucket-infra-live", "bitbucket-web-app"]);
  const web = config.roles.find((r) => r.name === "bitbucket-web-app")!;
  expect(web.repositories[0].uuid).toBe(webApp.uuid);
  expect(web.repositories[0].environments?.map((e) => e.uuid)).toEqual([webApp.environments[0].uuid]);
  expect(config.roles.find((r) => r.name === "bitbucket-infra-live")!.repositories[0].uuid).toBe(infraLive.uuid);
  expect(server.requests.some((r) => r.url.startsWith("/2.0/workspaces/acme") && r.authorization?.startsWith("Basic "))).toBe(true);
});

test("THEN synth wrote the stack and a step to paste for each role (step 5), and no output holds the token", () => {
  const stack = join(dir, "cdktf.out", "stacks", "bitbucket-oidc");
  expect(existsSync(join(stack, "cdk.tf.json"))).toBe(true);
  for (const role of ["bitbucket-web-app", "bitbucket-infra-live"]) expect(readFileSync(join(stack, "pipelines", `${role}.yml`), "utf8")).toContain("oidc: true");
  const output = runs.map((r) => r.stdout + r.stderr).join("\n");
  expect(output).not.toContain(server.credentials.apiToken);
});
