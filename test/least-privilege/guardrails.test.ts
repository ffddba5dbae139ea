/**
 * Each guardrail, tripped and acknowledged, on synthesized output: config files through the app's own
 * synth, and roles built by hand with the plain AWS provider classes (as a host project would).
 */
import { Aspects, TerraformStack } from "cdktf";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BitbucketOidcGuardrails, BitbucketOidcProvider, BitbucketPipelinesRole, ConfigError, GUARDRAIL_RULES } from "../../lib";
import { SynthError } from "../../cli/app/synthesize";
import { RoleConfig } from "../../lib/config/model";
import { synthStack } from "../support/stack-synth";
import { baseConfig, UUIDS, withSynth } from "../support/synth";

const PREFIX = "api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc";
const AUD = "ari:cloud:bitbucket::workspace/8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60";
const GOOD_CONDITION = { StringEquals: { [`${PREFIX}:aud`]: AUD }, StringLike: { [`${PREFIX}:sub`]: `${UUIDS.repoA}:*` } };

interface HandRole {
  /** The trust statement's Condition. @default a compliant one */
  condition?: Record<string, Record<string, unknown>>;
  /** The trust statement's Principal. @default the provider, by reference */
  principal?: (providerArn: string) => unknown;
  /** Called with the role, to attach policies or acknowledge. */
  extra?: (role: IamRole, stack: TerraformStack) => void;
  /** Guardrail props. */
  quotas?: { managedPoliciesPerRole?: number };
}

/** A host stack: a plain provider and a plain IamRole with a literal JSON trust policy, guarded. */
function handBuilt(spec: HandRole = {}): ReturnType<typeof synthStack> {
  return synthStack((stack) => {
    const provider = new IamOpenidConnectProvider(stack, "bitbucket", { url: `https://${PREFIX}`, clientIdList: [AUD] });
    const role = new IamRole(stack, "deploy", {
      name: "hand-deploy",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: spec.principal ? spec.principal(provider.arn) : { Federated: provider.arn },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: spec.condition ?? GOOD_CONDITION,
          },
        ],
      }),
    });
    spec.extra?.(role, stack);
    Aspects.of(stack).add(new BitbucketOidcGuardrails({ quotas: spec.quotas }));
  });
}

/** The SynthError a synth throws (fails the test when it does not throw one). */
function synthErrorOf(fn: () => unknown): SynthError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SynthError) return e;
    throw e;
  }
  throw new Error("expected synth to stop with findings, but it succeeded");
}

const roleWith = (role: Partial<RoleConfig>): RoleConfig => ({ name: "bitbucket-deploy", repositories: [{ uuid: UUIDS.repoA }], ...role });

describe("a compliant role", () => {
  test("GIVEN a hand-built role with a pinned aud and an anchored sub THEN synth succeeds without findings", () => {
    const out = handBuilt();
    expect(out.warnings).toEqual([]);
    expect(Object.keys(out.json.resource?.aws_iam_role ?? {})).toEqual(["deploy"]);
  });

  test("GIVEN the example config's kinds of roles THEN synth succeeds and records no acknowledgement", () => {
    withSynth(baseConfig(), (out) => expect(out.accessModel().roles[0].acknowledgements).toEqual([]));
  });
});

