/**
 * `statements`: free-form statements for everything the other grant kinds do not cover; every action
 * name is checked, and the policy is written as given.
 */
import { checkStatements } from "../iam/inline-policies";
import { PolicyStatementProps, toIamStatement } from "../iam/policy-document";
import type { GrantKindDescriptor } from "./grant-types";

/** The `statements` grant kind (registered in ./registry.ts): an empty list writes no policy. */
export const statements: GrantKindDescriptor<"statements", readonly PolicyStatementProps[]> = {
  name: "statements",
  check: (given, _ctx, path, list) => checkStatements(given, path, list),
  output: (given) => ({ statements: given.map(toIamStatement), managedPolicyArns: [] }),
};
