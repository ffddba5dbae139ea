import fc from "fast-check";
import { renderSnippet, snippetDocument, snippetHeader } from "../../lib/pipelines/render";
import { snippetText } from "../../lib/pipelines/snippet-text";
import { ScriptEntry, SnippetStep, stepsForRole } from "../../lib/pipelines/steps";
import { AccessModel } from "../../lib/access-model/access-model";
import { baseConfig, synthConfig, UUIDS } from "../support/synth";
import { synthExample } from "./support";

/**
 * Synth writes each role's snippet from a template (snippetText) instead of a YAML document; the
 * bytes must be the YAML library's (snippetDocument). Proved on real synth output of every shape of
 * trust, and on generated texts: whenever the template writes a snippet, it is the document's.
 */

function models(): AccessModel[] {
  const configs = [
    baseConfig({
      roles: [
        {
          name: "bitbucket-deploy",
          repositories: [
            { uuid: UUIDS.repoA, name: "web-app", environments: [{ uuid: UUIDS.envProduction, name: "production" }, { uuid: UUIDS.envStaging }] },
            { uuid: UUIDS.repoC, name: "tools" },
          ],
        },
        { name: "bitbucket-any", anyRepositoryInWorkspace: true },
        { name: "bitbucket-ecr", repositories: [{ uuid: UUIDS.repoB, name: "api" }], grants: { ecrPush: { repositories: ["api", "worker"] } } },
      ],
    }),
    // No account id: the header says which variable to set, with an indented command.
    baseConfig({ aws: { region: "eu-west-1" } }),
  ];
  const outs = [synthExample(), ...configs.map((c) => synthConfig(c))];
  try {
    return outs.map((o) => o.accessModel());
  } finally {
    outs.forEach((o) => o.dispose());
  }
}

describe("snippetText writes what the YAML library writes", () => {
  const all = models();

  test.each(all.flatMap((model) => model.roles.flatMap((role) => [false, true].map((debug) => [model.stack, role.name, debug] as const))))(
    "GIVEN synthesized stack %s, role %s (debug %s) WHEN rendered THEN the bytes equal the YAML document's, and synth's snippets (no debug) come from the template",
    (stack, name, debug) => {
      const model = all.find((m) => m.stack === stack && m.roles.some((r) => r.name === name))!;
      const role = model.roles.find((r) => r.name === name)!;
      const steps = stepsForRole(model, role, { debug });
      const header = snippetHeader(model, role, { debug });
      const document = snippetDocument(header, steps);
      expect(renderSnippet(model, role, { debug })).toBe(document);
      // The debug pre-flight entry (only `snippet --debug` prints it) may go through the YAML library.
      if (!debug) expect(snippetText(header, steps)).toBe(document);
    },
  );

  test("GIVEN the placeholder deployment and the indented header command WHEN rendered THEN the template wrote both (not the fallback)", () => {
    const texts = all.flatMap((model) => model.roles.map((role) => snippetText(snippetHeader(model, role), stepsForRole(model, role)) ?? ""));
    expect(texts.some((t) => t.includes(`deployment: "${UUIDS.envStaging}" # replace with`))).toBe(true);
    expect(texts.some((t) => t.includes("#   terraform -chdir=cdktf.out/stacks/"))).toBe(true);
  });

  // Texts mixing the characters that change how YAML writes a scalar: quotes, `: `, ` #`, leading
  // indicators, spaces at the ends, newlines, blank lines, non-ASCII, words that read as other types.
  const piece = fc.constantFrom("a", "Z", "$X", "/p", "0", "1.5", ":", ": ", " #", "#", "-", "- ", "'", '"', "{", "[", ",", "&", "*", "!", "|", ">", "%", "@", "`", " ", "  ", "\n", "\n\n", "\t", "é", "true", "null", "No", "~", ".inf", "\\");
  const text = fc.array(piece, { minLength: 1, maxLength: 6 }).map((p) => p.join(""));
  const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
  // Mostly texts the template writes, so that it does write many snippets; some of every kind.
  const scalar = fc.oneof(
    { arbitrary: word, weight: 6 },
    { arbitrary: word.map((w) => `${w} value`), weight: 2 },
    { arbitrary: word.map((w) => `{${w}}`), weight: 1 },
    { arbitrary: fc.constant("line one\n  line two\nline three\n"), weight: 1 },
    { arbitrary: text, weight: 1 },
  );
  const entry: fc.Arbitrary<ScriptEntry> = fc.oneof(scalar, fc.record({ pipe: scalar, variables: fc.dictionary(fc.oneof(word, text), scalar, { minKeys: 1, maxKeys: 3 }) }));
  const step: fc.Arbitrary<SnippetStep> = fc.record({
    step: fc.record(
      { name: scalar, deployment: scalar, oidc: fc.constant(true as const), services: fc.array(scalar, { minLength: 1, maxLength: 2 }), script: fc.array(entry, { minLength: 1, maxLength: 3 }) },
      { requiredKeys: ["name", "oidc", "script"] },
    ),
    note: fc.oneof({ arbitrary: word.map((w) => `For ${w}: any step may assume it.`), weight: 6 }, { arbitrary: text, weight: 1 }),
    deploymentPlaceholder: fc.boolean(),
  });

  test("GIVEN generated steps, notes and header lines WHEN the template writes a snippet THEN it is byte for byte the YAML document's", () => {
    let written = 0;
    fc.assert(
      fc.property(fc.array(fc.oneof({ arbitrary: word, weight: 4 }, { arbitrary: word.map((w) => `  ${w} -x`), weight: 2 }, { arbitrary: text, weight: 1 }), { minLength: 1, maxLength: 3 }), fc.array(step, { minLength: 1, maxLength: 3 }), (header, steps) => {
        const fast = snippetText(header, steps);
        if (fast !== undefined) {
          written++;
          expect(fast).toBe(snippetDocument(header, steps));
        }
      }),
      { numRuns: 3000 },
    );
    // The property must not hold only because the template always gave up.
    expect(written).toBeGreaterThan(100);
  });
});