describe("BBO-T001 trust statement without an aud check, or ForAllValues on aud/sub", () => {
  test("GIVEN no aud condition THEN synth stops with BBO-T001, the role and the fix", () => {
    const error = synthErrorOf(() => handBuilt({ condition: { StringLike: GOOD_CONDITION.StringLike } }));
    expect(error.message).toContain("BBO-T001");
    expect(error.message).toContain("role:    hand-deploy (host/deploy)");
    expect(error.message).toContain(`fix:     add "Condition": { "StringEquals": { "${PREFIX}:aud"`);
    expect(error.message).not.toMatch(/\n\s+at /); // no stack trace
  });

  test("GIVEN an aud matched with a wildcard THEN synth stops with BBO-T001", () => {
    expect(synthErrorOf(() => handBuilt({ condition: { StringLike: { [`${PREFIX}:aud`]: "*", [`${PREFIX}:sub`]: `${UUIDS.repoA}:*` } } })).message).toContain("BBO-T001");
  });

  test.each(["aud", "sub"])("GIVEN ForAllValues on %s THEN synth stops with BBO-T001", (claim) => {
    const condition = { ...GOOD_CONDITION, "ForAllValues:StringLike": { [`${PREFIX}:${claim}`]: claim === "aud" ? AUD : `${UUIDS.repoA}:*` } };
    const error = synthErrorOf(() => handBuilt({ condition }));
    expect(error.message).toMatch(new RegExp(`BBO-T001[\\s\\S]*tests ${claim} with "ForAllValues:StringLike"`));
  });

  test("GIVEN no aud condition acknowledged with a reason THEN synth succeeds and warns with the reason", () => {
    const out = handBuilt({
      condition: { StringLike: GOOD_CONDITION.StringLike },
      extra: (role) => BitbucketOidcGuardrails.acknowledge(role, "BBO-T001", "the provider registers only our audience"),
    });
    expect(out.warnings.join("\n")).toMatch(/BBO-T001 acknowledged on role "hand-deploy".*reason: the provider registers only our audience/);
  });

  test("GIVEN a trust policy that names the Bitbucket provider but is not JSON at synth THEN it is a finding, not ok", () => {
    const error = synthErrorOf(() =>
      synthStack((stack) => {
        new IamRole(stack, "deploy", { name: "opaque", assumeRolePolicy: `\${file("trust-${PREFIX}.json")}` });
        Aspects.of(stack).add(new BitbucketOidcGuardrails());
      }),
    );
    expect(error.message).toContain("not JSON at synth");
  });

  test("GIVEN a trust policy from an aws_iam_policy_document naming the provider THEN it is a finding; GIVEN one for EC2 THEN it is left alone", () => {
    const trustFrom = (stack: TerraformStack, principal: { type: string; identifiers: string[] }) =>
      new DataAwsIamPolicyDocument(stack, "trust", { statement: [{ effect: "Allow", actions: ["sts:AssumeRoleWithWebIdentity"], principals: [principal] }] });
    const error = synthErrorOf(() =>
      synthStack((stack) => {
        const provider = new IamOpenidConnectProvider(stack, "bitbucket", { url: `https://${PREFIX}`, clientIdList: [AUD] });
        new IamRole(stack, "deploy", { name: "from-data", assumeRolePolicy: trustFrom(stack, { type: "Federated", identifiers: [provider.arn] }).json });
        Aspects.of(stack).add(new BitbucketOidcGuardrails());
      }),
    );
    expect(error.message).toMatch(/BBO-T001[\s\S]*role:    from-data[\s\S]*not JSON at synth/);
    expect(() =>
      synthStack((stack) => {
        new IamRole(stack, "ec2", { name: "ec2", assumeRolePolicy: trustFrom(stack, { type: "Service", identifiers: ["ec2.amazonaws.com"] }).json });
        Aspects.of(stack).add(new BitbucketOidcGuardrails());
      }),
    ).not.toThrow();
  });
});

