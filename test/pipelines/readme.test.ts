import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderSnippet } from "../../lib/pipelines/render";
import { REPO_ROOT, synthExample } from "./support";

/** `<!-- snippet: <role> -->` followed by a yaml fence: the docs' copies of generated snippets. */
const SNIPPET_BLOCK = /<!-- snippet: ([^\s]+) -->\n```yaml\n([\s\S]*?)```\n/g;

describe("the Bitbucket Pipelines steps page (docs/pipelines.md)", () => {
  // The whole page is the section (it used to be the README's "## Bitbucket Pipelines steps").
  const section = readFileSync(join(REPO_ROOT, "docs", "pipelines.md"), "utf8");
  const blocks = [...section.matchAll(SNIPPET_BLOCK)].map((m) => ({ role: m[1], text: m[2] }));

  test("GIVEN the page WHEN read THEN it shows at least one generated snippet and no hand-written step", () => {
    expect(blocks.length).toBeGreaterThan(0);
    expect(section.startsWith("# Bitbucket Pipelines steps\n")).toBe(true);
    // Every yaml example with a step on the page is a marked, generated one.
    expect((section.match(/```yaml\n[\s\S]*?- step:/g) ?? []).length).toBe(blocks.length);
  });

  test("GIVEN the example config synthesized for real WHEN each marked snippet is compared THEN it equals the generator's output", () => {
    const out = synthExample();
    try {
      const model = out.accessModel();
      for (const { role, text } of blocks) {
        const accessRole = model.roles.find((r) => r.name === role);
        expect({ role, found: accessRole !== undefined }).toEqual({ role, found: true });
        const generated = renderSnippet(model, accessRole!);
        // On a difference: npm run synth && npm run snippet -- <role>, and paste the output into docs/pipelines.md.
        expect({ role, text }).toEqual({ role, text: generated });
        expect(out.file(`pipelines/${role}.yml`)).toBe(generated);
      }
    } finally {
      out.dispose();
    }
  });
});
