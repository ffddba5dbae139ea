/**
 * The grant kinds: the one list. Adding a kind is a file in this folder exporting a
 * `GrantKindDescriptor` (its options type, checks and statements) plus its line here; the `Grants`
 * type, `GRANT_KINDS`, the checks and the composition follow from this list. The config schema
 * (`bitbucket-oidc.schema.json`) still needs the kind's part by hand.
 */
import { ecrPush } from "./ecr-push";
import { s3Deploy } from "./s3-deploy";
import { statements } from "./statements";
import { terraformPlan } from "./terraform-plan";
import { terraformState } from "./terraform-state";

/** Every grant kind, in the order their policies are written (the first holder of a statement keeps it). */
export const GRANT_REGISTRY = [
  ecrPush,
  terraformState,
  terraformPlan,
  s3Deploy,
  statements, // free-form statements last: a grant's own statement wins over a repeat here
] as const;

/** The grant kinds' names, in the order their policies are written. */
export const GRANT_KINDS: readonly (typeof GRANT_REGISTRY)[number]["name"][] = GRANT_REGISTRY.map((kind) => kind.name);
