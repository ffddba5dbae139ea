/**
 * A re-synth reuses the previous output's unchanged files by hard link instead of writing them anew
 * (cli/app/staged-files.ts), and never shares a file that is not plainly synth's own: the output reads
 * exactly as a fresh synth's, file by file, and each file has one name once synth is done.
 */
import { linkSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { BitbucketOidcConfigInput } from "../../lib/config/model";
import { runCliIn } from "../support/run-cli";
import { baseConfig } from "../support/synth";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "bbo-reuse-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function synth(config: BitbucketOidcConfigInput, output = "cdktf.out"): Promise<void> {
  writeFileSync(join(dir, "config.yaml"), stringify(config));
  const { code, stderr } = await runCliIn(["synth", "-q", "--config", "config.yaml", "--output", output], { cwd: dir });
  expect({ code, stderr: stderr.replace(/^WARNING .*\n/gm, "") }).toEqual({ code: 0, stderr: "" });
}

const pipelines = (output = "cdktf.out"): string => join(dir, output, "stacks", "bitbucket-oidc", "pipelines");
const snippets = (output = "cdktf.out"): string[] => readdirSync(pipelines(output)).sort();
const inode = (file: string): number => statSync(file).ino;
const texts = (output: string): Record<string, string> => Object.fromEntries(snippets(output).map((f) => [f, readFileSync(join(pipelines(output), f), "utf8")]));

const TWO_ROLES: BitbucketOidcConfigInput = {
  ...baseConfig(),
  roles: [...(baseConfig().roles ?? []), { ...(baseConfig().roles ?? [])[0], name: "second-role" }],
};

test("GIVEN an unchanged role WHEN synth runs again THEN its snippet is the same file (one name), a changed config's snippets are new, and every text equals a fresh synth's", async () => {
  await synth(TWO_ROLES);
  const files = snippets();
  expect(files.length).toBe(2);
  const before = Object.fromEntries(files.map((f) => [f, inode(join(pipelines(), f))]));

  await synth(TWO_ROLES);
  for (const f of files) {
    expect(inode(join(pipelines(), f))).toBe(before[f]);
    expect(statSync(join(pipelines(), f)).nlink).toBe(1);
  }
  expect(readdirSync(dir).filter((e) => e.startsWith(".cdktf.out."))).toEqual([]);

  // Another region changes every snippet: each is written anew, with the new text.
  const moved = { ...TWO_ROLES, aws: { ...TWO_ROLES.aws, region: "eu-west-1" } } as BitbucketOidcConfigInput;
  await synth(moved);
  await synth(moved, "fresh.out");
  expect(texts("cdktf.out")).toEqual(texts("fresh.out"));
  expect(texts("cdktf.out")[files[0]]).toMatch(/eu-west-1/);
  for (const f of files) expect(inode(join(pipelines(), f))).not.toBe(before[f]);
});

test("GIVEN a snippet with a second name elsewhere, or replaced by a symbolic link, WHEN synth runs again THEN the new output has a plain file of its own", async () => {
  await synth(TWO_ROLES);
  const [first, second] = snippets();
  // Someone links the first snippet into their own folder: that file must never become synth's output again.
  const theirs = join(dir, "their-copy.yml");
  linkSync(join(pipelines(), first), theirs);
  // And replaces the second with a symbolic link to a file of the same text.
  const target = join(dir, "same-text.yml");
  writeFileSync(target, readFileSync(join(pipelines(), second), "utf8"));
  unlinkSync(join(pipelines(), second));
  symlinkSync(target, join(pipelines(), second));

  await synth(TWO_ROLES);
  expect(inode(join(pipelines(), first))).not.toBe(inode(theirs));
  expect(statSync(theirs).nlink).toBe(1);
  expect(lstatSync(join(pipelines(), second)).isFile()).toBe(true);
  expect(inode(join(pipelines(), second))).not.toBe(inode(target));
  expect(readFileSync(join(pipelines(), second), "utf8")).toBe(readFileSync(target, "utf8"));
});

test("GIVEN a snippet the marker does not list as synth's WHEN synth runs again THEN it is not reused", async () => {
  await synth(TWO_ROLES);
  const [first] = snippets();
  // Rewrite the marker so that it no longer lists the first snippet as synth's.
  const markerFile = join(dir, "cdktf.out", ".bitbucket-oidc-output");
  const marker = JSON.parse(readFileSync(markerFile, "utf8")) as { files: string[] };
  writeFileSync(markerFile, JSON.stringify({ ...marker, files: marker.files.filter((f) => !f.endsWith(`/${first}`)) }));
  const old = inode(join(pipelines(), first));

  await synth(TWO_ROLES);
  expect(inode(join(pipelines(), first))).not.toBe(old);
});
