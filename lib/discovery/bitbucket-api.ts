/**
 * A small client of Bitbucket Cloud's REST API 2.0, for what `init` and `check-uuids` read: the
 * workspace, its repositories and their deployment environments, with their UUIDs.
 *
 * - Auth from the environment: `BITBUCKET_EMAIL` + `BITBUCKET_API_TOKEN` (an Atlassian API token,
 *   Basic auth; recommended), or `BITBUCKET_TOKEN` (an access token, Bearer).
 * - Base URL from `BITBUCKET_API_URL` (default https://api.bitbucket.org/2.0): https only, except on
 *   the loopback, because it receives the token.
 * - Every list follows `next` across pages. 429 waits for `Retry-After` (at most 60 s a wait, 5 tries).
 * - Errors name the call that failed and the read access it needs; secrets never appear in them.
 */

/** The API root when BITBUCKET_API_URL is not set. */
export const DEFAULT_API_URL = "https://api.bitbucket.org/2.0";

/** The read scopes an Atlassian API token needs for `init` and `check-uuids`. */
export const READ_SCOPES = ["read:workspace:bitbucket", "read:repository:bitbucket", "read:pipeline:bitbucket"] as const;

/** At most this long a wait on `Retry-After`, and this many tries of one call. */
export const RETRY_LIMITS = { maxWaitSeconds: 60, maxTries: 5 } as const;

/** A failure to read from Bitbucket: the message is for the user (exit 2), never holds a secret. */
export class BitbucketApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BitbucketApiError";
  }
}

/** How the client logs in. */
export type BitbucketAuth =
  | { readonly kind: "api-token"; readonly email: string; readonly token: string }
  | { readonly kind: "access-token"; readonly token: string };

/** A workspace as `GET /2.0/workspaces/{workspace}` returns it (the fields used here). */
export interface Workspace {
  readonly slug: string;
  readonly uuid: string;
  readonly name?: string;
}

/** A repository of `GET /2.0/repositories/{workspace}`. */
export interface Repository {
  readonly slug: string;
  readonly uuid: string;
  readonly name?: string;
  readonly full_name?: string;
}

/** A deployment environment of `GET /2.0/repositories/{workspace}/{repo_slug}/environments`. */
export interface Environment {
  readonly uuid: string;
  readonly name: string;
  readonly slug?: string;
  /** `{ name: "Test" | "Staging" | "Production", rank }` */
  readonly environment_type?: { readonly name?: string };
}

/** Options of the client; `fetch` and `sleep` are the real ones unless a caller passes others. */
export interface BitbucketApiOptions {
  readonly baseUrl: string;
  readonly auth: BitbucketAuth;
  /** Progress and waits, one line each. @default none */
  readonly progress?: (line: string) => void;
  /** Waits (for 429). @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Reads auth and the base URL from the environment; throws BitbucketApiError saying what to set. */
export function apiOptionsFromEnv(env: NodeJS.ProcessEnv): Omit<BitbucketApiOptions, "progress" | "sleep"> {
  const baseUrl = checkedBaseUrl(env.BITBUCKET_API_URL || DEFAULT_API_URL);
  const { BITBUCKET_EMAIL: email, BITBUCKET_API_TOKEN: apiToken, BITBUCKET_TOKEN: accessToken } = env;
  if (apiToken && email) return { baseUrl, auth: { kind: "api-token", email, token: apiToken } };
  if (apiToken && !email) throw new BitbucketApiError("BITBUCKET_API_TOKEN is set but BITBUCKET_EMAIL is not: set it to the email of the Atlassian account the API token belongs to");
  if (accessToken) return { baseUrl, auth: { kind: "access-token", token: accessToken } };
  throw new BitbucketApiError(
    `no Bitbucket credentials: set BITBUCKET_EMAIL and BITBUCKET_API_TOKEN (an Atlassian API token with the scopes ${READ_SCOPES.join(", ")}), or BITBUCKET_TOKEN (an access token)`,
  );
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** The API root, refused unless https (or http on the loopback): it receives the token. */
export function checkedBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BitbucketApiError(`BITBUCKET_API_URL "${value}" is not a URL; expected for example ${DEFAULT_API_URL}`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
    throw new BitbucketApiError(`BITBUCKET_API_URL "${url.origin}" must use https (plain http only on 127.0.0.1, localhost or [::1]): it receives your token`);
  }
  if (url.username || url.password) throw new BitbucketApiError("BITBUCKET_API_URL must not hold credentials; use BITBUCKET_EMAIL/BITBUCKET_API_TOKEN or BITBUCKET_TOKEN");
  return url.href.replace(/\/+$/, "");
}

interface ErrorBody {
  error?: { message?: string; detail?: unknown };
}

/** The client. */
export class BitbucketApi {
  private readonly options: BitbucketApiOptions;

