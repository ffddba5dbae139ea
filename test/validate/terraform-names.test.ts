/**
 * Every role name IAM accepts ([\w+=,.@-]{1,64}, digit or `-` first included) becomes a legal, stable
 * Terraform identifier; names that were legal identifiers keep their address; names that would meet
 * are refused naming both. Proven on the output by the real terraform binary, offline: `terraform init
 * -backend=false` parses the whole configuration before it installs providers, so a legal output gets
 * exactly as far as the provider download, and an illegal name stops it earlier.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { synthesize } from "../../cli/app/synthesize";
import { BitbucketOidcConfigInput } from "../../lib/config/model";
import { validateConfig } from "../../lib/config/validate";
import { TERRAFORM_IDENTIFIER, terraformId } from "../../lib/core/terraform-id";
import { describeWithTerraform, initWith } from "../adoption/terraform-cli";
import { baseConfig, synthConfig, UUIDS } from "../support/synth";

const PROVIDER_DOWNLOAD_FAILED = /Failed to query available provider packages .*provider registry\.terraform\.io\/hashicorp\/aws was not found in any of the search locations/;
const CONFIGURATION_ERROR = /problems with the configuration|A name must start with a letter|Invalid|Duplicate/;

/** IAM's role name rule. */
const IAM_ROLE_NAME = fc.stringMatching(/^[\w+=,.@-]{1,64}$/);

/** What terraformId was before names were made legal: only the character replacement. */
const previousId = (name: string): string => name.replace(/[^A-Za-z0-9_-]/g, "_");

