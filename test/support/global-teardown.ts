/** Jest globalTeardown: removes the run's fixture folder that globalSetup made. */
import { rmSync } from "node:fs";
import { RUN_DIR_VARIABLE } from "./shared-fixture";

export default function globalTeardown(): void {
  const dir = process.env[RUN_DIR_VARIABLE];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
