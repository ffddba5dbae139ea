/**
 * Config text is literal: Terraform must never read it as an interpolation (`${...}`) or a template
 * directive (`%{...}`). IAM policy variables such as `${aws:username}` in a statement's resources or
 * conditions, or a description mentioning `${`, would otherwise be evaluated by Terraform (and fail,
 * or worse, resolve). Terraform's escapes are `$${` and `%%{`.
 */
import { setOwnProperty } from "../core/own-property";

/** Escapes one string for a Terraform JSON string value. */
export function escapeTerraformText(text: string): string {
  // Most text has no brace at all: skip the two scans (a large synth maps every string of its config).
  if (!text.includes("{")) return text;
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** Undoes {@link escapeTerraformText}: the text as Terraform renders it. */
export function unescapeTerraformText(text: string): string {
  if (!text.includes("{")) return text;
  return text.replace(/\$\$\{/g, () => "${").replace(/%%\{/g, () => "%{");
}

/** Maps every string (values and object keys) of a plain JSON-like value, into new arrays and objects. */
function mapStrings<T>(value: T, f: (s: string) => string): T {
  if (typeof value === "string") return f(value) as T;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = mapStrings(value[i], f);
    return out as T;
  }
  // Plain objects of any realm (a config may come from another vm context) or with a null prototype.
  if (value && typeof value === "object" && Object.prototype.toString.call(value) === "[object Object]") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) setOwnProperty(out, f(k), mapStrings((value as Record<string, unknown>)[k], f));
    return out as T;
  }
  return value;
}

/** Escapes every string of config data (values and keys) on its way into Terraform resources. */
export function escapeConfigText<T>(value: T): T {
  return mapStrings(value, escapeTerraformText);
}

/** Unescapes every string of a value read back from the constructs or cdk.tf.json. */
export function unescapeConfigText<T>(value: T): T {
  return mapStrings(value, unescapeTerraformText);
}
