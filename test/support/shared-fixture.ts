/**
 * Slow fixtures built once per jest run and shared across test files (and workers): the first caller
 * of a name builds it in the run's folder (globalSetup makes it), every other caller waits until the
 * builder has written its result, or its error, and reads that.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The environment variable that carries the run's fixture folder from globalSetup to the workers. */
export const RUN_DIR_VARIABLE = "BBO_TEST_RUN_DIR";

let ownRunDir: string | undefined;

/** The run's folder; outside a configured jest run (no globalSetup), one for this process. */
function runDir(): string {
  const dir = process.env[RUN_DIR_VARIABLE];
  if (dir) return dir;
  ownRunDir ??= mkdtempSync(join(tmpdir(), "bbo-jest-run-"));
  console.warn(`shared fixtures in ${ownRunDir}: no ${RUN_DIR_VARIABLE} (jest ran without test/support/global-setup.ts); nothing removes it`);
  return ownRunDir;
}

/** How long a caller waits for another worker's build before it gives up. */
const WAIT_MS = 15 * 60_000;

/**
 * The fixture `name`: `build(dir)` runs once per jest run, in a fresh folder `dir`, and returns
 * JSON-serialisable data that every caller gets. A failed build fails every caller with its message.
 */
export async function sharedFixture<T>(name: string, build: (dir: string) => T | Promise<T>): Promise<T> {
  const root = runDir();
  const dir = join(root, name);
  const result = join(root, `${name}.result.json`);
  let builder = true;
  try {
    mkdirSync(dir); // atomic: exactly one caller creates it, and builds
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    builder = false;
  }
  if (builder) {
    let outcome: { value?: T; error?: string };
    try {
      outcome = { value: await build(dir) };
    } catch (e) {
      outcome = { error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
    writeFileSync(`${result}.tmp`, JSON.stringify(outcome));
    renameSync(`${result}.tmp`, result); // readers see the whole result or none
  } else {
    const start = Date.now();
    while (!existsSync(result)) {
      if (Date.now() - start > WAIT_MS) throw new Error(`shared fixture "${name}": another worker has been building it for ${WAIT_MS / 60_000} minutes`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const outcome = JSON.parse(readFileSync(result, "utf8")) as { value?: T; error?: string };
  if (outcome.error !== undefined) throw new Error(`shared fixture "${name}" failed to build:\n${outcome.error}`);
  return outcome.value as T;
}
