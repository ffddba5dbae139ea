/**
 * Test support: a Bitbucket Cloud REST API 2.0 server on 127.0.0.1 that serves the documented
 * response shapes for what `init` and `check-uuids` read: a workspace, its repositories and their
 * deployment environments, paginated with `values`/`next`/`pagelen`/`page`/`size`, with Bitbucket's
 * error bodies for 401/403/404 and 429 with `Retry-After`. It logs every request, Authorization
 * header included, so tests can prove what was sent.
 */
import { randomUUID } from "node:crypto";
import { createServer, IncomingMessage, ServerResponse } from "node:http";
import { AddressInfo } from "node:net";

export interface FakeEnvironment {
  uuid: string;
  name: string;
  /** Bitbucket's environment types: Test, Staging, Production. */
  type: "Test" | "Staging" | "Production";
}

export interface FakeRepository {
  slug: string;
  uuid: string;
  name?: string;
  environments: FakeEnvironment[];
}

/** Credentials the server accepts. */
export interface FakeCredentials {
  readonly email: string;
  readonly apiToken: string;
  readonly accessToken: string;
}

/** A canned failure for requests whose path matches, `times` times (default: always). */
export interface Fault {
  readonly path: RegExp;
  readonly status: number;
  readonly headers?: Record<string, string>;
  times?: number;
}

export interface BitbucketApiServer {
  /** `http://127.0.0.1:<port>/2.0` */
  readonly apiUrl: string;
  readonly credentials: FakeCredentials;
  readonly workspace: { slug: string; uuid: string; name: string };
  readonly repositories: FakeRepository[];
  /** Largest page the server sends, whatever `pagelen` asks (Bitbucket caps it too). */
  maxPageLength: number;
  readonly faults: Fault[];
  readonly requests: { method: string; url: string; authorization?: string }[];
  close(): Promise<void>;
}

export const braced = (): string => `{${randomUUID()}}`;

const ERROR_MESSAGES: Record<number, string> = {
  401: "Unauthorized",
  403: "Your credentials lack one or more required privilege scopes.",
  404: "Resource not found",
  429: "Rate limit for this resource has been exceeded",
};

/** Starts the server with a workspace and repositories; the test adds more or faults as it likes. */
export async function startBitbucketApiServer(workspaceSlug: string, repositories: FakeRepository[]): Promise<BitbucketApiServer> {
  const credentials: FakeCredentials = { email: "dev@example.com", apiToken: `ATATT3x${randomUUID()}`, accessToken: `ATCTT3x${randomUUID()}` };
  const state: Omit<BitbucketApiServer, "apiUrl" | "close"> = {
    credentials,
    workspace: { slug: workspaceSlug, uuid: braced(), name: workspaceSlug.toUpperCase() },
    repositories,
    maxPageLength: 100,
    faults: [],
    requests: [],
  };
  let origin = "";

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, headers?: Record<string, string>): void =>
    send(res, status, { type: "error", error: { message: ERROR_MESSAGES[status] ?? "Error" } }, headers);

  const page = <T>(res: ServerResponse, url: URL, items: T[]): void => {
    const pagelen = Math.min(Number(url.searchParams.get("pagelen") ?? 10), state.maxPageLength);
    const number = Number(url.searchParams.get("page") ?? 1);
    const values = items.slice((number - 1) * pagelen, number * pagelen);
    const body: Record<string, unknown> = { pagelen, size: items.length, page: number, values };
    if (number * pagelen < items.length) {
      const next = new URL(url.href, origin);
      next.searchParams.set("page", String(number + 1));
      body.next = next.href;
    }
    send(res, 200, body);
  };

  const repositoryJson = (r: FakeRepository) => ({
    type: "repository",
    uuid: r.uuid,
    slug: r.slug,
    name: r.name ?? r.slug,
    full_name: `${state.workspace.slug}/${r.slug}`,
  });

  const authorized = (req: IncomingMessage): boolean => {
    const header = req.headers.authorization ?? "";
    return (
      header === `Basic ${Buffer.from(`${credentials.email}:${credentials.apiToken}`).toString("base64")}` || header === `Bearer ${credentials.accessToken}`
    );
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", origin);
    state.requests.push({ method: req.method ?? "", url: url.pathname + url.search, authorization: req.headers.authorization });
    const fault = state.faults.find((f) => f.path.test(url.pathname) && (f.times === undefined || f.times > 0));
    if (fault) {
      if (fault.times !== undefined) fault.times--;
      return error(res, fault.status, fault.headers);
    }
    if (!authorized(req)) return error(res, 401);
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== "2.0") return error(res, 404);
    if (parts[1] === "workspaces" && parts.length === 3) {
      return parts[2] === state.workspace.slug ? send(res, 200, { type: "workspace", ...state.workspace }) : error(res, 404);
    }
    if (parts[1] === "repositories" && parts[2] === state.workspace.slug) {
      if (parts.length === 3) return page(res, url, state.repositories.map(repositoryJson));
      const repo = state.repositories.find((r) => r.slug === parts[3] || r.uuid === parts[3]);
      if (!repo) return error(res, 404);
      if (parts.length === 4) return send(res, 200, repositoryJson(repo));
      if (parts.length === 5 && parts[4] === "environments") {
        return page(
          res,
          url,
          repo.environments.map((e) => ({
            type: "deployment_environment",
            uuid: e.uuid,
            name: e.name,
            slug: e.name.toLowerCase(),
            environment_type: { type: "deployment_environment_type", name: e.type, rank: { Test: 0, Staging: 1, Production: 2 }[e.type] },
          })),
        );
      }
    }
    return error(res, 404);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    apiUrl: `${origin}/2.0`,
    close: () => new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections())),
  });
}