  constructor(options: BitbucketApiOptions) {
    this.options = options;
  }

  /** The access-token kind sees what the token's owner sees: a repository token sees one repository. */
  get usesAccessToken(): boolean {
    return this.options.auth.kind === "access-token";
  }

  /** `GET /workspaces/{workspace}` */
  workspace(slug: string): Promise<Workspace> {
    return this.get<Workspace>(`/workspaces/${encodeURIComponent(slug)}`, { call: `reading workspace "${slug}"`, needs: "read access to the workspace", notFound: `workspace "${slug}"` });
  }

  /** `GET /repositories/{workspace}`, every page. */
  repositories(workspace: string): Promise<Repository[]> {
    return this.list<Repository>(`/repositories/${encodeURIComponent(workspace)}?pagelen=100`, {
      call: `listing the repositories of workspace "${workspace}"`,
      needs: "read access to its repositories",
      notFound: `workspace "${workspace}"`,
    });
  }

  /** `GET /repositories/{workspace}/{repo}` (a slug, or a UUID in braces); undefined when it does not exist. */
  async repository(workspace: string, repo: string): Promise<Repository | undefined> {
    try {
      return await this.get<Repository>(`/repositories/${encodeURIComponent(workspace)}/${encodeURIComponent(repo)}`, {
        call: `reading repository "${workspace}/${repo}"`,
        needs: "read access to the repository",
        notFound: "",
      });
    } catch (e) {
      if (e instanceof NotFound) return undefined;
      throw e;
    }
  }

  /** `GET /repositories/{workspace}/{repo}/environments`, every page. */
  environments(workspace: string, repo: string): Promise<Environment[]> {
    return this.list<Environment>(`/repositories/${encodeURIComponent(workspace)}/${encodeURIComponent(repo)}/environments?pagelen=100`, {
      call: `listing the deployment environments of "${workspace}/${repo}"`,
      needs: "read access to its pipelines and deployments",
      notFound: `repository "${workspace}/${repo}"`,
    });
  }

  private async list<T>(path: string, what: CallDescription): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = `${this.options.baseUrl}${path}`;
    const seen = new Set<string>();
    while (next) {
      if (seen.has(next)) throw new BitbucketApiError(`${what.call}: the API returned the same "next" page twice (${redactUrl(next)})`);
      seen.add(next);
      const page: { values?: T[]; next?: string } = await this.request(next, what);
      if (!Array.isArray(page.values)) throw new BitbucketApiError(`${what.call}: the answer has no "values" list; is BITBUCKET_API_URL the API root (${this.options.baseUrl})?`);
      for (const v of page.values) items.push(v);
      next = page.next ? this.sameOrigin(page.next, what) : undefined;
    }
    return items;
  }

  private get<T>(path: string, what: CallDescription): Promise<T> {
    return this.request(`${this.options.baseUrl}${path}`, what);
  }

  /** A `next` link must stay on the API's origin: the token goes with it. */
  private sameOrigin(next: string, what: CallDescription): string {
    const url = new URL(next, this.options.baseUrl);
    if (url.origin !== new URL(this.options.baseUrl).origin) throw new BitbucketApiError(`${what.call}: the next page is on another host (${url.origin}); not sending the token there`);
    return url.href;
  }

