import { AccessModel, AccessRole } from "../access-model/access-model";
import type { EcrPushGrant } from "../grants/grant-types";
import { renderCredentialScript, roleArnExpression } from "./credential-script";
import { explainPreflight } from "./explain-preflight";

/** The Atlassian pipe that pushes an image to ECR, pinned (the version Atlassian's OIDC guide uses). */
export const ECR_PUSH_PIPE = "atlassian/aws-ecr-push-image:2.0.0";

/** A script entry: a shell command, or a pipe with its variables. */
export type ScriptEntry = string | { readonly pipe: string; readonly variables: Readonly<Record<string, string>> };

/** One Bitbucket Pipelines step, in the order Bitbucket documents its keys. */
export interface PipelineStep {
  readonly name: string;
  readonly deployment?: string;
  readonly oidc: true;
  readonly services?: readonly string[];
  readonly script: readonly ScriptEntry[];
}

/** A step with what a reader needs to know about it (rendered as comments). */
export interface SnippetStep {
  readonly step: PipelineStep;
  /** Which repositories (and environment) may run it, for the comment above it. */
  readonly note: string;
  /** Set when the deployment name is a placeholder (the config names no environment). */
  readonly deploymentPlaceholder?: boolean;
}

/** How the steps are rendered. */
export interface StepOptions {
  /**
   * Start every step with `bitbucket-oidc explain --role` on the step's token (a pre-flight check
   * that names the failed condition); the step then needs this package and the synth output.
   * @default false
   */
  readonly debug?: boolean;
}

/** Where a step may run: a whole repository (no deployment) or one named environment. */
interface StepTarget {
  readonly deployment?: string;
  readonly placeholder?: boolean;
  readonly repositories: string[];
}

/**
 * The steps that use `role`: the ECR push pipe when the role has an `ecrPush` grant that may push
 * (a `pullOnly` grant cannot: the pipe's PutImage would be denied), else a step that exports the
 * web-identity variables for the AWS CLI, SDKs and Terraform. One step per deployment
 * environment the role trusts, plus one without `deployment:` when a whole repository is trusted.
 */
export function stepsForRole(model: AccessModel, role: AccessRole, options: StepOptions = {}): SnippetStep[] {
  const preflight: ScriptEntry[] = options.debug ? [explainPreflight(model, role)] : [];
  const grant = role.grants.ecrPush as EcrPushGrant | undefined;
  const ecrPush = grant && grant.pullOnly !== true ? grant : undefined;
  return stepTargets(role).map((target) => {
    const label = target.deployment ? `${role.name} (${target.deployment})` : role.name;
    const step: PipelineStep = ecrPush
      ? {
          name: `Push image with ${label}`,
          ...(target.deployment ? { deployment: target.deployment } : {}),
          oidc: true,
          services: ["docker"],
          script: [...preflight, ...ecrPushScript(role, ecrPush, model.aws.region)],
        }
      : {
          name: `AWS as ${label}`,
          ...(target.deployment ? { deployment: target.deployment } : {}),
          oidc: true,
          script: [...preflight, renderCredentialScript(role, model.aws.region), "aws sts get-caller-identity --query Arn --output text"],
        };
    const where = target.repositories.join(", ");
    const note = target.deployment
      ? `For ${where}: only steps deploying to ${target.placeholder ? `the environment ${target.deployment}` : `"${target.deployment}"`} may assume ${role.name}.`
      : `For ${where}: any step may assume ${role.name}.`;
    return { step, note, deploymentPlaceholder: target.placeholder };
  });
}

function stepTargets(role: AccessRole): StepTarget[] {
  const wide: string[] = role.trust.anyRepositoryInWorkspace ? ["every repository of the workspace"] : [];
  const byEnvironment = new Map<string, StepTarget>();
  for (const repo of role.trust.repositories) {
    const repoLabel = repo.name ? `${repo.name} ${repo.uuid}` : repo.uuid;
    if (!repo.environments || repo.environments.length === 0) {
      wide.push(repoLabel);
      continue;
    }
    for (const env of repo.environments) {
      // Bitbucket's deployment: takes the environment's name; without one, the UUID is a placeholder.
      const deployment = env.name ?? env.uuid;
      const target = byEnvironment.get(deployment) ?? { deployment, placeholder: env.name === undefined, repositories: [] };
      target.repositories.push(repoLabel);
      byEnvironment.set(deployment, target);
    }
  }
  return [...(wide.length > 0 ? [{ repositories: wide }] : []), ...byEnvironment.values()];
}

function ecrPushScript(role: AccessRole, grant: EcrPushGrant, region: string): ScriptEntry[] {
  // The grant names repositories by name (checked at validation), which is the pipe's IMAGE_NAME.
  return grant.repositories.flatMap((image) => [
    `docker build -t "${image}:$BITBUCKET_COMMIT" .`,
    {
      pipe: ECR_PUSH_PIPE,
      variables: { AWS_OIDC_ROLE_ARN: roleArnExpression(role), AWS_DEFAULT_REGION: region, IMAGE_NAME: image, TAGS: "$BITBUCKET_COMMIT" },
    },
  ]);
}
