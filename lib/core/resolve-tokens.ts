import { DefaultTokenResolver, StringConcat, Tokenization } from "cdktf";
import { IConstruct } from "constructs";

/**
 * What a value (a string, a list, a policy document) holds when cdktf resolves its tokens in `scope`:
 * literals, or `${...}` Terraform references. A value without any token is returned as it is, without
 * cdktf's walk over it (synth resolves every role's policies this way, and most hold no token).
 */
export function resolveTokens(scope: IConstruct, value: unknown): unknown {
  if (value === undefined || value === null || typeof value === "boolean") return value;
  if ((typeof value === "string" || typeof value === "object") && !mayHoldTokens(value)) return value;
  return Tokenization.resolve(value, { scope, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) });
}

/**
 * Tokens show in JSON as `${TfToken[..]}`-style markers, `<unresolved-token>` (an IResolvable's
 * toJSON) or, for numbers, a double beyond 1e+200 (cdktf's number and number-list tokens). A value
 * whose JSON has none of them holds no token.
 */
function mayHoldTokens(value: string | object): boolean {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text === undefined || /TfToken\[|unresolved|e\+[2-9]\d\d/i.test(text) || (typeof value === "object" && Tokenization.isResolvable(value));
}