describe("BBO-T002 sub pattern not anchored to a repository UUID", () => {
  test.each([
    ["{*}:*", "{*}:*"],
    ["*", "*"],
    ["a bare prefix", "{3f2a*"],
    ["a repository UUID without braces", "3f2a9c4e-7b1d-4a8e-b6c5-0d9e8f7a6b51:*"],
  ])("GIVEN sub %s THEN synth stops with BBO-T002", (_, sub) => {
    const error = synthErrorOf(() => handBuilt({ condition: { ...GOOD_CONDITION, StringLike: { [`${PREFIX}:sub`]: sub } } }));
    expect(error.message).toContain(`BBO-T002`);
    expect(error.message).toContain(`accepts sub ${JSON.stringify(sub)}`);
  });

  test("GIVEN no sub condition THEN synth stops with BBO-T002 naming the risk", () => {
    const error = synthErrorOf(() => handBuilt({ condition: { StringEquals: GOOD_CONDITION.StringEquals } }));
    expect(error.message).toMatch(/BBO-T002[\s\S]*every repository and pull-request pipeline/);
  });

  test("GIVEN anyRepositoryInWorkspace: true THEN it is acknowledged by the named opt-in: a warning, and listed in the access model", () => {
    withSynth(baseConfig({ roles: [{ name: "bitbucket-read", anyRepositoryInWorkspace: true }] }), (out) => {
      expect(out.result.warnings.join("\n")).toMatch(/BBO-T002 acknowledged on role "bitbucket-read": trust statement 0 accepts sub "\{\*\}:\*".*anyRepositoryInWorkspace: true/);
      expect(out.accessModel().roles[0].acknowledgements).toEqual([
        { rule: "BBO-T002", reason: "anyRepositoryInWorkspace: true (explicit opt-in to every repository of the workspace)" },
      ]);
    });
  });

  test("GIVEN a hand-built {*}:* acknowledged with a reason THEN synth succeeds with a warning", () => {
    const out = handBuilt({
      condition: { ...GOOD_CONDITION, StringLike: { [`${PREFIX}:sub`]: "{*}:*" } },
      extra: (role) => BitbucketOidcGuardrails.acknowledge(role, "BBO-T002", "read-only cache role"),
    });
    expect(out.warnings.join("\n")).toContain("reason: read-only cache role");
  });
});

