#!/usr/bin/env node
"use strict";
/**
 * Benchmark (not a test): `bitbucket-oidc review` on a stack with 500 roles, alone and against a base
 * where every tenth role differs. Times the whole command as a user runs it (a fresh node process),
 * median of 5 runs each, and fails (exit 1) when a median exceeds the budget of 2 s.
 * `npm run bench:review` (options: --roles N, --runs N, --budget-ms N).
 */
const { spawnSync } = require("node:child_process");
const { mkdtempSync, rmSync } = require("node:fs");
const { tmpdir } = require("node:os");
const path = require("node:path");
const { parseArgs } = require("node:util");

const ROOT = path.join(__dirname, "..");
const BIN = path.join(ROOT, "bin", "bitbucket-oidc.js");
const { values } = parseArgs({ options: { roles: { type: "string" }, runs: { type: "string" }, "budget-ms": { type: "string" } } });
const ROLES = Number(values.roles ?? 500);
const RUNS = Number(values.runs ?? 5);
const BUDGET_MS = Number(values["budget-ms"] ?? 2000);

require("./build.js").ensureFresh();
const { synthesize } = require("../dist/cli/app/synthesize.js");
const { validateConfig } = require("../dist/lib/config/validate.js");

function uuid(n, kind) {
  const hex = (n * 7919 + kind * 104729).toString(16).padStart(12, "0").slice(-12);
  return `{${kind.toString(16).padStart(8, "0")}-0000-4000-8000-${hex}}`;
}

/** 500 roles with two repositories each (one bound to an environment), wildcards, IP ranges; `variant` changes every tenth. */
function config(variant) {
  const roles = [];
  for (let i = 0; i < ROLES; i++) {
    const changed = variant && i % 10 === 0;
    roles.push({
      name: `bench-role-${i}`,
      repositories: [
        { uuid: uuid(i, 1), name: `service-${i}` },
        { uuid: uuid(i, 2), name: `infra-${i}`, environments: [{ uuid: uuid(i, 3), name: "production" }] },
      ],
      maxSessionDuration: changed ? 7200 : 3600,
      sourceIps: i % 3 === 0 ? ["104.192.136.0/21"] : undefined,
      statements: [
        { actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
        {
          actions: changed ? ["ecr:*"] : ["ecr:BatchCheckLayerAvailability", "ecr:PutImage", "ecr:UploadLayerPart"],
          resources: [`arn:aws:ecr:us-east-1:123456789012:repository/service-${i}`],
        },
        { actions: ["s3:Get*", "s3:List*"], resources: [`arn:aws:s3:::bucket-${i}`, `arn:aws:s3:::bucket-${i}/*`] },
      ],
    });
  }
  return validateConfig(
    {
      stack: "bench",
      workspace: { slug: "acme", uuid: "{8c5f2d0e-3b1a-4e6f-9a7d-1c2b3e4f5a60}" },
      aws: { region: "us-east-1", accountId: "123456789012" },
      state: { bucket: "acme-terraform-state", region: "us-east-1" },
      roles,
    },
    "bench-review",
  );
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeReview(args) {
  const times = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, [BIN, "review", ...args], { encoding: "utf8", maxBuffer: 1 << 30, env: { ...process.env, CI: "true" } });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (run.status !== 0) throw new Error(`review ${args.join(" ")} exited ${run.status}: ${run.stderr}`);
    bytes = run.stdout.length;
    times.push(ms);
  }
  return { median: median(times), min: Math.min(...times), max: Math.max(...times), bytes };
}

const dir = mkdtempSync(path.join(tmpdir(), "bbo-bench-review-"));
try {
  process.stderr.write(`bench:review: synthesizing two stacks of ${ROLES} roles (not timed)...\n`);
  const head = path.join(dir, "head");
  const base = path.join(dir, "base");
  synthesize(config(true), head);
  synthesize(config(false), base);
  const results = [
    ["report", timeReview(["--synth", head])],
    ["report + diff (--base)", timeReview(["--synth", head, "--base", base, "--json"])],
  ];
  let failed = false;
  process.stdout.write(`review of one stack with ${ROLES} roles, ${RUNS} runs each, whole command (node start included):\n`);
  for (const [name, r] of results) {
    const ok = r.median < BUDGET_MS;
    failed ||= !ok;
    process.stdout.write(
      `  ${name.padEnd(24)} median ${(r.median / 1000).toFixed(2)} s (min ${(r.min / 1000).toFixed(2)}, max ${(r.max / 1000).toFixed(2)}), ${(r.bytes / 1024).toFixed(0)} KiB output: ${ok ? "ok" : "OVER"} (budget ${(BUDGET_MS / 1000).toFixed(1)} s)\n`,
    );
  }
  process.exitCode = failed ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
