/**
 * Jest globalSetup:
 * - one private folder for the whole run, where slow fixtures (the packed package, the consumer
 *   projects) are built once and shared by every test file that needs them
 *   (test/support/shared-fixture.ts). Its path reaches the workers through the environment.
 * - dist/ brought up to date once (scripts/build.js, as the bin does at each start): the tests that run
 *   the real bin then never compile side by side, and every test file loads the config schema's
 *   precompiled validator (dist/lib/config/schema-validator.js, mapped in jest.config.js) as the bin
 *   does, instead of compiling the schema with ajv anew in each file.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RUN_DIR_VARIABLE } from "./shared-fixture";

export default function globalSetup(): void {
  process.env[RUN_DIR_VARIABLE] = mkdtempSync(join(tmpdir(), "bbo-jest-run-"));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require("../../scripts/build.js") as { ensureFresh(): number }).ensureFresh();
}