describe("BBO-T003 sts:AssumeRoleWithWebIdentity for a principal other than the provider", () => {
  test.each([
    ["an account", () => ({ AWS: "arn:aws:iam::123456789012:root" })],
    ["everyone", () => ({ AWS: "*" })],
    ["GitHub's provider", () => ({ Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" })],
    ["the provider and an account", (arn: string) => ({ Federated: arn, AWS: "arn:aws:iam::210987654321:root" })],
  ])("GIVEN %s as principal THEN synth stops with BBO-T003", (_, principal) => {
    const error = synthErrorOf(() => handBuilt({ principal }));
    expect(error.message).toContain("BBO-T003");
  });

  test("GIVEN the provider's literal ARN THEN it is the provider: compliant", () => {
    expect(() => handBuilt({ principal: () => ({ Federated: `arn:aws:iam::123456789012:oidc-provider/${PREFIX}` }) })).not.toThrow();
  });

  test("GIVEN another principal acknowledged THEN synth succeeds with a warning", () => {
    const out = handBuilt({
      principal: () => ({ AWS: "arn:aws:iam::123456789012:root" }),
      extra: (role) => BitbucketOidcGuardrails.acknowledge(role, "BBO-T003", "migration window, removed in PLAT-42"),
    });
    expect(out.warnings.join("\n")).toContain("BBO-T003 acknowledged");
  });
});

describe("BBO-P001 unknown IAM action", () => {
  const typo = (extra: Partial<RoleConfig> = {}) =>
    baseConfig({ roles: [roleWith({ statements: [{ actions: ["ecr:PutImages"], resources: ["arn:aws:ecr:us-east-1:123456789012:repository/web-app"] }], ...extra })] });

  test("GIVEN ecr:PutImages in the config THEN synth stops and suggests ecr:PutImage", () => {
    const error = synthErrorOf(() => withSynth(typo(), () => undefined));
    expect(error.message).toContain('problem: policy "permissions" statement 0: unknown IAM action "ecr:PutImages"');
    expect(error.message).toContain('fix:     did you mean "ecr:PutImage"?');
  });

  test.each([
    ["an unknown service", "ecrr:PutImage", 'did you mean "ecr:PutImage"?'],
    ["a pattern that matches nothing", "ecr:Pt*", "matches no ecr action"],
  ])("GIVEN %s THEN synth stops with BBO-P001", (_, action, expected) => {
    const config = baseConfig({ roles: [roleWith({ statements: [{ actions: [action], resources: ["*"] }] })] });
    expect(synthErrorOf(() => withSynth(config, () => undefined)).message).toContain(expected);
  });

  test("GIVEN real actions, any case, and a matching wildcard THEN synth succeeds", () => {
    const config = baseConfig({ roles: [roleWith({ statements: [{ actions: ["ecr:putimage", "ecr:BatchGet*", "s3:GetObject"], resources: ["*"] }] })] });
    expect(() => withSynth(config, () => undefined)).not.toThrow();
  });

  test("GIVEN a hand-built inline policy with a typo THEN the attached policy is checked too", () => {
    const error = synthErrorOf(() =>
      handBuilt({
        extra: (role) => new IamRolePolicy(role, "inline", { role: role.name, name: "deploy", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObjet", Resource: "*" }] }) }),
      }),
    );
    expect(error.message).toContain('did you mean "s3:GetObject"?');
  });

  test("GIVEN a typo and * on * in an inline_policy block on the hand-built role itself THEN those policies are checked too", () => {
    const error = synthErrorOf(() =>
      handBuilt({
        extra: (role) =>
          role.putInlinePolicy([{ name: "on-role", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["ecr:PutImages", "*"], Resource: "*" }] }) }]),
      }),
    );
    expect(error.message).toContain('policy "on-role" statement 0: unknown IAM action "ecr:PutImages"');
    expect(error.message).toContain('did you mean "ecr:PutImage"?');
    expect(error.message).toContain('policy "on-role" statement 0 allows "*" on every resource');
  });

  test("GIVEN an empty inline_policy block (it removes inline policies) THEN synth succeeds", () => {
    expect(() => handBuilt({ extra: (role) => role.putInlinePolicy([{}]) })).not.toThrow();
  });

  test("GIVEN the typo acknowledged in the config THEN synth succeeds and the access model shows it", () => {
    withSynth(typo({ acknowledge: [{ rule: "BBO-P001", reason: "action launches next week" }] }), (out) => {
      expect(out.result.warnings.join("\n")).toContain("BBO-P001 acknowledged");
      expect(out.accessModel().roles[0].acknowledgements).toEqual([{ rule: "BBO-P001", reason: "action launches next week" }]);
    });
  });
});

describe('BBO-P002 Action "*" or a service-wide wildcard on Resource "*"', () => {
  test.each([["*"], ["s3:*"]])("GIVEN %s on * THEN synth stops with BBO-P002", (action) => {
    const config = baseConfig({ roles: [roleWith({ statements: [{ actions: [action], resources: ["*"] }] })] });
    const error = synthErrorOf(() => withSynth(config, () => undefined));
    expect(error.message).toContain(`BBO-P002`);
    expect(error.message).toContain(`allows "${action}" on every resource`);
  });

  test("GIVEN AWS's AdministratorAccess attached (Allow * on *) THEN synth stops with BBO-P002; acknowledged THEN it goes on", () => {
    const arn = "arn:aws:iam::aws:policy/AdministratorAccess";
    const error = synthErrorOf(() => withSynth(baseConfig({ roles: [roleWith({ managedPolicyArns: [arn] })] }), () => undefined));
    expect(error.message).toContain(`BBO-P002`);
    expect(error.message).toContain(`attaches "${arn}", which allows "*" on every resource`);
    const acknowledge = [{ rule: "BBO-P002", reason: "break-glass role" }, { rule: "BBO-P003", reason: "break-glass role" }] as const;
    withSynth(baseConfig({ roles: [roleWith({ managedPolicyArns: [arn], acknowledge })] }), (out) => {
      expect(out.result.warnings.join("\n")).toMatch(/BBO-P002 acknowledged on role "bitbucket-deploy".*reason: break-glass role/);
    });
  });

  test("GIVEN * on every resource but one (NotResource) in a hand-built policy THEN synth stops with BBO-P002", () => {
    const error = synthErrorOf(() =>
      handBuilt({
        extra: (role, stack) =>
          new IamRolePolicy(stack, "wide", {
            role: role.name,
            name: "wide",
            policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", NotResource: "arn:aws:s3:::acme-audit/*" }] }),
          }),
      }),
    );
    expect(error.message).toContain('policy "wide" statement 0 allows "*" on every resource but NotResource "arn:aws:s3:::acme-audit/*"');
  });

  test("GIVEN s3:* on one bucket, or a Deny of * THEN synth succeeds", () => {
    const config = baseConfig({
      roles: [roleWith({ statements: [{ actions: ["s3:*"], resources: ["arn:aws:s3:::acme-site/*"] }, { effect: "Deny", actions: ["*"], resources: ["*"] }] })],
    });
    expect(() => withSynth(config, () => undefined)).not.toThrow();
  });

  test("GIVEN * on * acknowledged with a reason in the config THEN synth succeeds and both outputs show the reason", () => {
    const config = baseConfig({
      roles: [roleWith({ statements: [{ actions: ["*"], resources: ["*"] }], acknowledge: [{ rule: "BBO-P002", reason: "break-glass role" }] })],
    });
    withSynth(config, (out) => {
      expect(out.result.warnings.join("\n")).toMatch(/BBO-P002 acknowledged on role "bitbucket-deploy".*reason: break-glass role/);
      expect(out.accessModel().roles[0].acknowledgements).toEqual([{ rule: "BBO-P002", reason: "break-glass role" }]);
    });
  });

  test("GIVEN the acknowledgement through the TypeScript prop THEN it works the same", () => {
    const out = synthStack((stack) => {
      const oidcProvider = new BitbucketOidcProvider(stack, "provider", { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace });
      new BitbucketPipelinesRole(stack, "admin", {
        oidcProvider,
        roleName: "admin",
        repositories: [{ uuid: UUIDS.repoA }],
        statements: [{ actions: ["*"], resources: ["*"] }],
        acknowledge: [{ rule: "BBO-P002", reason: "break-glass role" }],
      });
      Aspects.of(stack).add(new BitbucketOidcGuardrails());
    });
    expect(out.warnings.join("\n")).toContain("BBO-P002 acknowledged");
  });
});

describe("BBO-P003 account-wide AWS managed policy attached (a warning)", () => {
  test.each([["PowerUserAccess"], ["ReadOnlyAccess"], ["job-function/ViewOnlyAccess"], ["AmazonEC2ContainerRegistryFullAccess"]])(
    "GIVEN %s in managedPolicyArns THEN synth goes on and warns with the rule id and the fix",
    (name) => {
      const arn = `arn:aws:iam::aws:policy/${name}`;
      withSynth(baseConfig({ roles: [roleWith({ managedPolicyArns: [arn] })] }), (out) => {
        const warning = out.result.warnings.join("\n");
        expect(warning).toContain("BBO-P003 account-wide AWS managed policy attached");
        expect(warning).toContain(`problem: attaches the AWS managed policy "${arn}"`);
        expect(warning).toContain("fix:     give the role what its job needs instead (grants:");
        expect(out.accessModel().roles[0].acknowledgements).toEqual([]);
      });
    },
  );

  test("GIVEN a customer managed policy, or an AWS one scoped to a job THEN no finding", () => {
    const arns = ["arn:aws:iam::123456789012:policy/PowerUserAccess", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser"];
    withSynth(baseConfig({ roles: [roleWith({ managedPolicyArns: arns })] }), (out) => expect(out.result.warnings.join("\n")).not.toContain("BBO-P003"));
  });

  test("GIVEN PowerUserAccess acknowledged with a reason THEN the warning carries the reason and the access model records it", () => {
    const ack = { rule: "BBO-P003", reason: "deploys stacks of many services" } as const;
    withSynth(baseConfig({ roles: [roleWith({ managedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"], acknowledge: [ack] })] }), (out) => {
      expect(out.result.warnings.join("\n")).toContain('BBO-P003 acknowledged on role "bitbucket-deploy"');
      expect(out.result.warnings.join("\n")).toContain("(reason: deploys stacks of many services)");
      expect(out.accessModel().roles[0].acknowledgements).toEqual([ack]);
    });
  });
});

describe("BBO-Q001 policy over IAM's size quotas", () => {
  const bigDocument = (statements: number) =>
    JSON.stringify({ Version: "2012-10-17", Statement: Array.from({ length: statements }, (_, i) => ({ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::bucket-number-${i}/*` })) });

  test("GIVEN inline policies over 10,240 characters THEN synth stops with BBO-Q001", () => {
    const error = synthErrorOf(() =>
      handBuilt({ extra: (role) => [0, 1].forEach((n) => new IamRolePolicy(role, `p${n}`, { role: role.name, name: `p${n}`, policy: bigDocument(60) })) }),
    );
    expect(error.message).toMatch(/BBO-Q001[\s\S]*the inline policies total \d+ characters, over IAM's limit of 10240/);
  });

  test("GIVEN an attached managed policy over 6,144 characters THEN synth stops with BBO-Q001", () => {
    const error = synthErrorOf(() =>
      handBuilt({
        extra: (role, stack) => {
          const policy = new IamPolicy(stack, "big", { name: "big", policy: bigDocument(80) });
          new IamRolePolicyAttachment(stack, "attach", { role: role.name, policyArn: policy.arn });
        },
      }),
    );
    expect(error.message).toMatch(/BBO-Q001[\s\S]*managed policy "\$\{aws_iam_policy.big.arn\}" is \d+ characters/);
  });

  test("GIVEN a trust policy over the quota THEN synth stops with BBO-Q001", () => {
    const subs = Array.from({ length: 40 }, (_, i) => `{3f2a9c4e-7b1d-4a8e-b6c5-0d9e8f7a6b${String(i).padStart(2, "0")}}:*`);
    const error = synthErrorOf(() => handBuilt({ condition: { ...GOOD_CONDITION, StringLike: { [`${PREFIX}:sub`]: subs } } }));
    expect(error.message).toMatch(/BBO-Q001[\s\S]*the trust policy is \d+ characters, over the quota of 2048/);
  });

  test("GIVEN policies within the quotas THEN synth succeeds; GIVEN one over them acknowledged THEN it warns", () => {
    expect(() => handBuilt({ extra: (role) => new IamRolePolicy(role, "p", { role: role.name, name: "p", policy: bigDocument(20) }) })).not.toThrow();
    const out = handBuilt({
      extra: (role) => {
        [0, 1].forEach((n) => new IamRolePolicy(role, `p${n}`, { role: role.name, name: `p${n}`, policy: bigDocument(60) }));
        BitbucketOidcGuardrails.acknowledge(role, "BBO-Q001", "quota raised by AWS support case 123");
      },
    });
    expect(out.warnings.join("\n")).toContain("BBO-Q001 acknowledged");
  });
});

describe("BBO-Q002 more managed policies than the configured quota", () => {
  const attach = (count: number) => (role: IamRole, stack: TerraformStack) => {
    for (let i = 0; i < count; i++) new IamRolePolicyAttachment(stack, `a${i}`, { role: role.name, policyArn: `arn:aws:iam::123456789012:policy/p${i}` });
  };

  test("GIVEN 11 attachments and the default quota THEN synth stops with BBO-Q002", () => {
    expect(synthErrorOf(() => handBuilt({ extra: attach(11) })).message).toMatch(/BBO-Q002[\s\S]*11 managed policies are attached, over the quota of 10/);
  });

  test("GIVEN 10 attachments, or 11 with the quota declared as 20 THEN synth succeeds", () => {
    expect(() => handBuilt({ extra: attach(10) })).not.toThrow();
    expect(() => handBuilt({ extra: attach(11), quotas: { managedPoliciesPerRole: 20 } })).not.toThrow();
  });

  test("GIVEN 11 attachments acknowledged THEN synth succeeds with a warning", () => {
    const out = handBuilt({ extra: (role, stack) => { attach(11)(role, stack); BitbucketOidcGuardrails.acknowledge(role, "BBO-Q002", "quota raised to 15"); } });
    expect(out.warnings.join("\n")).toContain("BBO-Q002 acknowledged");
  });
});

describe("what the guardrails leave alone, and malformed acknowledgements", () => {
  test("GIVEN a role for EC2 with * on * THEN it is not ours to judge", () => {
    const out = synthStack((stack) => {
      const role = new IamRole(stack, "ec2", {
        name: "ec2",
        assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
      });
      new IamRolePolicy(stack, "admin", { role: role.name, name: "admin", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) });
      Aspects.of(stack).add(new BitbucketOidcGuardrails());
    });
    expect(out.warnings).toEqual([]);
  });

  test("GIVEN acknowledgements with an empty reason in the config THEN it is a config error naming each field", () => {
    const config = baseConfig({ roles: [roleWith({ acknowledge: [{ rule: "BBO-P002", reason: " " }, { rule: "BBO-P001", reason: "" }] })] });
    let error: unknown;
    try {
      withSynth(config, () => undefined);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('roles[0].acknowledge[0].reason: " ": expected a written reason');
    expect((error as Error).message).toContain('roles[0].acknowledge[1].reason: "": expected a written reason');
  });

  test("GIVEN an acknowledgement that matches no finding THEN synth warns that it is stale", () => {
    const out = handBuilt({ extra: (role) => BitbucketOidcGuardrails.acknowledge(role, "BBO-P002", "was admin once") });
    expect(out.warnings).toEqual(['host/deploy: BBO-P002 is acknowledged on role "hand-deploy" but finds nothing there; remove the acknowledgement']);
  });

  test("GIVEN the published schema THEN it offers exactly the rule ids the guardrails have (editors complete them)", () => {
    const schema = JSON.parse(readFileSync(join(__dirname, "..", "..", "bitbucket-oidc.schema.json"), "utf8"));
    const ack = JSON.stringify(schema).match(/"rule":\{[^}]*"enum":(\[[^\]]*\])/);
    expect(JSON.parse(ack?.[1] ?? "[]")).toEqual(GUARDRAIL_RULES.map((r) => r.id));
  });

  test("GIVEN an unknown rule id in a config file THEN the schema names the ids at file:line", () => {
    const yaml = `${readFileSync(join(__dirname, "..", "..", "bitbucket-oidc.yaml"), "utf8")}    acknowledge: [{ rule: BBO-X999, reason: "x" }]\n`;
    expect(() => withSynth(yaml, () => undefined)).toThrow(/test-config\.yaml:\d+ roles\[\d+\]\.acknowledge\[0\]\.rule: "BBO-X999": expected one of "BBO-T001"/);
  });

  test("GIVEN an unknown rule id or an empty reason in code THEN acknowledge throws", () => {
    synthStack((stack) => {
      const role = new IamRole(stack, "r", { name: "r", assumeRolePolicy: "{}" });
      expect(() => BitbucketOidcGuardrails.acknowledge(role, "BBO-P02", "x")).toThrow(/expected a guardrail id/);
      expect(() => BitbucketOidcGuardrails.acknowledge(role, "BBO-P002", "")).toThrow(/expected a written reason/);
    });
  });
});
