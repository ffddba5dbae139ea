/**
 * Wild input, property: over generated configs across the whole schema, `validate` and `synth` agree
 * (exit code and findings), and every invalid mutation of a legal config (a typo'd key at any depth, a
 * wrong type, a wildcard in a UUID) is refused by both with exit 2, leaving the output folder as it was.
 * `WILD_RUNS` raises the run count (`npm run test:wild`); `WILD_SEED` replays another seed.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { invalidMutation, wildConfig, wildRuns, wildSeed, wildTimeout } from "../support/config-arbitrary";
import { findings, snapshotTree, workspace } from "./cli-run";

const RUNS = wildRuns(80);
const params: fc.Parameters<unknown> = { numRuns: RUNS, seed: wildSeed(), endOnFailure: true };

describe("wild input: validate and synth agree", () => {
  test("GIVEN generated configs THEN validate and synth exit with the same code and report the same findings", async () => {
    let written = 0;
    await fc.assert(
      fc.asyncProperty(wildConfig(), async (config) => {
        const ws = workspace(config);
        try {
          const validate = await ws.run("validate");
          const synth = await ws.run("synth");
          expect([0, 2]).toContain(synth.code);
          expect({ code: validate.code, findings: findings(validate) }).toEqual({ code: synth.code, findings: findings(synth) });
          if (synth.code === 0) written++;
        } finally {
          ws.dispose();
        }
      }),
      params,
    );
    // The generator is meant to make legal configs: most of them must get through.
    expect(written).toBeGreaterThan(0);
  }, wildTimeout(RUNS, 800));

  test("GIVEN a legal config broken in one place THEN validate and synth exit 2 and the previous output is untouched", async () => {
    const broken = wildConfig().chain((config) => invalidMutation(config));
    await fc.assert(
      fc.asyncProperty(broken, async (mutation) => {
        const ws = workspace(mutation.config);
        try {
          // A previous synth's output (cdktf's manifest beside stacks/, so synth would replace it), which
          // a refused synth must leave exactly as it was.
          mkdirSync(join(ws.outdir, "stacks", "previous"), { recursive: true });
          writeFileSync(join(ws.outdir, "manifest.json"), '{"version":"0.21.0","stacks":{}}\n');
          writeFileSync(join(ws.outdir, "stacks", "previous", "cdk.tf.json"), '{"previous":true}\n');
          const before = snapshotTree(ws.outdir);
          const validate = await ws.run("validate");
          const synth = await ws.run("synth");
          expect({ what: mutation.what, validate: validate.code, synth: synth.code }).toEqual({ what: mutation.what, validate: 2, synth: 2 });
          expect(synth.stderr).not.toMatch(/internal error/);
          // Refused for the mutation, not because the output folder looked foreign.
          expect(synth.stderr).not.toMatch(/synth replaces only/);
          expect(snapshotTree(ws.outdir)).toEqual(before);
        } finally {
          ws.dispose();
        }
      }),
      params,
    );
  }, wildTimeout(RUNS, 800));
});
