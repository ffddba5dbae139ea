/**
 * The config shape has one source, lib/schema/config-schema.ts. The published
 * bitbucket-oidc.schema.json and the types lib/schema/config-types.ts are generated from it
 * (`npm run schema`); this fails when either is stale, and checks that the `$schema` line of the
 * bundled example still reaches a schema that accepts it.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import Ajv from "ajv";
import { parse } from "yaml";
import { CONFIG_SCHEMA } from "../../lib/schema/config-schema";

const ROOT = join(__dirname, "..", "..");

function runCheck(): { code: number; stderr: string } {
  try {
    execFileSync(process.execPath, [join(ROOT, "scripts", "schema.js"), "--check"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
    return { code: 0, stderr: "" };
  } catch (e) {
    const err = e as { status: number; stderr: string };
    return { code: err.status, stderr: err.stderr };
  }
}

describe("one source of truth for the config shape", () => {
  test("GIVEN the generated files THEN `npm run schema -- --check` finds them up to date", () => {
    expect(runCheck()).toEqual({ code: 0, stderr: "" });
  });

  test("GIVEN the published schema THEN it is exactly the source's JSON", () => {
    expect(JSON.parse(readFileSync(join(ROOT, "bitbucket-oidc.schema.json"), "utf8"))).toEqual(JSON.parse(JSON.stringify(CONFIG_SCHEMA)));
  });

  test("GIVEN the example's $schema line THEN it names the published file, which accepts the example", () => {
    const file = join(ROOT, "bitbucket-oidc.yaml");
    const text = readFileSync(file, "utf8");
    const line = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text);
    expect(line?.[1]).toBe("./bitbucket-oidc.schema.json");
    const target = resolve(dirname(file), line![1]);
    expect(existsSync(target)).toBe(true);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(target, "utf8")));
    expect(validate(parse(text)) ? [] : validate.errors).toEqual([]);
  });

  test("GIVEN every object of the schema THEN it is closed, or a map of the user's own names", () => {
    const open: string[] = [];
    const visit = (node: unknown, at: string): void => {
      if (node === null || typeof node !== "object") return;
      const n = node as Record<string, unknown>;
      if (n.type === "object" && n.additionalProperties !== false && !(typeof n.additionalProperties === "object" && n.properties === undefined)) open.push(at);
      for (const [k, v] of Object.entries(n)) visit(v, `${at}/${k}`);
    };
    visit(CONFIG_SCHEMA, "#");
    expect(open).toEqual([]);
  });

  test("GIVEN accounts[].overrides.<role> THEN it reuses the role's own definitions: every role key but name and accounts", () => {
    const defs = CONFIG_SCHEMA.definitions;
    expect(defs.account.properties.overrides.additionalProperties).toEqual({ $ref: "#/definitions/roleOverride" });
    const { name: _name, accounts: _accounts, ...rest } = defs.role.properties;
    expect(defs.roleOverride.properties).toEqual(rest);
    expect(defs.roleOverride.additionalProperties).toBe(false);
  });
});
