/**
 * A Terraform-safe construct id for a name from the config (role names may hold `+=,.@`): every
 * other character becomes `_`. The id, not a list position, names the resource, so reordering
 * roles changes nothing in the output.
 */
export function terraformId(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, "_");
}
