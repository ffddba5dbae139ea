/**
 * Test support: tests that need a tool we ship or name in scripts/setup.sh (terraform, moto_server,
 * the AWS CLI). In CI (CI=true) they are mandatory and fail when the tool is missing; elsewhere they
 * are skipped with a warning that names them, says why, and says how to get the tool.
 */

/** Whether a tool can be used here, or why not. */
export type ToolStatus = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** `describe` for tests that need a tool: mandatory in CI, skipped loudly elsewhere. */
export function describeWithTool(name: string, need: string, status: ToolStatus, body: () => void): void {
  if (status.ok) {
    describe(name, body);
  } else if (process.env.CI === "true") {
    describe(name, () => {
      it(`needs ${need} (mandatory in CI)`, () => {
        throw new Error(`${name}: ${status.reason}`);
      });
    });
  } else {
    console.warn(`SKIPPED "${name}": ${status.reason}. These tests are mandatory in CI (CI=true).`);
    describe.skip(name, body);
  }
}
