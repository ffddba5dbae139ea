/**
 * Synth stays linear in the number of roles: no step walks the whole construct tree once per role
 * (the access model once did, and 1,000 roles took 17 s instead of 4). Counted, not timed: the number
 * of whole-tree walks (`node.findAll()` from a stack or the app) must not grow with the roles.
 */
import { Node } from "constructs";
import { BitbucketOidcConfigInput } from "../../lib/config/model";
import { baseConfig, withSynth } from "../support/synth";

function configWith(roles: number): BitbucketOidcConfigInput {
  const template = (baseConfig().roles ?? [])[0];
  return baseConfig({ roles: Array.from({ length: roles }, (_, i) => ({ ...template, name: `role-${i}` })) });
}

/** Whole-stack (or whole-app) walks during one synth of `roles` roles, and the stacks' role count as a check. */
function walksFor(roles: number): number {
  const findAll = jest.spyOn(Node.prototype, "findAll");
  try {
    withSynth(configWith(roles), (out) => expect(out.accessModel().roles).toHaveLength(roles));
    // A walk from the app ("") or a stack (a top-level path) visits every role; walks from inside a role are its own business.
    return findAll.mock.contexts.filter((node) => !(node as Node).path.includes("/")).length;
  } finally {
    findAll.mockRestore();
  }
}

test("GIVEN 3 roles and 30 roles THEN synth walks the stacks the same number of times", () => {
  const few = walksFor(3);
  const many = walksFor(30);
  expect(few).toBeGreaterThan(0);
  expect(many).toBe(few);
});
