import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderSnippet } from "../../lib/pipelines/render";
import { REPO_ROOT, synthExample } from "./support";

/** `<!-- snippet: <role> -->` followed by a yaml fence: the README's copies of generated snippets. */
const SNIPPET_BLOCK = /<!-- snippet: ([^\s]+) -->\n```yaml\n([\s\S]*?)```\n/g;

describe("the README's Bitbucket Pipelines section", () => {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Bitbucket Pipelines steps"), readme.indexOf("\n## ", readme.indexOf("## Bitbucket Pipelines steps") + 1));
  const blocks = [...section.matchAll(SNIPPET_BLOCK)].map((m) => ({ role: m[1], text: m[2] }));

  test("GIVEN the section WHEN read THEN it shows at least one generated snippet and no hand-written step", () => {
    expect(blocks.length).toBeGreaterThan(0);
    // Every yaml example with a step in the section is a marked, generated one.
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
        // On a difference: npm run synth && npm run snippet -- <role>, and paste the output into the README.
        expect({ role, text }).toEqual({ role, text: generated });
        expect(out.file(`pipelines/${role}.yml`)).toBe(generated);
      }
    } finally {
      out.dispose();
    }
  });
});
