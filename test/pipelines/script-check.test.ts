import { checkPipeline, checkScript } from "../../lib/pipelines/script-check";
import { parseYaml } from "./support";

/** The "Terraform plan" step of the manual recipe this project replaces (reference copy). */
const MANUAL_RECIPE_STEP = `
- step:
    image: docker.io/hashicorp/terraform:1.6
    name: "Terraform plan"
    oidc: true
    script:
    - apk update
    - apk add 'aws-cli>2' jq
    - |-
      aws sts assume-role-with-web-identity \\
        --role-arn arn:aws:iam::xxxxxxxx:role/bitbucket-graphr-infra \\
        --role-session-name graphr-terraform-plan-session  \\
        --web-identity-token "$BITBUCKET_STEP_OIDC_TOKEN" \\
        --duration-seconds 1000 > credentials.json
    - cat credentials.json
    - export AWS_ACCESS_KEY_ID=$(cat credentials.json | jq -r '.Credentials.AccessKeyId')
    - export AWS_SECRET_ACCESS_KEY=$(cat credentials.json | jq -r '.Credentials.SecretAccessKey')
    - export AWS_SESSION_TOKEN=$(cat credentials.json | jq -r '.Credentials.SessionToken')
    - export AWS_REGION=us-east-1
    - aws sts get-caller-identity | cat
`;

const rulesOf = (lines: string[]): string[] => [...new Set(checkScript(lines).map((f) => f.rule))].sort();

describe("the script checker", () => {
  test("GIVEN the manual recipe's step WHEN checked THEN it reports the assume-role output, the cat and the jq exports", () => {
    const findings = checkPipeline(parseYaml(MANUAL_RECIPE_STEP, "manual recipe"));
    expect(findings.map((f) => `${f.rule}: ${f.line.slice(0, 32)}`)).toEqual([
      "no-assume-role-output: aws sts assume-role-with-web-ide",
      "no-cat-credentials: cat credentials.json",
      "no-export-secret-from-output: export AWS_ACCESS_KEY_ID=$(cat c",
      "no-export-secret-from-output: export AWS_SECRET_ACCESS_KEY=$(c",
      "no-export-secret-from-output: export AWS_SESSION_TOKEN=$(cat c",
    ]);
    expect(findings[0].where).toBe('[0].step "Terraform plan"[2]');
  });

  test.each([
    ["set -x", "no-xtrace"],
    ["set -eux", "no-xtrace"],
    ["set -o xtrace", "no-xtrace"],
    ["bash -x deploy.sh", "no-xtrace"],
    ["echo $BITBUCKET_STEP_OIDC_TOKEN", "no-print-secret"],
    ['printf "%s" "$AWS_SECRET_ACCESS_KEY"', "no-print-secret"],
    ['echo "$BITBUCKET_STEP_OIDC_TOKEN" > token.txt', "no-print-secret"],
    ['echo "${AWS_SESSION_TOKEN}" >> .env', "no-print-secret"],
    ["printenv BITBUCKET_STEP_OIDC_TOKEN", "no-print-secret"],
    ["printenv AWS_REGION AWS_SECRET_ACCESS_KEY", "no-print-secret"],
    ["aws sts get-session-token --duration-seconds 900", "no-assume-role-output"],
    ["cat ~/.aws/credentials", "no-cat-credentials"],
    ['cat "$AWS_WEB_IDENTITY_TOKEN_FILE" # web-identity-token', "no-cat-credentials"],
    ["aws configure export-credentials --format env", "no-assume-role-output"],
    ["aws sts assume-role --role-arn x --role-session-name y", "no-assume-role-output"],
    ["aws configure set aws_secret_access_key abc", "no-export-secret-from-output"],
    ['export AWS_SESSION_TOKEN="$(vault read -field=token x)"', "no-export-secret-from-output"],
    ["env", "no-dump-environment"],
    ["printenv | sort", "no-dump-environment"],
    ['f=token.txt; printf \'%s\' "$BITBUCKET_STEP_OIDC_TOKEN" > "$f"', "no-print-secret"],
    ['f="$(mktemp)"; printf \'%s\' "$BITBUCKET_STEP_OIDC_TOKEN" > "$f.copy"', "no-print-secret"],
    ["set", "no-dump-environment"],
  ])("GIVEN %j WHEN checked THEN it is reported as %s", (line, rule) => {
    expect(rulesOf([line])).toEqual([rule]);
  });

  test.each([
    "(umask 077 && printf '%s' \"$BITBUCKET_STEP_OIDC_TOKEN\" > \"$AWS_WEB_IDENTITY_TOKEN_FILE\")",
    "export AWS_WEB_IDENTITY_TOKEN_FILE",
    "export AWS_ROLE_ARN=arn:aws:iam::123456789012:role/x",
    "set -euo pipefail",
    "aws sts get-caller-identity --query Arn --output text",
    "terraform -chdir=cdktf.out/stacks/x plan -out=plan.tfplan",
    "printenv AWS_ROLE_ARN",
    "cat README.md",
    "# set -x would go here, but it is a comment",
    '(umask 077; token_file="$(mktemp)"; trap \'rm -f "$token_file"\' EXIT; printf \'%s\' "$BITBUCKET_STEP_OIDC_TOKEN" > "$token_file"; npx --no bitbucket-oidc explain --token "$token_file" --role r)',
  ])("GIVEN the safe line %j WHEN checked THEN nothing is reported", (line) => {
    expect(checkScript([line])).toEqual([]);
  });
});
