/**
 * A small checker for Bitbucket Pipelines scripts: finds lines that print or store credentials, the
 * way the common recipe does (`... assume-role-with-web-identity > credentials.json`,
 * `cat credentials.json`, `export AWS_SECRET_ACCESS_KEY=$(... | jq ...)`). One rule per kind of leak,
 * each finding with the rule id, the offending line and the fix.
 */

/** A script line that leaks, or may leak, a credential. */
export interface ScriptFinding {
  readonly rule: string;
  /** Where: the step (e.g. `pipelines.default[0].step "Plan"`) and the script entry. */
  readonly where: string;
  readonly line: string;
  readonly message: string;
}

/** A step's scripts as found in a pipeline document. */
export interface FoundStep {
  /** Path of the step in the document, e.g. `pipelines.branches.main[1].step`. */
  readonly path: string;
  readonly step: Readonly<Record<string, unknown>>;
  /** Shell entries of `script` and `after-script` (pipes left out), in order. */
  readonly commands: readonly string[];
}

interface Rule {
  readonly id: string;
  readonly test: (line: string) => boolean;
  readonly message: string;
}

const SECRET_VARIABLES = /\$\{?(AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AWS_ACCESS_KEY_ID|BITBUCKET_STEP_OIDC_TOKEN)\b/;
const SECRET_NAMES = /\bAWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)\b/;
const PRINTS = /(^|[;&|(]\s*|\bthen\s+|\bdo\s+)(echo|printf|cat)\b/;
/** A redirect target that is safe: the web-identity token file, or a fresh file under /tmp. */
const SAFE_TARGET = /(>|>>)\s*"?(\$\{?AWS_WEB_IDENTITY_TOKEN_FILE\}?|\/tmp\/|\$\(mktemp)/;

/** True when the line redirects to a safe target, or to a variable it fills from mktemp first (`f="$(mktemp)"; ... > "$f"`). */
function writesSafely(line: string): boolean {
  if (SAFE_TARGET.test(line)) return true;
  const fresh = [...line.matchAll(/\b(\w+)="?\$\(mktemp\b/g)].map((m) => m[1]);
  return fresh.some((name) => new RegExp(`(>|>>)\\s*"?\\$\\{?${name}\\}?"?(\\s|;|\\)|$)`).test(line));
}

const RULES: readonly Rule[] = [
  {
    id: "no-xtrace",
    test: (l) => /\bset\s+(-[a-wyzA-Z]*x|-o\s+xtrace)\b/.test(l) || /\b(ba)?sh\s+-[a-zA-Z]*x\b/.test(l),
    message: "shell tracing echoes every expanded command, token and credentials included, into the log; remove it",
  },
  {
    id: "no-assume-role-output",
    test: (l) => /\baws\s+sts\s+(assume-role(-with-web-identity)?|get-session-token|get-federation-token)\b/.test(l) || /\baws\s+configure\s+export-credentials\b/.test(l),
    message:
      "this prints live credentials (or stores them in a file); export AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE instead and let the CLI, SDKs and Terraform assume the role",
  },
  {
    id: "no-cat-credentials",
    // Command substitutions are left out: their output goes into a variable, not the log.
    test: (l) => /\b(cat|less|more|head|tail|bat|jq)\b[^|;&]*(cred\w*|\.aws\/|web-identity-token|oidc[-_]?token)/i.test(withoutSubstitutions(l)) && !writesSafely(l),
    message: "this prints a credentials or token file into the build log; never print it",
  },
  {
    id: "no-export-secret-from-output",
    test: (l) => new RegExp(`\\bexport\\s+${SECRET_NAMES.source}=.*(\\$\\(|\`)`).test(l) || /\baws\s+configure\s+set\s+aws_(secret_access_key|session_token|access_key_id)\b/.test(l),
    message: "a secret taken from command output (e.g. jq over assume-role's answer) lives in the environment and the log; use the web-identity variables instead",
  },
  {
    id: "no-print-secret",
    test: (l) =>
      (PRINTS.test(l) && SECRET_VARIABLES.test(l) && !writesSafely(l)) ||
      new RegExp(`\\bprintenv\\s+(\\w+\\s+)*(${SECRET_NAMES.source}|BITBUCKET_STEP_OIDC_TOKEN\\b)`).test(l),
    message: "this prints (or writes into the clone) the OIDC token or a credential; write the token only to $AWS_WEB_IDENTITY_TOKEN_FILE under /tmp",
  },
  {
    id: "no-dump-environment",
    test: (l) => /(^|[;&|]\s*)(env|printenv|export\s+-p|declare\s+-p|set)\s*($|[|;&>])/.test(l),
    message: "this prints every variable, BITBUCKET_STEP_OIDC_TOKEN included; print the variables you need by name",
  },
];

/** Splits a script entry into logical lines: comments dropped, `\` continuations joined. */
export function logicalLines(entry: string): string[] {
  const joined = entry.replace(/\\\r?\n/g, " ");
  return joined
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith("#"));
}

/** Checks shell script entries; returns every finding (empty: nothing prints or stores a credential). */
export function checkScript(entries: readonly string[], where = "script"): ScriptFinding[] {
  const findings: ScriptFinding[] = [];
  entries.forEach((entry, i) => {
    for (const line of logicalLines(entry)) {
      for (const rule of RULES) if (rule.test(line)) findings.push({ rule: rule.id, where: `${where}[${i}]`, line, message: rule.message });
    }
  });
  return findings;
}

/** Every step of a parsed pipeline document (or snippet), wherever it sits. */
export function findSteps(document: unknown): FoundStep[] {
  const found: FoundStep[] = [];
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path}[${i}]`));
      return;
    }
    if (node === null || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      const here = path ? `${path}.${key}` : key;
      if (key === "step" && value !== null && typeof value === "object" && !Array.isArray(value)) {
        const step = value as Record<string, unknown>;
        const commands = [...asList(step.script), ...asList(step["after-script"])].filter((e): e is string => typeof e === "string");
        found.push({ path: here, step, commands });
      } else {
        walk(value, here);
      }
    }
  };
  walk(document, "");
  return found;
}

/** Checks every step of a parsed pipeline document or snippet. */
export function checkPipeline(document: unknown): ScriptFinding[] {
  return findSteps(document).flatMap((s) => checkScript(s.commands, `${s.path} "${String(s.step.name ?? "")}"`));
}

function withoutSubstitutions(line: string): string {
  return line.replace(/\$\([^()]*\)|`[^`]*`/g, "");
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
