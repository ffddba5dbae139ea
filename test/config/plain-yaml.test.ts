/**
 * The fast reading of plain configs (lib/config/plain-yaml.ts, js-yaml) must give exactly what the
 * `yaml` package gives, or step aside (`undefined`) so that `yaml` reads the config. Judged by `yaml`
 * itself on texts written by `yaml` and JSON in every style they write, from generated configs and
 * generated JSON data (odd keys, Unicode, numbers-as-text), and on a table of scalars that YAML
 * versions and parsers read differently.
 */
import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import { parse, stringify, ToStringOptions } from "yaml";
import { parseConfig } from "../../lib/config/load";
import { readPlainYaml } from "../../lib/config/plain-yaml";
import { validateConfig } from "../../lib/config/validate";
import { wildConfig } from "../support/config-arbitrary";
import { propertyRuns } from "../support/property-runs";

/** How `yaml` and JSON write data: each style once. */
const STYLES: [string, (value: unknown) => string][] = [
  ["JSON", (v) => JSON.stringify(v, null, 2)],
  ["JSON, one line", (v) => JSON.stringify(v)],
  ...(
    [
      ["yaml", {}],
      ["yaml, double quotes", { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" }],
      ["yaml, single quotes", { defaultStringType: "QUOTE_SINGLE" }],
      ["yaml, flow", { collectionStyle: "flow" }],
      ["yaml, folded at 20 columns", { lineWidth: 20, minContentWidth: 0 }],
      ["yaml, indent 4, flat sequences", { indent: 4, indentSeq: false }],
    ] as [string, ToStringOptions][]
  ).map(([name, options]): [string, (value: unknown) => string] => [name, (v) => stringify(v, { aliasDuplicateObjects: false, ...options })]),
  // yaml's default writes an object met twice as an anchor and aliases: never plain.
  ["yaml with aliases", (v) => stringify(v)],
];

/** What `yaml` reads, as parseConfig's `yaml` path does (unique keys, aliases expanded). */
function yamlReading(text: string): unknown {
  return parse(text, { uniqueKeys: true, prettyErrors: false, maxAliasCount: 10000 });
}

/** Checks one text; returns whether the fast reading took it. */
function agrees(text: string): boolean {
  const fast = readPlainYaml(text);
  if (fast === undefined) return false;
  let slow: unknown;
  try {
    slow = yamlReading(text);
  } catch (e) {
    throw new Error(`the fast reading took a text that yaml refuses (${(e as Error).message}):\n${text}`);
  }
  if (!isDeepStrictEqual(fast, slow)) expect({ text, fast }).toEqual({ text, fast: slow });
  return true;
}

describe("the fast reading of plain YAML agrees with the yaml package", () => {
  test("GIVEN generated configs, written in every style THEN each reading the fast path takes equals yaml's, and so does the validated config", () => {
    let taken = 0;
    let total = 0;
    fc.assert(
      fc.property(wildConfig(), (config) => {
        for (const [, write] of STYLES) {
          const text = write(config);
          total++;
          if (!agrees(text)) continue;
          taken++;
          // The whole of parseConfig: the config it returns (or the problems it reports) as from yaml's reading.
          let viaYaml: unknown;
          try {
            viaYaml = validateConfig(yamlReading(text), "c.yaml");
          } catch (e) {
            viaYaml = (e as Error).message;
          }
          let viaParse: unknown;
          try {
            viaParse = parseConfig(text, "c.yaml");
          } catch (e) {
            // The same problems; parseConfig adds their lines (c.yaml:12).
            viaParse = (e as Error).message.replace(/c\.yaml:\d+ /g, "c.yaml ");
          }
          expect(viaParse).toEqual(viaYaml);
        }
      }),
      { numRuns: propertyRuns(40), seed: 4242 },
    );
    // Not vacuous: about half of these texts are plain (the rest have escapes, aliases or odd keys).
    expect(taken).toBeGreaterThan(total / 3);
  });

  test("GIVEN generated JSON data with odd keys and text THEN each reading the fast path takes equals yaml's", () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.constantFrom("null", "~", "true", "False", "0o17", "0x1F", "1e3", ".inf", "-.NaN", "1_000", "yes", "2001-12-14", "a,b", "[a]", "<<", "#x", "- a", "? a", "a: b"));
    const data = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small" }, text, fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), tie("list"), tie("map")),
      list: fc.array(tie("value"), { maxLength: 4 }),
      map: fc.dictionary(text, tie("value"), { maxKeys: 4 }),
    })).map;
    let taken = 0;
    fc.assert(
      fc.property(data, (value) => {
        for (const [, write] of STYLES) if (agrees(write(value))) taken++;
      }),
      { numRuns: propertyRuns(200), seed: 4243 },
    );
    expect(taken).toBeGreaterThan(0);
  });

  // Scalars that YAML 1.1, YAML 1.2 and parsers resolve differently, in every position.
  const SCALARS = [
    "null", "Null", "NULL", "nULL", "~", "", "true", "True", "TRUE", "tRUE", "false", "yes", "no", "on", "off", "y", "n",
    "0", "-0", "+0", "00", "017", "0o17", "0O17", "-0o17", "0x1F", "0X1F", "-0x1F", "0b101", "1_000", "+1", "-1", "123456789012", "12345678901234567890123",
    ".5", "5.", "1.0", "-1.50", "1e3", "1E3", "1.5e-3", "+1e+3", "1e", "e3", ".inf", "-.inf", "+.INF", ".Inf", ".NaN", ".nan", ".NAN", "NaN", "Infinity",
    "2001-12-14", "2001-12-14t21:59:43.10-05:00", "12:30:45", "1:20", "190:20:30", "=", "-", "--", "a,b", "é", "😀", "arn:aws:s3:::b/*", "${aws:username}", "%{x}",
  ];
  test.each(SCALARS.map((s) => [s]))("GIVEN the plain scalar %j as a value, a key and in flow THEN the fast reading equals yaml's or steps aside", (s) => {
    for (const text of [`k: ${s}\n`, `k:\n  - ${s}\n`, `${s}: v\n`, `k: [${s}, x]\n`, `k: {${s}: v}\n`, `k: '${s}'\n`, `k: "${s}"\n`]) {
      let yamlOk = true;
      try {
        yamlReading(text);
      } catch {
        yamlOk = false;
      }
      if (yamlOk) agrees(text);
      else expect(readPlainYaml(text)).toBeUndefined();
    }
  });

  test.each([
    ["an anchor and an alias", "a: &x [1, 2]\nb: *x\n"],
    ["an anchored scalar", "a: &x text\n"],
    ["an alias bomb", `a: &a ["x","x"]\nb: &b [*a,*a]\nc: [*b,*b]\n`],
    ["a YAML 1.1 directive", "%YAML 1.1\n---\na: yes\n"],
    ["a merge key", "base: {x: 1}\nrole:\n  <<: {x: 2}\n"],
    ["an explicit key", "? a\n: b\n"],
    ["a sequence as a key", "[a]: b\n"],
    ["a mapping as a key", "{a: 1}: b\n"],
    ["a null key", "~: b\n"],
    ["an empty key", ": b\nc: d\n"],
    ["a key made of a list", "k: {[a, b]: c}\n"],
    ["an escape", 'a: "x\\ty"\n'],
    ["a tab", "a:\tb\n"],
    ["a carriage return", "a: b\r\nc: d\r\n"],
    ["a byte-order mark", "\ufeffa: b\n"],
    ["a literal block scalar", "a: |\n  text\n"],
    ["a folded block scalar with indicators", "a: >2-\n   text\n"],
    ["a duplicate key", "a: 1\na: 2\n"],
    ["a number key and its text", '1: a\n"1": b\n'],
    ["two documents", "a: 1\n---\nb: 2\n"],
    ["a list at the top", "- a\n"],
    ["a scalar at the top", "text\n"],
    ["an empty document", "# nothing\n"],
  ])("GIVEN %s THEN the fast reading steps aside", (_name, text) => {
    expect(readPlainYaml(text)).toBeUndefined();
  });

  test("GIVEN a plain config with an invalid value THEN parseConfig still reports its line (read again by yaml)", () => {
    expect(() => parseConfig("version: 1\nstack: x\nworkspace:\n  slug: acme\n  uuid: nope\n", "c.yaml")).toThrow(/c\.yaml:5 workspace\.uuid: "nope"/);
  });
});