  private async request<T>(url: string, what: CallDescription): Promise<T> {
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(url, { headers: { Accept: "application/json", Authorization: this.authorization() }, redirect: "error", signal: AbortSignal.timeout(60_000) });
      } catch (e) {
        throw new BitbucketApiError(`${what.call}: cannot reach ${new URL(url).origin} (${this.redact((e as Error).cause ? String((e as Error).cause) : (e as Error).message)})`);
      }
      if (res.status === 429) {
        const wait = retryAfterSeconds(res.headers.get("retry-after"));
        await res.arrayBuffer();
        if (attempt >= RETRY_LIMITS.maxTries) {
          throw new BitbucketApiError(`${what.call}: Bitbucket's rate limit (429) still holds after ${attempt} tries; wait a few minutes and run it again`);
        }
        this.options.progress?.(`rate limited (429) ${what.call}: waiting ${wait} s (try ${attempt + 1} of ${RETRY_LIMITS.maxTries})`);
        await sleep(wait * 1000);
        continue;
      }
      const text = await res.text();
      if (res.ok) {
        try {
          return JSON.parse(text) as T;
        } catch {
          throw new BitbucketApiError(`${what.call}: the answer is not JSON (HTTP ${res.status}); is BITBUCKET_API_URL the API root (${this.options.baseUrl})?`);
        }
      }
      throw this.failure(res.status, text, what);
    }
  }

  private failure(status: number, body: string, what: CallDescription): Error {
    let detail = "";
    try {
      const message = (JSON.parse(body) as ErrorBody).error?.message;
      if (typeof message === "string") detail = `: ${this.redact(message).slice(0, 300)}`;
    } catch {
      // not a JSON error body
    }
    if (status === 404) return what.notFound ? new BitbucketApiError(`${what.call}: ${what.notFound} not found (404)${detail}; check the name`) : new NotFound();
    if (status === 401) {
      const auth = this.options.auth;
      const appPassword =
        auth.kind === "api-token" && !auth.email.includes("@")
          ? ` BITBUCKET_EMAIL "${auth.email}" is not an email address: app passwords (a username with an app password) were retired in 2026; use your Atlassian account's email with an API token.`
          : "";
      return new BitbucketApiError(
        `${what.call}: Bitbucket refused the login (401)${detail}.${appPassword} Check ${auth.kind === "api-token" ? "BITBUCKET_EMAIL and BITBUCKET_API_TOKEN" : "BITBUCKET_TOKEN"} (it may have expired).`,
      );
    }
    if (status === 403) {
      return new BitbucketApiError(
        `${what.call}: not allowed (403)${detail}; the token needs ${what.needs} (API token scopes: ${READ_SCOPES.join(", ")})`,
      );
    }
    return new BitbucketApiError(`${what.call}: Bitbucket answered HTTP ${status}${detail}`);
  }

  private authorization(): string {
    const auth = this.options.auth;
    return auth.kind === "api-token" ? `Basic ${Buffer.from(`${auth.email}:${auth.token}`).toString("base64")}` : `Bearer ${auth.token}`;
  }

  /** Removes the secrets (and their Basic form) from a text that may be shown. */
  private redact(text: string): string {
    const auth = this.options.auth;
    const secrets = auth.kind === "api-token" ? [auth.token, Buffer.from(`${auth.email}:${auth.token}`).toString("base64")] : [auth.token];
    return secrets.filter((s) => s.length > 0).reduce((t, s) => t.split(s).join("***"), text);
  }
}

interface CallDescription {
  /** "listing the repositories of workspace "acme"" */
  readonly call: string;
  /** The read access the call needs, for 403. */
  readonly needs: string;
  /** What a 404 means (empty: the caller handles 404). */
  readonly notFound: string;
}

class NotFound extends Error {}

/** Seconds to wait for a `Retry-After` value (seconds or an HTTP date), within 0..60; 1 when absent. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number {
  if (value === null || value.trim() === "") return 1;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Math.ceil((Date.parse(value) - now) / 1000);
  return Number.isFinite(seconds) ? Math.min(Math.max(seconds, 0), RETRY_LIMITS.maxWaitSeconds) : 1;
}

function redactUrl(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}
