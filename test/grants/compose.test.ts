import { composeGrants, grantOutputs, grantPolicyName, statementKey } from "../../lib/grants";
import { checkGrantQuotas } from "../../lib/grants/compose";
import { IamStatement } from "../../lib/iam/policy-document";
import { ProblemList } from "../../lib/core/problems";
import { resolveQuotas } from "../../lib/iam/quotas";
import { baseConfig, UUIDS, withSynth } from "../support/synth";
import { ACCOUNT } from "./grant-roles";

const ctx = { region: "us-east-1", partition: "aws", accountId: ACCOUNT, oidcProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/x`, roleArns: [`arn:aws:iam::${ACCOUNT}:role/r`] };
const location = { bucket: "acme-terraform-state", key: "web/terraform.tfstate" };

describe("composeGrants (pure)", () => {
  test("statements equal but for Sid and list order are the same statement", () => {
    const a: IamStatement = { Sid: "A", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "arn:aws:s3:::b/*" };
    const b: IamStatement = { Sid: "B", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: "arn:aws:s3:::b/*" };
    expect(statementKey(a)).toBe(statementKey(b));
    expect(statementKey(a)).not.toBe(statementKey({ ...b, Effect: "Deny" }));
  });

  test("GIVEN terraformState at plan and terraformPlan on the same state THEN the plan grant keeps only what the state grant lacks", () => {
    const composed = composeGrants(grantOutputs({ terraformState: { level: "plan", ...location }, terraformPlan: location }, ctx));
    expect(Object.keys(composed.policies)).toEqual(["grant-terraform-state", "grant-terraform-plan"]);
    expect(composed.policies["grant-terraform-plan"].map((s) => s.Sid)).toEqual(["PlanReadProvider", "PlanReadRoles"]);
    const all = Object.values(composed.policies).flat().map(statementKey);
    expect(new Set(all).size).toBe(all.length);
  });

  test("GIVEN a grant whose statements the role already has THEN it writes no policy", () => {
    const own: IamStatement[] = [{ Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" }];
    const composed = composeGrants(grantOutputs({ ecrPush: { repositories: ["web"] } }, ctx), own);
    expect(composed.policies["grant-ecr-push"].map((s) => s.Sid)).toEqual(["EcrPush"]);
    expect(grantPolicyName("terraformState")).toBe("grant-terraform-state");
  });

  test("GIVEN grants over 10,240 characters THEN the problem names the largest grant to split off", () => {
    const repositories = Array.from({ length: 150 }, (_, i) => `team/service-number-${i}`);
    const composed = composeGrants(grantOutputs({ ecrPush: { repositories }, s3Deploy: { bucket: "acme-site" } }, ctx));
    const list = new ProblemList();
    checkGrantQuotas(composed, 0, [], resolveQuotas(undefined), "roles[0].grants", list);
    expect(list.problems).toHaveLength(1);
    expect(list.problems[0].path).toBe("roles[0].grants.ecrPush");
    expect(list.problems[0].message).toMatch(/over IAM's quota of 10240 per role; split grant "ecrPush" \(\d+ characters\) off into a role of its own/);
  });

  test("GIVEN a managed policy over the role's quota THEN the problem names terraformPlan", () => {
    const composed = composeGrants(grantOutputs({ terraformPlan: { ...location, managedPolicy: "ReadOnlyAccess" } }, ctx));
    const own = Array.from({ length: 10 }, (_, i) => `arn:aws:iam::aws:policy/P${i}`);
    const list = new ProblemList();
    checkGrantQuotas(composed, 0, own, resolveQuotas(undefined), "grants", list);
    expect(list.problems.map((p) => p.path)).toEqual(["grants.terraformPlan.managedPolicy"]);
    expect(list.problems[0].message).toMatch(/11 managed policies, over the quota of 10; split grant "terraformPlan"/);
  });
});

describe("grants in a synthesized role", () => {
  test("GIVEN every grant kind THEN one inline policy per grant, no statement twice across the role, and the exclusive list names them all", () => {
    const config = baseConfig({
      roles: [
        {
          name: "bitbucket-all",
          repositories: [{ uuid: UUIDS.repoA }],
          statements: [{ actions: ["ecr:GetAuthorizationToken"], resources: ["*"] }],
          grants: {
            ecrPush: { repositories: ["web"] },
            terraformState: { level: "apply", ...location },
            terraformPlan: { bucket: "acme-terraform-state", key: "bitbucket-oidc/terraform.tfstate" },
            s3Deploy: { bucket: "acme-site" },
            statements: [{ actions: ["sns:Publish"], resources: [`arn:aws:sns:us-east-1:${ACCOUNT}:deploys`] }],
          },
        },
      ],
    });
    withSynth(config, (out) => {
      const json = out.json();
      const policies = Object.values(json.resource?.aws_iam_role_policy ?? {});
      expect(policies.map((p) => p.name).sort()).toEqual(["grant-ecr-push", "grant-s3-deploy", "grant-statements", "grant-terraform-plan", "grant-terraform-state", "permissions"]);
      const keys = policies.flatMap((p) => (JSON.parse(String(p.policy)).Statement as IamStatement[]).map(statementKey));
      expect(new Set(keys).size).toBe(keys.length);
      const exclusive = Object.values(json.resource?.aws_iam_role_policies_exclusive ?? {})[0];
      expect([...(exclusive.policy_names as string[])].sort()).toEqual(policies.map((p) => p.name).sort());
    });
  });
});
