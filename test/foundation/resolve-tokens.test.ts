import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Lazy, TerraformStack, Token } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { resolveTokens } from "../../lib/core/resolve-tokens";

/** resolveTokens skips cdktf's walk only for values without tokens: every kind of token still resolves. */
describe("resolveTokens", () => {
  const outdir = mkdtempSync(join(tmpdir(), "bbo-resolve-"));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const stack = new TerraformStack(new App({ outdir }), "s");
  const role = new IamRole(stack, "r", { assumeRolePolicy: "{}" });

  test.each([
    ["a reference in a string", `arn of ${role.arn}`, "arn of ${aws_iam_role.r.arn}"],
    ["a reference in a policy document", { Statement: [{ Resource: [role.arn, "*"] }] }, { Statement: [{ Resource: ["${aws_iam_role.r.arn}", "*"] }] }],
    ["a lazy string", { a: Lazy.stringValue({ produce: () => "x" }) }, { a: "x" }],
    ["a list token", Token.asList(Lazy.listValue({ produce: () => ["a", "b"] })), ["a", "b"]],
    ["a number token", { n: Token.asNumber(Lazy.numberValue({ produce: () => 7 })) }, { n: 7 }],
    ["a number-list token", { n: Token.asNumberList(Lazy.anyValue({ produce: () => [1, 2] })) }, { n: [1, 2] }],
    ["a map token", Token.asStringMap(Lazy.anyValue({ produce: () => ({ k: "v" }) })), { k: "v" }],
    ["an IResolvable", Lazy.anyValue({ produce: () => ({ k: 1 }) }), { k: 1 }],
  ])("GIVEN %s WHEN resolved THEN it is what Terraform receives", (_, value, expected) => {
    expect(resolveTokens(stack, value)).toEqual(expected);
  });

  test("GIVEN values without tokens WHEN resolved THEN they come back unchanged", () => {
    const doc = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*", Condition: { NumericLessThan: { n: 3 } } }] };
    expect(resolveTokens(stack, doc)).toBe(doc);
    expect(resolveTokens(stack, "plain ${var.x} text")).toBe("plain ${var.x} text");
    expect(resolveTokens(stack, undefined)).toBeUndefined();
    expect(resolveTokens(stack, 5)).toBe(5);
  });
});
