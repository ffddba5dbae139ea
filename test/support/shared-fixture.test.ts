/**
 * The once-per-run fixtures: globalSetup's folder reaches this worker, a fixture asked for twice at
 * once is built once, and a failed build fails every caller with its message.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { RUN_DIR_VARIABLE, sharedFixture } from "./shared-fixture";

const unique = (label: string): string => `test-${label}-${process.pid}-${Date.now()}`;

test("GIVEN jest's globalSetup THEN the worker knows the run's fixture folder, and it exists", () => {
  const dir = process.env[RUN_DIR_VARIABLE];
  expect(dir).toBeDefined();
  expect(existsSync(dir!)).toBe(true);
});

test("GIVEN two callers at once WHEN the first is still building THEN the build runs once and both get its result", async () => {
  let builds = 0;
  let finish!: () => void;
  const building = new Promise<void>((resolve) => (finish = resolve));
  const name = unique("once");
  const first = sharedFixture(name, async (dir) => {
    builds++;
    await building;
    return { dir };
  });
  const second = sharedFixture(name, () => {
    builds++;
    return { dir: "second" };
  });
  finish();
  const [a, b] = await Promise.all([first, second]);
  expect(builds).toBe(1);
  expect(a).toEqual(b);
  expect(a.dir).toBe(join(process.env[RUN_DIR_VARIABLE]!, name));
});

test("GIVEN a build that throws THEN every caller fails with its message", async () => {
  const name = unique("fails");
  const build = (): never => {
    throw new Error("npm install failed: ENOTCACHED");
  };
  await expect(sharedFixture(name, build)).rejects.toThrow(/shared fixture "test-fails-.*" failed to build:[\s\S]*ENOTCACHED/);
  await expect(sharedFixture(name, () => "built again")).rejects.toThrow(/ENOTCACHED/);
});
