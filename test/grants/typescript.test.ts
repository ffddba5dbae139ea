/**
 * Grants from TypeScript, without the config or the app's stack: a BitbucketPipelinesRole in a plain
 * host stack, as the README's "Permission grants" TypeScript example builds it, evaluated with
 * iam-simulate on the synthesized JSON.
 */
import { BitbucketOidcProvider } from "../../lib/constructs/bitbucket-oidc-provider";
import { BitbucketPipelinesRole } from "../../lib/constructs/bitbucket-pipelines-role";
import { evaluateAction } from "../../lib/evaluation/identity-evaluator";
import { synthHost } from "../foundation/host-stack";
import { UUIDS } from "../support/synth";
import { rolesFromTerraform, TerraformRole } from "../support/terraform-json";

const ACCOUNT = "123456789012";

async function decide(role: TerraformRole, action: string, resource: string, accountId = ACCOUNT): Promise<string> {
  const decision = await evaluateAction(role.inlinePolicies, { principalArn: role.arn, action, resource, accountId });
  expect(decision.ignoredContextKeys).toEqual([]);
  return decision.result;
}

describe("grants on a role built in TypeScript", () => {
  test("GIVEN the README's ecrPush example with grantScope THEN push is allowed on that repository of that account and region only", async () => {
    const json = synthHost((stack) => {
      const provider = new BitbucketOidcProvider(stack, "bitbucket", { workspaceSlug: "acme", workspaceUuid: UUIDS.workspace });
      new BitbucketPipelinesRole(stack, "ecr-push", {
        oidcProvider: provider,
        roleName: "bitbucket-ecr-push",
        repositories: [{ uuid: UUIDS.repoA }],
        grants: { ecrPush: { repositories: ["mydockerimage"] } },
        grantScope: { region: "us-east-1", accountId: ACCOUNT },
      });
    });
    const role = rolesFromTerraform(json, { accountId: ACCOUNT }).find((r) => r.name === "bitbucket-ecr-push")!;
    expect(Object.keys(role.inlinePolicies)).toEqual(["grant-ecr-push"]);
    expect(json.data?.aws_caller_identity).toBeUndefined();
    expect(await decide(role, "ecr:PutImage", `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/mydockerimage`)).toBe("Allowed");
    expect(await decide(role, "ecr:GetAuthorizationToken", "*")).toBe("Allowed");
    expect(await decide(role, "ecr:PutImage", `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/other`)).toBe("ImplicitlyDenied");
    expect(await decide(role, "ecr:PutImage", `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/mydockerimage`)).toBe("ImplicitlyDenied");
    expect(await decide(role, "ecr:BatchDeleteImage", `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/mydockerimage`)).toBe("ImplicitlyDenied");
  });

  test("GIVEN terraformPlan without grantScope and an imported provider THEN it reads its own state and role in the caller's account, and nothing else", async () => {
    const caller = "111122223333";
    const providerArn = `arn:aws:iam::${caller}:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc`;
    const json = synthHost((stack) => {
      const provider = BitbucketOidcProvider.fromArn({ arn: providerArn, workspaceSlug: "acme", workspaceUuid: UUIDS.workspace });
      new BitbucketPipelinesRole(stack, "plan", {
        oidcProvider: provider,
        roleName: "bitbucket-plan",
        path: "/ci/",
        repositories: [{ uuid: UUIDS.repoA }],
        grants: { terraformPlan: { bucket: "acme-terraform-state", key: "host/terraform.tfstate" } },
      });
    });
    // The account is the caller's, read at plan time: the role ARN in the policy is a reference.
    expect(Object.keys(json.data?.aws_caller_identity ?? {})).toHaveLength(1);
    const role = rolesFromTerraform(json, { accountId: caller }).find((r) => r.name === "bitbucket-plan")!;
    expect(await decide(role, "s3:GetObject", "arn:aws:s3:::acme-terraform-state/host/terraform.tfstate", caller)).toBe("Allowed");
    expect(await decide(role, "iam:GetOpenIDConnectProvider", providerArn, caller)).toBe("Allowed");
    expect(await decide(role, "iam:GetRole", `arn:aws:iam::${caller}:role/ci/bitbucket-plan`, caller)).toBe("Allowed");
    expect(await decide(role, "iam:GetRole", `arn:aws:iam::${caller}:role/admin`, caller)).toBe("ImplicitlyDenied");
    expect(await decide(role, "s3:PutObject", "arn:aws:s3:::acme-terraform-state/host/terraform.tfstate", caller)).toBe("ImplicitlyDenied");
  });
});