/** Awkward but legal IAM role names: digit or `-` first, words every JavaScript object has, the stack's own ids, outputs' names. */
const AWKWARD = ["2024-deploy", "-x", "+x", "a.b@c", "aws", "backend", "oidc-provider", "oidc_provider_arn", "account_id", "tls", "caller", "a", "role_arn_a", "constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];

const awkwardConfig = (extra: Partial<BitbucketOidcConfigInput> = {}): BitbucketOidcConfigInput =>
  baseConfig({ roles: AWKWARD.map((name, i) => ({ name, repositories: [{ uuid: i % 2 ? UUIDS.repoA : UUIDS.repoB }] })), ...extra });

describe("Terraform names of roles", () => {
  test("GIVEN any IAM role name THEN its id is a legal Terraform identifier, the same on every call, and unchanged where the old id was legal", () => {
    fc.assert(
      fc.property(IAM_ROLE_NAME, (name) => {
        const id = terraformId(name);
        expect(id).toMatch(TERRAFORM_IDENTIFIER);
        expect(terraformId(name)).toBe(id);
        const before = previousId(name);
        if (/^[A-Za-z_]/.test(before) && !["aws", "backend", "oidc-provider", "oidc_provider_arn", "account_id"].includes(before) && !(before in Object.prototype)) {
          expect(id).toBe(before);
        }
      }),
      { seed: 1515, numRuns: 2000 },
    );
  });

  test.each([
    ["2024-deploy", "_2024-deploy"],
    ["-x", "_-x"],
    ["+x", "_x"],
    ["bitbucket-deploy", "bitbucket-deploy"],
    ["a.b@c", "a_b_c"],
    ["constructor", "_constructor"],
    ["__proto__", "___proto__"],
    ["aws", "_aws"],
    ["tls", "tls"],
  ])("GIVEN role %s THEN its Terraform name is %s", (name, id) => {
    expect(terraformId(name)).toBe(id);
  });

  test.each([
    ["2024-deploy", "_2024-deploy"],
    ["aws", "_aws"],
    ["a.b", "a+b"],
  ])("GIVEN roles %s and %s THEN validation refuses the clash, naming both", (a, b) => {
    const config = baseConfig({ roles: [a, b].map((name) => ({ name, repositories: [{ uuid: UUIDS.repoA }] })) });
    expect(() => validateConfig(config, "c.yaml")).toThrow(new RegExp(`roles\\[1\\]\\.name: ${JSON.stringify(b).replace(/[+.]/g, "\\$&")}: roles\\[0\\] \\(${JSON.stringify(a).replace(/[+.]/g, "\\$&")}\\) maps to the same Terraform address`));
  });

  test("GIVEN awkward role names (and no account id, so the stack reads the caller) THEN synth names each role and output legally, without crashing", () => {
    const { aws: _aws, ...rest } = awkwardConfig();
    const out = synthConfig({ ...rest, aws: { region: "us-east-1" } });
    try {
      const json = out.json();
      const roles = json.resource!.aws_iam_role;
      expect(Object.keys(roles).sort()).toEqual(AWKWARD.map(terraformId).sort());
      for (const name of AWKWARD) expect(roles[terraformId(name)].name).toBe(name);
      expect(Object.keys(json.output!).sort()).toEqual(["account_id", "oidc_provider_arn", ...AWKWARD.map((n) => `role_arn_${terraformId(n)}`)].sort());
      expect(Object.keys(json.data!.aws_caller_identity)).toContain("caller");
      for (const type of [json.resource!, json.data!]) {
        for (const byName of Object.values(type)) for (const id of Object.keys(byName)) expect(id).toMatch(TERRAFORM_IDENTIFIER);
      }
      for (const id of Object.keys(json.output!)) expect(id).toMatch(TERRAFORM_IDENTIFIER);
      const model = out.accessModel();
      for (const role of model.roles) expect(json.output![(role as { arnOutput: string }).arnOutput]).toBeDefined();
    } finally {
      out.dispose();
    }
  });

  test("GIVEN a role named tls and thumbprints: tls THEN the TLS provider steps aside and the role keeps aws_iam_role.tls", () => {
    const out = synthConfig(baseConfig({ provider: { thumbprints: "tls" }, roles: [{ name: "tls", repositories: [{ uuid: UUIDS.repoA }] }] }));
    try {
      const json = out.json();
      expect(Object.keys(json.resource!.aws_iam_role)).toEqual(["tls"]);
      expect(Object.keys(json.provider!).sort()).toEqual(["aws", "tls"]);
      expect(Object.keys(json.output!)).toContain("role_arn_tls");
    } finally {
      out.dispose();
    }
  });

  test("GIVEN a stack named like a JavaScript object's own key, or an account named state beside state.bootstrap THEN exit-2 errors, not crashes", () => {
    expect(() => validateConfig(baseConfig({ stack: "constructor" }), "c.yaml")).toThrow(/c\.yaml stack: "constructor": .*choose another/);
    const { aws: _aws, ...rest } = baseConfig({ state: { bucket: "acme-terraform-state", key: "org/terraform.tfstate", region: "us-east-1", bootstrap: true } });
    const config: BitbucketOidcConfigInput = { ...rest, accounts: [{ id: "111111111111", name: "state", region: "us-east-1" }] };
    expect(() => validateConfig(config, "c.yaml")).toThrow(/accounts\[0\]\.name: "state": makes the stack "bitbucket-oidc-state", which state\.bootstrap: true also makes/);
  });
});


describeWithTerraform("terraform parses the output of awkward role names (offline)", () => {
  test("GIVEN awkward role names WHEN terraform init parses the output THEN it gets as far as the provider download, with no configuration error", () => {
    const out = synthConfig(awkwardConfig({ roles: [...awkwardConfig().roles!, { name: "bitbucket-granted", repositories: [{ uuid: UUIDS.repoA }], statements: [{ actions: ["s3:GetObject"], resources: ["*"] }] }] }));
    try {
      const output = initWith(out.json());
      expect(output).toMatch(PROVIDER_DOWNLOAD_FAILED);
      expect(output).not.toMatch(CONFIGURATION_ERROR);
    } finally {
      out.dispose();
    }
  });

  test("GIVEN the old name of a role starting with a digit THEN terraform refuses it (the check can fail)", () => {
    const out = synthConfig(baseConfig({ roles: [{ name: "2024-deploy", repositories: [{ uuid: UUIDS.repoA }] }] }));
    try {
      const output = initWith(out.json(), (j) => {
        const roles = j.resource!.aws_iam_role;
        roles["2024-deploy"] = roles["_2024-deploy"];
        delete roles["_2024-deploy"];
      });
      expect(output).toMatch(/A name must start with a letter or underscore/);
    } finally {
      out.dispose();
    }
  });
});

test("GIVEN a synth of awkward names twice THEN the output is byte-identical (stable addresses)", () => {
  const dir = mkdtempSync(join(tmpdir(), "bbo-names-stable-"));
  try {
    const config = validateConfig(awkwardConfig(), "c.yaml");
    const first = synthesize(config, join(dir, "one"));
    const second = synthesize(config, join(dir, "two"));
    const read = (d: string): string => readFileSync(join(d, "cdk.tf.json"), "utf8");
    expect(read(second.stacks[0].dir)).toBe(read(first.stacks[0].dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
