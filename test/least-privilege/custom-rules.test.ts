/**
 * Custom guardrail rules (issue 16 item 5): docs/guardrails.md's own rule beside the built-in ones, tripping and
 * acknowledged like a built-in one; several guardrails instances side by side, each checking every
 * role; findings read back as structured records from the role, not from annotation text.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ts from "typescript";
import { App, Aspects, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import {
  BitbucketOidcGuardrails,
  BitbucketOidcProvider,
  BitbucketPipelinesRole,
  BitbucketPipelinesRoleProps,
  GUARDRAIL_RULES,
  GuardrailRule,
  ValidationError,
} from "../../lib";
import * as lib from "../../lib";
import { guardrailFindingsOf } from "../../lib/guardrails/report";
import { SynthError } from "../../cli/app/synthesize";
import { synthStack } from "../support/stack-synth";
import { UUIDS } from "../support/synth";

const page = readFileSync(join(__dirname, "..", "..", "docs", "guardrails.md"), "utf8");
const section = page.slice(page.indexOf("## Rules of your own"));
const block = (lang: string): string => new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(section)?.[1] ?? "";

/** The rule docs/guardrails.md adds (every role's name starts with a team prefix), compiled and run as a host project would. */
function readmeRule(): GuardrailRule {
  const js = ts.transpileModule(block("ts"), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  const exports: Record<string, unknown> = {};
  new Function("require", "exports", js)((name: string) => (name === "cdktf-bitbucket-oidc" ? lib : require(name)), exports);
  return exports.teamPrefix as GuardrailRule;
}

const teamPrefix = readmeRule();

type Extra = Partial<BitbucketPipelinesRoleProps>;

/** A host stack with one of our roles named `name`, guarded by one guardrails instance per entry of `instances`. */
function guarded(instances: readonly (readonly GuardrailRule[] | undefined)[], name = "deploy", extra: Extra = {}, after?: (role: BitbucketPipelinesRole, stack: TerraformStack) => void) {
  let role: BitbucketPipelinesRole | undefined;
  let error: unknown;
  let out: ReturnType<typeof synthStack> | undefined;
  try {
    out = synthStack((stack) => {
      const oidcProvider = new BitbucketOidcProvider(stack, "provider", { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace });
      role = new BitbucketPipelinesRole(stack, "role", { oidcProvider, roleName: name, repositories: [{ uuid: UUIDS.repoA }], ...extra });
      after?.(role, stack);
      for (const rules of instances) Aspects.of(stack).add(new BitbucketOidcGuardrails(rules === undefined ? {} : { rules }));
    });
  } catch (e) {
    if (!(e instanceof SynthError)) throw e;
    error = e;
  }
  return { out, error: error as SynthError | undefined, findings: () => guardrailFindingsOf(role!) };
}

describe("a custom rule", () => {
  test("GIVEN a custom rule beside the built-in ones THEN it trips like a built-in rule: synth stops naming its id, title, role and fix", () => {
    const { error, findings } = guarded([[...GUARDRAIL_RULES, teamPrefix]]);
    expect(error?.findings).toEqual([
      [
        "ACME-001 role name without a team prefix",
        "    role:    deploy (host/role)",
        '    problem: the role name "deploy" does not start with a team prefix',
        '    fix:     name it "<team>-<purpose>", e.g. "web-deploy"',
        '    or acknowledge it for this role: acknowledge: [{ rule: ACME-001, reason: "..." }]',
      ].join("\n"),
    ]);
    // Structured end to end: the record on the role is the data the message was rendered from.
    expect(findings()).toEqual([
      {
        rule: "ACME-001",
        title: "role name without a team prefix",
        roleName: "deploy",
        message: 'the role name "deploy" does not start with a team prefix',
        fix: 'name it "<team>-<purpose>", e.g. "web-deploy"',
        severity: "error",
        level: "error",
      },
    ]);
  });

  test("GIVEN a compliant role THEN the custom rule finds nothing and the built-in rules still run", () => {
    const { out, error } = guarded([[...GUARDRAIL_RULES, teamPrefix]], "web-deploy");
    expect(error).toBeUndefined();
    expect(out?.warnings).toEqual([]);
    const wide = guarded([[...GUARDRAIL_RULES, teamPrefix]], "web-deploy", { statements: [{ actions: ["*"], resources: ["*"] }] });
    expect(wide.findings().map((f) => f.rule)).toEqual(["BBO-P002"]);
  });

  test("GIVEN the custom rule's id acknowledged through the prop THEN synth succeeds and warns with the reason, like a built-in rule", () => {
    const { out, error, findings } = guarded([[...GUARDRAIL_RULES, teamPrefix]], "deploy", { acknowledge: [{ rule: "ACME-001", reason: "named before the team prefixes" }] });
    expect(error).toBeUndefined();
    expect(out?.warnings).toEqual(['host/role: ACME-001 acknowledged on role "deploy": the role name "deploy" does not start with a team prefix (reason: named before the team prefixes)']);
    expect(findings()).toMatchObject([{ rule: "ACME-001", level: "warning", acknowledged: "named before the team prefixes" }]);
  });

  test("GIVEN the custom rule's id acknowledged on a hand-built role THEN it is accepted like a built-in id", () => {
    const out = synthStack((stack) => {
      const provider = new BitbucketOidcProvider(stack, "provider", { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace });
      const role = new BitbucketPipelinesRole(stack, "role", { oidcProvider: provider, roleName: "deploy", repositories: [{ uuid: UUIDS.repoA }] });
      BitbucketOidcGuardrails.acknowledge(role, "ACME-001", "legacy name");
      Aspects.of(stack).add(new BitbucketOidcGuardrails({ rules: [teamPrefix] }));
    });
    expect(out.warnings).toEqual(['host/role: ACME-001 acknowledged on role "deploy": the role name "deploy" does not start with a team prefix (reason: legacy name)']);
  });

  test("GIVEN a custom id acknowledged that no registered rule has THEN synth stops naming the id, the rules that check the role, and how to register it", () => {
    const { error } = guarded([undefined], "deploy", { acknowledge: [{ rule: "ACME-001", reason: "legacy name" }] });
    expect(error?.findings).toHaveLength(1);
    expect(error?.findings[0]).toMatch(/^host\/role: acknowledge: rule "ACME-001" is acknowledged, but no guardrails rule with that id checks this role \(its rules: BBO-T001, .*BBO-Q002\); register the rule/);
  });

  test("GIVEN a custom id acknowledged on a role no guardrails check THEN synth stops too", () => {
    const { error } = guarded([], "deploy", { acknowledge: [{ rule: "ACME-001", reason: "legacy name" }] });
    expect(error?.findings).toEqual([expect.stringContaining('rule "ACME-001" is acknowledged, but no guardrails rule with that id checks this role (no BitbucketOidcGuardrails checks it)')]);
  });

  test("GIVEN a misspelt built-in id THEN acknowledge still throws at once, naming the built-in ids", () => {
    synthStack((stack) => {
      const role = new IamRole(stack, "r", { name: "r", assumeRolePolicy: "{}" });
      expect(() => BitbucketOidcGuardrails.acknowledge(role, "BBO-P02", "x")).toThrow(/expected a guardrail id, one of BBO-T001.*or a registered custom rule's id/);
      expect(() => BitbucketOidcGuardrails.acknowledge(role, "ACME-001", " ")).toThrow(/expected a written reason/);
    });
  });

  test.each<[string, GuardrailRule[], RegExp]>([
    ["an id in the built-in namespace", [{ ...teamPrefix, id: "BBO-X001" }], /rules\[0\]\.id: "BBO-X001": the BBO- namespace is the built-in rules'/],
    ["the same id twice", [teamPrefix, teamPrefix], /rules\[1\]\.id: "ACME-001": listed twice/],
    ["no check function", [{ id: "ACME-002", title: "t" } as unknown as GuardrailRule], /rules\[0\]\.check: "undefined": expected a function/],
  ])("GIVEN rules with %s THEN the guardrails constructor throws ValidationError", (_what, rules, message) => {
    expect(() => new BitbucketOidcGuardrails({ rules })).toThrow(ValidationError);
    expect(() => new BitbucketOidcGuardrails({ rules })).toThrow(message);
  });
});

describe("several guardrails instances side by side", () => {
  test("GIVEN the built-in instance and a custom-rule instance THEN each checks every role and both report", () => {
    const { error, findings } = guarded([undefined, [teamPrefix]], "deploy", { statements: [{ actions: ["*"], resources: ["*"] }] });
    expect(findings().map((f) => f.rule)).toEqual(["BBO-P002", "ACME-001"]);
    expect(error?.findings.map((f) => f.split("\n")[0])).toEqual(['BBO-P002 Action "*" or a service-wide wildcard on Resource "*"', "ACME-001 role name without a team prefix"]);
  });

  test("GIVEN two instances with the same rules THEN the second does not skip the roles the first checked", () => {
    const { findings } = guarded([[teamPrefix], [teamPrefix]]);
    expect(findings().map((f) => f.rule)).toEqual(["ACME-001", "ACME-001"]);
  });

  test("GIVEN a built-in acknowledgement and an instance without that rule THEN only the instance that has it judges it (no stale warning from the other)", () => {
    const { out, error } = guarded([undefined, [teamPrefix]], "web-deploy", {
      statements: [{ actions: ["*"], resources: ["*"] }],
      acknowledge: [{ rule: "BBO-P002", reason: "break-glass role" }],
    });
    expect(error).toBeUndefined();
    expect(out?.warnings).toEqual([expect.stringMatching(/^host\/role: BBO-P002 acknowledged on role "web-deploy": .*\(reason: break-glass role\)$/)]);
  });
});

describe("docs/guardrails.md's custom rule", () => {
  test("GIVEN the docs' rule added to the host example's guardrails THEN cdktf synth stops with exactly the line the docs show", () => {
    const outdir = mkdtempSync(join(tmpdir(), "bbo-custom-rule-"));
    delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    try {
      const app = new App({ outdir, context: { "@cdktf/disable_stack_trace_in_metadata": true } });
      const stack = new TerraformStack(app, "platform");
      new AwsProvider(stack, "aws", { region: "eu-west-1" });
      const oidcProvider = new BitbucketOidcProvider(stack, "bitbucket", { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace });
      new BitbucketPipelinesRole(stack, "deploy", { oidcProvider, roleName: "bitbucket-deploy", repositories: [{ uuid: UUIDS.repoA }] });
      Aspects.of(stack).add(new BitbucketOidcGuardrails({ rules: [...GUARDRAIL_RULES, teamPrefix] }));
      expect(() => app.synth()).toThrow(block("text").trim());
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
