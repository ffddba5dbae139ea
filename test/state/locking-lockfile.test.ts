/**
 * S3-native locking (`use_lockfile`, our default) with the real terraform against s3rver on 127.0.0.1
 * that answers conditional writes as S3 does.
 */
import { describeWithTerraform, runTerraform, startTerraform } from "../support/terraform";
import { applyArgs, closedGate, IN_PROVISIONER, lockingTests, startStateLab } from "./lock-scenario";

jest.setTimeout(240_000);

describeWithTerraform("remote state with use_lockfile (S3 conditional writes)", () => lockingTests("lockfile"));

describeWithTerraform("use_lockfile against a store without conditional writes (why the test server needs them)", () => {
  it("lets a second apply take a lock the first one holds", async () => {
    const lab = await startStateLab("lockfile", { conditionalWrites: false });
    try {
      const [a, b] = [await lab.pipeline(), await lab.pipeline()];
      const gate = closedGate(b, "slow");
      const slow = startTerraform(a, applyArgs("1", [], gate));
      try {
        await slow.waitFor(IN_PROVISIONER);
        const second = await runTerraform(b, applyArgs("2", ["-lock-timeout=0s"]));
        expect(slow.child.exitCode).toBeNull(); // the first is still inside its apply, holding its lock
        expect(second.output).not.toContain("Error acquiring the state lock");
        expect(second.code).toBe(0);
      } finally {
        gate.open();
        await slow.done;
      }
    } finally {
      await lab.dispose();
    }
  });
});
