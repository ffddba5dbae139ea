/**
 * The synthesized S3 backend, used as a pipeline uses it: two "pipelines" (clones) assume the plan and
 * deploy roles through the generated credential entry, against moto's S3 (conditional writes) and
 * DynamoDB. Each backend applies twice; an apply that overlaps a running one gets the lock error;
 * no state update is lost. The running apply holds the lock until the test opens a gate file: events,
 * not sleeps.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describeWithMoto } from "../support/moto";
import { awsAdmin, describeWithAwsCli, Clone, emulatorVariables, isCredentialEntry, makeClone, runStep, startStep, StepVariables } from "../support/rehearsal";
import { baseConfig, synthConfig, UUIDS } from "../support/synth";
import { describeWithTerraform } from "../support/terraform";
import { snippetSteps, stepVariables, rehearsalLab } from "./rehearsal-support";
import { StateConfig } from "../../lib/config/model";

jest.setTimeout(300_000);

const STACK_DIR = "cdktf.out/stacks/bitbucket-oidc";
const LOCK_TABLE = "terraform-locks";
const IN_PROVISIONER = "Provisioning with 'local-exec'";

/** A config whose deploy role gets the terraformState grant on the backend it synthesizes. */
function synthWithState(state: StateConfig): {
  credentialEntry: string;
  terraformBlock: Record<string, unknown>;
} {
  const out = synthConfig(
    baseConfig({
      state,
      roles: [
        {
          name: "bitbucket-deploy",
          repositories: [{ uuid: UUIDS.repoA, name: "web-app" }],
          grants: {
            terraformState: {
              level: "apply",
              bucket: state.bucket,
              key: state.key,
              useLockfile: !state.dynamodbTable,
              ...(state.dynamodbTable ? { lockTable: state.dynamodbTable } : {}),
            },
          },
        },
      ],
    })
  );
  try {
    const entry = snippetSteps(out)[0].commands.find(isCredentialEntry);
    if (!entry) throw new Error("the deploy role's snippet has no credential entry");
    const { backend, required_version } = out.json().terraform;
    return {
      credentialEntry: entry,
      terraformBlock: { backend, required_version },
    };
  } finally {
    out.dispose();
  }
}

/**
 * A provider-free module with the synthesized `terraform` block: one `terraform_data` replaced when
 * `var.run` changes, whose provisioner waits until the file `var.gate` exists (empty: no wait).
 */
function writeGatedModule(clone: Clone, terraformBlock: Record<string, unknown>): void {
  const dir = join(clone.dir, STACK_DIR);
  mkdirSync(dir, { recursive: true });
  const module = {
    terraform: terraformBlock,
    variable: {
      run: { type: "string" },
      gate: { type: "string", default: "" },
    },
    resource: {
      terraform_data: {
        state: {
          triggers_replace: "${var.run}",
          input: "${var.run}",
          provisioner: [
            {
              "local-exec": {
                command: 'if [ -n "${var.gate}" ]; then while [ ! -e "${var.gate}" ]; do sleep 0.1; done; fi',
              },
            },
          ],
          lifecycle: { create_before_destroy: true },
        },
      },
    },
    output: { run: { value: "${terraform_data.state.output}" } },
  };
  writeFileSync(join(dir, "main.tf.json"), `${JSON.stringify(module, null, 2)}\n`);
}

