import { ECR_PULL_ACTIONS, ECR_PUSH_ACTIONS } from "../../lib/grants/ecr-push";
import { ACCOUNT, expectDecisions, synthGrants } from "./grant-roles";

const REPO = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/mydockerimage`;
const OTHER_REPO = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/other-image`;
const OTHER_REGION = `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/mydockerimage`;

describe("grant ecrPush, evaluated on the synthesized policies", () => {
  test("GIVEN ecrPush on mydockerimage THEN docker push / aws-ecr-push-image is allowed on it, and only on it", async () => {
    const granted = synthGrants({ ecrPush: { repositories: ["mydockerimage"] } }, { accountId: ACCOUNT });
    try {
      await expectDecisions(granted, "Allowed", [["ecr:GetAuthorizationToken", "*"], ...ECR_PUSH_ACTIONS.map((a) => [a, REPO] as const)]);
      await expectDecisions(granted, "ImplicitlyDenied", [
        ...ECR_PUSH_ACTIONS.map((a) => [a, OTHER_REPO] as const),
        ["ecr:PutImage", OTHER_REGION],
        ["ecr:BatchDeleteImage", REPO],
        ["ecr:DeleteRepository", REPO],
        ["ecr:CreateRepository", REPO],
        ["ecr:SetRepositoryPolicy", REPO],
        ["ecr:PutImageTagMutability", REPO],
        ["ecr:PutLifecyclePolicy", REPO],
      ]);
    } finally {
      granted.out.dispose();
    }
  });

  test("GIVEN pullOnly THEN pulling is allowed and pushing is not", async () => {
    const granted = synthGrants({ ecrPush: { repositories: ["mydockerimage"], pullOnly: true } }, { accountId: ACCOUNT });
    try {
      await expectDecisions(granted, "Allowed", [["ecr:GetAuthorizationToken", "*"], ...ECR_PULL_ACTIONS.map((a) => [a, REPO] as const)]);
      await expectDecisions(granted, "ImplicitlyDenied", [["ecr:PutImage", REPO], ["ecr:InitiateLayerUpload", REPO], ["ecr:UploadLayerPart", REPO]]);
    } finally {
      granted.out.dispose();
    }
  });

  test("GIVEN createRepositories and immutableTags THEN it may create the named repositories, and the tag-mutability Deny beats a wider Allow", async () => {
    const granted = synthGrants({ ecrPush: { repositories: ["mydockerimage", "team/api"], createRepositories: true, immutableTags: true } }, { accountId: ACCOUNT });
    try {
      await expectDecisions(granted, "Allowed", [
        ["ecr:CreateRepository", REPO],
        ["ecr:CreateRepository", `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/team/api`],
        ["ecr:PutImage", `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/team/api`],
      ]);
      await expectDecisions(granted, "ImplicitlyDenied", [["ecr:CreateRepository", OTHER_REPO], ["ecr:DeleteRepository", REPO]]);
      const everything = { wide: { Version: "2012-10-17" as const, Statement: [{ Effect: "Allow" as const, Action: "ecr:*", Resource: "*" }] } };
      await expectDecisions(granted, "ExplicitlyDenied", [["ecr:PutImageTagMutability", REPO]], everything);
    } finally {
      granted.out.dispose();
    }
  });

  test("GIVEN no aws.accountId THEN the repository ARN uses the caller's account through data.aws_caller_identity", async () => {
    const granted = synthGrants({ ecrPush: { repositories: ["mydockerimage"] } }, { resolveAccount: "111122223333" });
    try {
      const policy = Object.values(granted.out.json().resource?.aws_iam_role_policy ?? {}).map((p) => String(p.policy)).join("\n");
      expect(policy).toMatch(/repository\/mydockerimage/);
      expect(policy).toMatch(/\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}/);
      await expectDecisions(granted, "Allowed", [["ecr:PutImage", "arn:aws:ecr:us-east-1:111122223333:repository/mydockerimage"]]);
      await expectDecisions(granted, "ImplicitlyDenied", [["ecr:PutImage", REPO]]);
    } finally {
      granted.out.dispose();
    }
  });

  test("GIVEN ecrPush THEN the access model lists the grant by kind, for the pipelines snippet", () => {
    const granted = synthGrants({ ecrPush: { repositories: ["mydockerimage"] } }, { accountId: ACCOUNT });
    try {
      const role = granted.out.accessModel().roles.find((r) => r.name === "bitbucket-job");
      expect(role?.grants).toEqual({ ecrPush: { repositories: ["mydockerimage"] } });
      expect(Object.keys(role?.inlinePolicies ?? {})).toEqual(["grant-ecr-push"]);
    } finally {
      granted.out.dispose();
    }
  });
});
