/**
 * Golden pairs: a base config and a changed one, both synthesized for real, compared by the real
 * `review --base` command. Each kind of change has its expected classification.
 */
import { expandIamActions } from "@cloud-copilot/iam-expand";
import { RoleConfig } from "../../lib/config/model";
import { ReviewChange } from "../../lib/review/report";
import { Synthesized } from "../support/synth";
import { BOUNDARY_ARN, CUSTOM_AUDIENCE, deployRole, ECR_REPOSITORY_ARN, pairConfig, reviewJson, synthConfig, UUIDS, WORKSPACE_AUDIENCE } from "./support";

const THREE_ECR_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];

let base: Synthesized;
beforeAll(() => {
  base = synthConfig(pairConfig([deployRole()]));
});
afterAll(() => base.dispose());

async function changesTo(roles: RoleConfig[]): Promise<readonly ReviewChange[]> {
  const head = synthConfig(pairConfig(roles));
  try {
    return (await reviewJson(head, base)).changes ?? [];
  } finally {
    head.dispose();
  }
}

type Expected = Partial<ReviewChange>;
const pairs: [string, RoleConfig[], Expected[]][] = [
  ["nothing changed", [deployRole()], []],
  [
    "a repository added is widening, named as the config names it",
    [deployRole({ repositories: [...deployRole().repositories!, { uuid: UUIDS.repoC, name: "api" }] })],
    [{ classification: "widening", kind: "repository-added", role: "bitbucket-deploy", target: `api ${UUIDS.repoC}`, after: "every step" }],
  ],
  [
    "a repository removed is narrowing",
    [deployRole({ repositories: [deployRole().repositories![1]] })],
    [{ classification: "narrowing", kind: "repository-removed", target: `web-app ${UUIDS.repoA}`, before: "every step" }],
  ],
  [
    "an environment added is widening",
    [
      deployRole({
        repositories: [
          deployRole().repositories![0],
          { ...deployRole().repositories![1], environments: [{ uuid: UUIDS.envProduction, name: "production" }, { uuid: UUIDS.envStaging, name: "staging" }] },
        ],
      }),
    ],
    [{ classification: "widening", kind: "environment-added", target: `infra-live ${UUIDS.repoB}`, after: `staging ${UUIDS.envStaging}` }],
  ],
  [
    "swapping a repository-wide pattern for one environment is narrowing",
    [deployRole({ repositories: [{ uuid: UUIDS.repoA, name: "web-app", environments: [{ uuid: UUIDS.envStaging, name: "staging" }] }, deployRole().repositories![1]] })],
    [{ classification: "narrowing", kind: "subject-narrowed", target: `web-app ${UUIDS.repoA}`, before: "every step", after: `environment staging ${UUIDS.envStaging}` }],
  ],
  [
    "swapping one environment for the whole repository is a broader sub pattern: widening",
    [deployRole({ repositories: [deployRole().repositories![0], { uuid: UUIDS.repoB, name: "infra-live" }] })],
    [{ classification: "widening", kind: "subject-broadened", target: `infra-live ${UUIDS.repoB}`, before: `environment production ${UUIDS.envProduction}`, after: "every step" }],
  ],
  [
    "every repository of the workspace is widening",
    [deployRole({ repositories: undefined, anyRepositoryInWorkspace: true })],
    // `{*}:*` covers both repositories' patterns: nothing is lost, so no narrowing is listed.
    [
      { classification: "widening", kind: "any-repository-added", target: "every repository of the workspace" },
      // The named opt-in is recorded as an acknowledgement of the unanchored-sub guardrail (BBO-T002).
      { classification: "widening", kind: "acknowledgement-added", role: "bitbucket-deploy", target: "BBO-T002" },
    ],
  ],
  ["a new role is widening", [deployRole(), deployRole({ name: "bitbucket-read" })], [{ classification: "widening", kind: "role-added", role: "bitbucket-read" }]],
  ["a removed role is narrowing", [deployRole({ name: "bitbucket-other" })], [{ classification: "widening", kind: "role-added", role: "bitbucket-other" }, { classification: "narrowing", kind: "role-removed", role: "bitbucket-deploy" }]],
  ["a longer session is widening", [deployRole({ maxSessionDuration: 7200 })], [{ classification: "widening", kind: "session-longer", before: 3600, after: 7200 }]],
  ["a removed permissions boundary is widening", [deployRole({ permissionsBoundary: undefined })], [{ classification: "widening", kind: "boundary-removed", before: BOUNDARY_ARN }]],
  [
    "another permissions boundary may widen: widening",
    [deployRole({ permissionsBoundary: "arn:aws:iam::123456789012:policy/other-boundary" })],
    [{ classification: "widening", kind: "boundary-changed", before: BOUNDARY_ARN, after: "arn:aws:iam::123456789012:policy/other-boundary" }],
  ],
  ["a removed IP condition is widening", [deployRole({ sourceIps: undefined })], [{ classification: "widening", kind: "source-ip-condition-removed", before: "104.192.136.0/24", after: "any address" }]],
  ["a broader source range is widening", [deployRole({ sourceIps: ["104.192.0.0/16"] })], [{ classification: "widening", kind: "source-ip-added", target: "104.192.0.0/16" }]],
  ["a narrower source range is narrowing", [deployRole({ sourceIps: ["104.192.136.0/25"] })], [{ classification: "narrowing", kind: "source-ip-removed", target: "104.192.136.0/24" }]],
  ["an audience added is widening", [deployRole({ audiences: [WORKSPACE_AUDIENCE, CUSTOM_AUDIENCE] })], [{ classification: "widening", kind: "audience-added", target: CUSTOM_AUDIENCE }]],
  ["a managed policy attached is widening", [deployRole({ managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/PowerUserAccess"] })], [{ classification: "widening", kind: "managed-policy-added", target: "arn:aws:iam::aws:policy/PowerUserAccess" }]],
  [
    "a new resource is widening",
    [deployRole({ statements: [...deployRole().statements!, { actions: ["s3:PutObject"], resources: ["arn:aws:s3:::acme-site/*"] }] })],
    [{ classification: "widening", kind: "resource-added", actions: expect.objectContaining({ resource: "arn:aws:s3:::acme-site/*", actions: ["s3:PutObject"], expandedBefore: 0, expandedAfter: 1 }) }],
  ],
  [
    "a wildcard resource replacing one repository is widening",
    [deployRole({ statements: [{ ...deployRole().statements![0], resources: ["arn:aws:ecr:us-east-1:123456789012:repository/*"] }] })],
    [
      { classification: "widening", kind: "resource-added", actions: expect.objectContaining({ resource: "arn:aws:ecr:us-east-1:123456789012:repository/*" }) },
      // The old grant on web-app is covered by the wildcard: nothing was lost.
    ],
  ],
  [
    "a Deny added is narrowing",
    [deployRole({ statements: [...deployRole().statements!, { effect: "Deny", actions: ["ecr:BatchGetImage"], resources: [ECR_REPOSITORY_ARN] }] })],
    [{ classification: "narrowing", kind: "deny-added", actions: expect.objectContaining({ actions: ["ecr:BatchGetImage"] }) }],
  ],
  [
    "the same permissions in another policy and order are neutral",
    [deployRole({ statements: undefined, inlinePolicies: { ecr: [{ actions: [...THREE_ECR_ACTIONS].reverse(), resources: [ECR_REPOSITORY_ARN] }] } })],
    [{ classification: "neutral", kind: "policies-rewritten" }],
  ],
  ["a new description is neutral", [deployRole({ description: "Deploys web-app" })], [{ classification: "neutral", kind: "description-changed", after: "Deploys web-app" }]],
  [
    "a repository renamed in the config is neutral",
    [deployRole({ repositories: [{ uuid: UUIDS.repoA, name: "website" }, deployRole().repositories![1]] })],
    [{ classification: "neutral", kind: "name-changed", target: UUIDS.repoA, before: "web-app", after: "website" }],
  ],
];

/** Pairs read the other way round: the base below is `roles`, the head is the shared base. */
const reversed: [string, RoleConfig[], Expected[]][] = [
  ["three ECR actions replacing ecr:* is narrowing", [deployRole({ statements: [{ actions: ["ecr:*"], resources: [ECR_REPOSITORY_ARN] }] })], [{ classification: "narrowing", kind: "actions-removed", actions: expect.objectContaining({ expandedAfter: 3 }) }]],
  ["a shorter session is narrowing", [deployRole({ maxSessionDuration: 7200 })], [{ classification: "narrowing", kind: "session-shorter", before: 7200, after: 3600 }]],
  ["a boundary added is narrowing", [deployRole({ permissionsBoundary: undefined })], [{ classification: "narrowing", kind: "boundary-added", after: BOUNDARY_ARN }]],
  ["an IP condition added is narrowing", [deployRole({ sourceIps: undefined })], [{ classification: "narrowing", kind: "source-ip-condition-added", after: "104.192.136.0/24" }]],
  ["an audience removed is narrowing", [deployRole({ audiences: [WORKSPACE_AUDIENCE, CUSTOM_AUDIENCE] })], [{ classification: "narrowing", kind: "audience-removed", target: CUSTOM_AUDIENCE }]],
  ["a managed policy detached is narrowing", [deployRole({ managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/PowerUserAccess"] })], [{ classification: "narrowing", kind: "managed-policy-removed" }]],
  ["an environment removed is narrowing", [deployRole({ repositories: [deployRole().repositories![0], { ...deployRole().repositories![1], environments: [{ uuid: UUIDS.envProduction, name: "production" }, { uuid: UUIDS.envStaging, name: "staging" }] }] })], [{ classification: "narrowing", kind: "environment-removed", before: `staging ${UUIDS.envStaging}` }]],
  ["a removed Deny is widening", [deployRole({ statements: [...deployRole().statements!, { effect: "Deny", actions: ["ecr:BatchGetImage"], resources: [ECR_REPOSITORY_ARN] }] })], [{ classification: "widening", kind: "deny-removed" }]],
];

describe("review --base classifies each kind of change", () => {
  test.each(pairs)("%s", async (_, roles, expected) => {
    const changes = await changesTo(roles);
    expect(changes).toEqual(expected.map((e) => expect.objectContaining(e)));
  });

  test("ecr:* replacing three ECR actions is widening, with the expanded count shown", async () => {
    const all = await expandIamActions("ecr:*");
    const changes = await changesTo([deployRole({ statements: [{ actions: ["ecr:*"], resources: [ECR_REPOSITORY_ARN] }] })]);
    expect(changes).toEqual([
      expect.objectContaining({
        classification: "widening",
        kind: "actions-added",
        actions: {
          resource: ECR_REPOSITORY_ARN,
          actions: all.filter((a) => !THREE_ECR_ACTIONS.includes(a)).sort(),
          patternsBefore: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
          patternsAfter: ["ecr:*"],
          expandedBefore: 3,
          expandedAfter: all.length,
        },
      }),
    ]);
    expect(all.length).toBeGreaterThan(40);
  });

  test.each(reversed)("reversed: %s", async (_, roles, expected) => {
    const other = synthConfig(pairConfig(roles));
    try {
      const changes = (await reviewJson(base, other)).changes ?? [];
      expect(changes).toEqual(expected.map((e) => expect.objectContaining(e)));
    } finally {
      other.dispose();
    }
  });

  describe("a condition on the same actions and resource", () => {
    const REGION = JSON.stringify({ StringEquals: { "aws:RequestedRegion": "us-east-1" } });
    const withCondition = (region: string) =>
      deployRole({ statements: [{ ...deployRole().statements![0], conditions: { StringEquals: { "aws:RequestedRegion": region } } }] });

    test("GIVEN a condition removed THEN widening, saying which condition the actions had", async () => {
      const conditioned = synthConfig(pairConfig([withCondition("us-east-1")]));
      try {
        const changes = (await reviewJson(base, conditioned)).changes ?? [];
        expect(changes).toEqual([
          expect.objectContaining({
            classification: "widening",
            kind: "condition-removed",
            actions: expect.objectContaining({ resource: ECR_REPOSITORY_ARN, actions: THREE_ECR_ACTIONS, conditionBefore: REGION, conditionAfter: "" }),
          }),
        ]);
      } finally {
        conditioned.dispose();
      }
    });

    test("GIVEN a condition added THEN narrowing, not actions removed", async () => {
      const changes = await changesTo([withCondition("us-east-1")]);
      expect(changes).toEqual([
        expect.objectContaining({
          classification: "narrowing",
          kind: "condition-added",
          actions: expect.objectContaining({ resource: ECR_REPOSITORY_ARN, actions: THREE_ECR_ACTIONS, conditionBefore: "", conditionAfter: REGION }),
        }),
      ]);
    });

    test("GIVEN one condition swapped for another THEN one widening change, reported once", async () => {
      const before = synthConfig(pairConfig([withCondition("us-east-1")]));
      const after = synthConfig(pairConfig([withCondition("eu-west-1")]));
      try {
        const changes = (await reviewJson(after, before)).changes ?? [];
        expect(changes).toEqual([
          expect.objectContaining({
            classification: "widening",
            kind: "condition-changed",
            actions: expect.objectContaining({ conditionBefore: REGION, conditionAfter: REGION.replace("us-east-1", "eu-west-1") }),
          }),
        ]);
      } finally {
        before.dispose();
        after.dispose();
      }
    });
  });

  test("widening changes come first", async () => {
    const changes = await changesTo([deployRole({ description: "new words", maxSessionDuration: 7200, sourceIps: ["104.192.136.0/25"] })]);
    expect(changes.map((c) => c.classification)).toEqual(["widening", "narrowing", "neutral"]);
  });
});
