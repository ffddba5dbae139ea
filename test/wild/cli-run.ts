/**
 * Test support for the wild-input properties: runs `bitbucket-oidc validate` and `synth` in-process
 * (the same `runCli` the binary runs) on a config written to a fresh temporary folder, and captures
 * what they print and whether the output folder changed.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CliRun, runCliIn } from "../support/run-cli";

export type { CliRun };


/** A temporary project folder holding one config file and the output folder. */
export interface Workspace {
  readonly dir: string;
  readonly configFile: string;
  readonly outdir: string;
  run(command: "validate" | "synth"): Promise<CliRun>;
  dispose(): void;
}

/** Writes `config` (an object, written as JSON, which YAML reads; or YAML text) into a fresh folder. */
export function workspace(config: unknown): Workspace {
  const dir = mkdtempSync(join(tmpdir(), "bbo-wild-"));
  const configFile = join(dir, "bitbucket-oidc.yaml");
  writeFileSync(configFile, typeof config === "string" ? config : JSON.stringify(config, null, 2));
  const outdir = join(dir, "cdktf.out");
  return {
    dir,
    configFile,
    outdir,
    run: (command) => runCliIn(command === "synth" ? ["synth", "--config", configFile, "--output", outdir] : ["validate", "--config", configFile], { cwd: dir }),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Every file under a folder with its content, for "left untouched" checks. */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const name of entries.sort()) {
      const full = join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(full).isDirectory()) walk(full, r);
      else out[r] = readFileSync(full, "utf8");
    }
  };
  walk(dir, "");
  return out;
}

/**
 * The findings of a run, as both commands should report them: problem and warning lines, without the
 * command's own name and without what only one of them says (valid, wrote, next steps, nothing written).
 */
export function findings(run: CliRun): string[] {
  return `${run.stdout}\n${run.stderr}`
    .split("\n")
    .map((l) => l.replace(/^bitbucket-oidc (?:validate|synth): /, "").trim())
    .filter((l) => l !== "")
    .filter((l) => !/^(?:bitbucket-oidc: |Nothing was written|Next: |First time only: )/.test(l))
    .filter((l) => !/: valid[: (]/.test(l))
    .sort();
}