describeWithAwsCli("rehearsal: state locking through web identity", () => {
  describeWithMoto("rehearsal: state locking through web identity: moto_server", () => {
    describeWithTerraform("terraform", () => {
      const lab = rehearsalLab(async (m, home) => {
        await awsAdmin(
          m,
          [
            "dynamodb",
            "create-table",
            "--table-name",
            LOCK_TABLE,
            "--attribute-definitions",
            "AttributeName=LockID,AttributeType=S",
            "--key-schema",
            "AttributeName=LockID,KeyType=HASH",
            "--billing-mode",
            "PAY_PER_REQUEST",
            "--region",
            "us-east-1",
          ],
          home
        );
      });

      const kinds: { name: string; state: StateConfig }[] = [
        {
          name: "use_lockfile (S3 conditional writes)",
          state: {
            bucket: "acme-terraform-state",
            key: "lockfile/terraform.tfstate",
            region: "us-east-1",
          },
        },
        {
          name: "a DynamoDB lock table",
          state: {
            bucket: "acme-terraform-state",
            key: "dynamodb/terraform.tfstate",
            region: "us-east-1",
            useLockfile: false,
            dynamodbTable: LOCK_TABLE,
          },
        },
      ];

      test.each(kinds)(
        "GIVEN the backend with $name WHEN two pipelines apply, one while the other holds the lock THEN the second gets the lock error and no update is lost",
        async ({ state }) => {
          const { credentialEntry, terraformBlock } = synthWithState(state);
          const backend = (terraformBlock.backend as { s3: Record<string, unknown> }).s3;
          expect(backend.use_lockfile).toBe(state.dynamodbTable ? undefined : true);
          expect(backend.dynamodb_table).toBe(state.dynamodbTable);
          const [a, b] = [makeClone(), makeClone()];
          try {
            for (const clone of [a, b]) writeGatedModule(clone, terraformBlock);
            const tf = (args: string): string => `terraform -chdir=${STACK_DIR} ${args}${args.startsWith("state") ? "" : " -no-color"}`;
            const step = async (clone: Clone, commands: string[], variables?: StepVariables) => {
              const run = await runStep({
                shell: "sh",
                commands: [credentialEntry, ...commands],
                clone,
                variables: variables ?? (await stepVariables(lab.issuer)),
                emulator: emulatorVariables(lab.moto),
                probe: false,
              });
              if (run.code !== 0) throw new Error(`step failed (${run.code}):\n${run.stdout}${run.stderr}`);
              return run;
            };
            const pull = async (clone: Clone) =>
              JSON.parse((await step(clone, [tf("state pull")])).stdout) as {
                serial: number;
                lineage: string;
                outputs: { run: { value: string } };
              };

            await step(a, [tf("init -input=false"), tf("apply -auto-approve -input=false -var=run=1")]);
            await step(b, [tf("init -input=false")]);
            const before = await pull(b);
            expect(before.outputs.run.value).toBe("1");

            // Pipeline A applies and holds the lock inside its provisioner until the gate opens.
            const gate = join(a.dir, "gate");
            const slow = startStep({
              shell: "sh",
              commands: [credentialEntry, tf(`apply -auto-approve -input=false -var=run=2 -var=gate=${gate}`)],
              clone: a,
              variables: await stepVariables(lab.issuer),
              emulator: emulatorVariables(lab.moto),
              probe: false,
            });
            await slow.waitFor(IN_PROVISIONER);
            const refused = await runStep({
              shell: "sh",
              commands: [credentialEntry, tf("apply -auto-approve -input=false -lock-timeout=0s -var=run=3")],
              clone: b,
              variables: await stepVariables(lab.issuer),
              emulator: emulatorVariables(lab.moto),
              probe: false,
            });
            expect(existsSync(gate)).toBe(false); // A was still holding the lock
            writeFileSync(gate, "");
            const slowRun = await slow.done;
            expect(slowRun.code).toBe(0);
            expect(refused.code).not.toBe(0);
            expect(refused.stdout + refused.stderr).toContain("Error acquiring the state lock");

            const afterA = await pull(b);
            expect(afterA).toMatchObject({
              lineage: before.lineage,
              serial: before.serial + 1,
              outputs: { run: { value: "2" } },
            });

            // B applies now, on top of A's result: nothing lost, one write per successful apply.
            const bApply = await step(b, [tf("apply -auto-approve -input=false -var=run=3")]);
            expect(bApply.stdout).toMatch(/triggers_replace = "2" -> "3"/);
            const after = await pull(a);
            expect(after).toMatchObject({
              lineage: before.lineage,
              serial: before.serial + 2,
              outputs: { run: { value: "3" } },
            });
          } finally {
            a.remove();
            b.remove();
          }
        }
      );
    });
  });
});
