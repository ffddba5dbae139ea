import { isMap, isSeq, LineCounter, Node, parseDocument } from "yaml";
import { checkDocumentShape, checkFlowDepth, checkTextSize, notAMapping, readConfigFile } from "./input-limits";
import { BitbucketOidcConfig } from "./model";
import { readPlainYaml } from "./plain-yaml";
import { ConfigError, Locator, validateConfig } from "./validate";

/** The bundled example, used when no path is given and BITBUCKET_OIDC_CONFIG is not set. */
export const DEFAULT_CONFIG_FILE = "bitbucket-oidc.yaml";

/** The config file to use: an explicit path, else `$BITBUCKET_OIDC_CONFIG`, else `bitbucket-oidc.yaml`. */
export function configPath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit ?? (env.BITBUCKET_OIDC_CONFIG || DEFAULT_CONFIG_FILE);
}

/**
 * Reads, parses and validates a YAML config file. Throws {@link ConfigError} naming the file (as
 * `shownAs`, the path as the user gave it; default `file`), the line, the field, the value and what
 * was expected, for every problem at once.
 */
export function loadConfig(file: string, shownAs: string = file): BitbucketOidcConfig {
  const read = readConfigFile(file, shownAs);
  if ("problem" in read) throw new ConfigError(shownAs, [read.problem]);
  return parseConfig(read.text, shownAs);
}

/** Parses and validates YAML text; `file` names it in messages. */
export function parseConfig(text: string, file: string): BitbucketOidcConfig {
  const tooLarge = checkTextSize(text) ?? checkFlowDepth(text);
  if (tooLarge) throw new ConfigError(file, [tooLarge]);
  // A plain document is read fast; an invalid one is read again below, for the lines of its problems.
  const plain = readPlainYaml(text);
  if (plain !== undefined) {
    try {
      return validateConfig(plain, file);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
    }
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({ path: `line ${lineCounter.linePos(e.pos[0]).line}`, value: undefined, message: `YAML syntax: ${e.message.split("\n")[0]}` })),
    );
  }
  const shape = checkDocumentShape(doc);
  if (shape) throw new ConfigError(file, [shape]);
  let input: unknown;
  try {
    input = doc.toJS({ maxAliasCount: 10000 });
  } catch (e) {
    throw new ConfigError(file, [{ path: "", value: undefined, message: `YAML: ${(e as Error).message}` }]);
  }
  const notMapping = notAMapping(input, Buffer.byteLength(text, "utf8"));
  if (notMapping) throw new ConfigError(file, [notMapping]);
  return validateConfig(input, file, locator(doc.contents, lineCounter));
}

/** Maps a field path such as `roles[0].repositories[1].uuid` to its line, or the nearest parent's. */
function locator(root: unknown, lines: LineCounter): Locator {
  return (path) => {
    const segments = path.match(/[^.[\]]+/g) ?? [];
    let node = root as Node | null | undefined;
    let line: number | undefined = node?.range ? lines.linePos(node.range[0]).line : undefined;
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i];
      if (isMap(node)) {
        // A key may itself hold dots (a role name such as "ci.deploy" under overrides): try the
        // segment alone, then joined with the ones after it.
        let pair;
        for (let j = i, key = seg; j < segments.length && !pair; key = `${key}.${segments[++j]}`) {
          pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
          if (pair) i = j;
        }
        if (!pair) break;
        const keyNode = pair.key as Node;
        if (keyNode?.range) line = lines.linePos(keyNode.range[0]).line;
        node = pair.value as Node;
      } else if (isSeq(node) && /^\d+$/.test(seg)) {
        node = node.items[Number(seg)] as Node;
        if (node?.range) line = lines.linePos(node.range[0]).line;
      } else {
        break;
      }
    }
    return line;
  };
}
