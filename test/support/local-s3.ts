/**
 * Test support: an S3 server on 127.0.0.1 (s3rver) for Terraform's S3 backend, with an empty bucket.
 * With `conditionalWrites`, it answers `PUT` with `If-None-Match: *` on an existing key with
 * 412 PreconditionFailed, as S3 does: what `use_lockfile` relies on. Plain s3rver ignores the header,
 * so two writers would both "hold" the lock.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require("s3rver");

/** A running local S3 server; call stop() when done (it also removes its folder). */
export interface LocalS3 {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly bucket: string;
  /** Conditional PUTs answered 412 so far (proof that the lock was contended). */
  readonly preconditionFailures: () => number;
  /** True when the bucket holds the key (read from the server's store, not through S3). */
  hasObject(key: string): Promise<boolean>;
  stop(): Promise<void>;
}

interface KoaContext {
  method: string;
  path: string;
  status: number;
  body: unknown;
  type: string;
  get(header: string): string;
}

/** Starts s3rver on a free port of 127.0.0.1 with one bucket. */
export async function startLocalS3(options: { bucket: string; conditionalWrites: boolean }): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), "bbo-s3-"));
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: options.bucket }] });
  let failures = 0;
  if (options.conditionalWrites) {
    const locks = new KeyLocks();
    // First in the chain, so it sees each request before s3rver's router writes anything.
    server.middleware.unshift(async (ctx: KoaContext, next: () => Promise<void>) => {
      if (ctx.method !== "PUT" && ctx.method !== "DELETE") return next();
      const [bucket, ...rest] = ctx.path.replace(/^\//, "").split("/");
      const key = decodeURIComponent(rest.join("/"));
      if (!key) return next();
      // Check and write under one per-key lock: no other write to the key can come between them.
      return locks.run(`${bucket}/${key}`, async () => {
        if (ctx.method === "PUT" && ctx.get("if-none-match") === "*" && (await server.store.existsObject(bucket, key))) {
          failures++;
          ctx.status = 412;
          ctx.type = "application/xml";
          ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-None-Match</Condition></Error>`;
          return;
        }
        await next();
      });
    });
  }
  const address = (await server.run()) as { port: number };
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket: options.bucket,
    preconditionFailures: () => failures,
    hasObject: (key) => server.store.existsObject(options.bucket, key),
    stop: async () => {
      const http = server.httpServer as Server;
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Runs async sections one at a time per key. */
class KeyLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, section: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await section();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
