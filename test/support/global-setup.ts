/**
 * Jest globalSetup: one private folder for the whole run, where slow fixtures (the packed package, the
 * consumer projects) are built once and shared by every test file that needs them
 * (test/support/shared-fixture.ts). Its path reaches the workers through the environment.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RUN_DIR_VARIABLE } from "./shared-fixture";

export default function globalSetup(): void {
  process.env[RUN_DIR_VARIABLE] = mkdtempSync(join(tmpdir(), "bbo-jest-run-"));
}
