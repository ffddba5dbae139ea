/**
 * scripts/check-api-docs.js, the build's check of the public API: every exported symbol (and every
 * type of ours it reaches) documented, no `any`. Run against small declaration files written here;
 * the package's own declarations pass it in every `npm pack` of the consumer tests (prepack).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { checkApiDocs } = require("../../scripts/check-api-docs") as { checkApiDocs(entry: string): string[] };

function check(files: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), "bbo-api-docs-"));
  try {
    mkdirSync(join(dir, "dist", "lib"), { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, "dist", "lib", name), text);
    return checkApiDocs(join(dir, "dist", "lib", "index.d.ts")).map((f) => f.replace(/^\S+ /, ""));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("check-api-docs", () => {
  test("GIVEN documented exports without any WHEN checked THEN no finding", () => {
    expect(
      check({
        "index.d.ts": [
          "/** A thing. */",
          "export interface Thing {",
          "  /** Its name. */",
          "  readonly name: string;",
          "}",
          "/** Makes a thing. */",
          "export declare function make(name: string): Thing;",
          "/** A holder. */",
          "export declare class Holder {",
          "  private secret;",
          "  /** The thing held. */",
          "  readonly thing: Thing;",
          "  constructor(thing: Thing);",
          "}",
        ].join("\n"),
      }),
    ).toEqual([]);
  });

  test("GIVEN an undocumented export, an undocumented member and an any WHEN checked THEN each is a finding", () => {
    expect(
      check({
        "index.d.ts": [
          "export declare function make(name: string): void;",
          "/** A holder. */",
          "export declare class Holder {",
          "  readonly thing: string;",
          "  /** Loose. */",
          "  readonly loose: Record<string, any>;",
          "}",
        ].join("\n"),
      }),
    ).toEqual(["make: no TSDoc comment", "Holder.thing: no TSDoc comment", "Holder: `any` in the public API: readonly loose: Record<string, any>;"]);
  });

  test("GIVEN an exported type that refers to an unexported, undocumented type of ours WHEN checked THEN that type is a finding too", () => {
    expect(
      check({
        "index.d.ts": 'export { Props } from "./props";',
        "props.d.ts": ["interface Inner {", "  /** A value. */", "  readonly value: string;", "}", "/** Props. */", "export interface Props {", "  /** Inner. */", "  readonly inner: Inner;", "}"].join("\n"),
      }),
    ).toEqual(["Inner: no TSDoc comment"]);
  });
});
