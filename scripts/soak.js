#!/usr/bin/env node
"use strict";
/**
 * The soak test (`npm run test:soak`): the whole jest suite, several times in a row, while CPU-bound
 * processes run beside it (a busy CI machine). It passes only with zero failures in every run, and
 * prints a summary: per run its wall time, its counts and every failed test with its file.
 *
 *   node scripts/soak.js                         3 full runs beside 2 CPU burners (the issue's check)
 *   node scripts/soak.js --runs 1 --burners 2 --tests test/state/locking-lockfile.test.ts
 *                                                 a smaller soak: jest gets the --tests paths/patterns
 *   node scripts/soak.js --config jest.fast.config.js
 *
 * The burners are this script's own children (`node -e 'for(;;){}'`), stopped by their PIDs at the end.
 * Exit code: 0 when no test failed in any run, 1 otherwise, 2 for a bad option.
 */
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const JEST = path.join(ROOT, "node_modules", "jest", "bin", "jest.js");

function usage(message) {
  process.stderr.write(`soak: ${message}\nusage: node scripts/soak.js [--runs N] [--burners N] [--config FILE] [--tests PATH...]\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { runs: 3, burners: 2, config: "jest.config.js", tests: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const count = (name) => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 0) usage(`${name} expects a whole number, got ${JSON.stringify(argv[i])}`);
      return n;
    };
    if (arg === "--runs") options.runs = Math.max(1, count("--runs"));
    else if (arg === "--burners") options.burners = count("--burners");
    else if (arg === "--config") options.config = argv[++i] ?? usage("--config expects a file");
    else if (arg === "--tests") while (argv[i + 1] !== undefined && !argv[i + 1].startsWith("--")) options.tests.push(argv[++i]);
    else usage(`unknown option ${JSON.stringify(arg)}`);
  }
  return options;
}

/** CPU-bound children: each spins one core until it is killed. */
function startBurners(n) {
  return Array.from({ length: n }, () => spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
}

function stopBurners(burners) {
  for (const b of burners) if (b.exitCode === null && b.signalCode === null) b.kill("SIGKILL");
}

/** One jest run; resolves with its wall time and the parsed --json report (or null when jest wrote none). */
function jestRun(options, outFile) {
  const args = [JEST, "--config", options.config, "--json", `--outputFile=${outFile}`, ...options.tests];
  const start = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
    child.on("close", (code) => {
      let report = null;
      try {
        report = JSON.parse(fs.readFileSync(outFile, "utf8"));
      } catch {
        // jest crashed before writing its report: counted as a failed run below.
      }
      resolve({ code, seconds: (Date.now() - start) / 1000, report });
    });
  });
}

/** The failed tests of a jest report, "file: test name", plus suites that failed outside any test. */
function failuresOf(report) {
  const out = [];
  for (const suite of report.testResults) {
    const file = path.relative(ROOT, suite.name);
    const failed = suite.assertionResults.filter((a) => a.status === "failed");
    for (const a of failed) out.push(`${file}: ${a.fullName}`);
    if (suite.status === "failed" && failed.length === 0) out.push(`${file}: ${(suite.message || "suite failed").split("\n")[0]}`);
  }
  return out;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bbo-soak-"));
  const burners = startBurners(options.burners);
  const stop = () => {
    stopBurners(burners);
    fs.rmSync(work, { recursive: true, force: true });
  };
  process.on("SIGINT", () => (stop(), process.exit(130)));
  process.on("SIGTERM", () => (stop(), process.exit(143)));
  const results = [];
  try {
    for (let run = 1; run <= options.runs; run++) {
      process.stderr.write(`soak: run ${run}/${options.runs} beside ${options.burners} CPU-bound processes (load ${os.loadavg()[0].toFixed(1)})\n`);
      const r = await jestRun(options, path.join(work, `run-${run}.json`));
      results.push({ run, ...r, load: os.loadavg()[0] });
    }
  } finally {
    stop();
  }

  const lines = [`soak summary: ${options.runs} run(s) of jest (${options.config}${options.tests.length ? `, ${options.tests.join(" ")}` : ""}) beside ${options.burners} CPU-bound processes on ${os.cpus().length} cores`];
  let failedTotal = 0;
  for (const r of results) {
    const rep = r.report;
    const failures = rep ? failuresOf(rep) : [`jest exited ${r.code} without a report`];
    if (rep && r.code !== 0 && failures.length === 0) failures.push(`jest exited ${r.code}`);
    failedTotal += failures.length;
    const counts = rep ? `${rep.numPassedTests} passed, ${rep.numFailedTests} failed, ${rep.numPendingTests} skipped of ${rep.numTotalTests} in ${rep.numTotalTestSuites} files` : "no report";
    lines.push(`  run ${r.run}: ${r.seconds.toFixed(1)} s, ${counts}, load ${r.load.toFixed(1)}`);
    for (const f of failures) lines.push(`    FAILED ${f}`);
  }
  lines.push(failedTotal === 0 ? "soak: PASS (zero failures)" : `soak: FAIL (${failedTotal} failure(s))`);
  process.stdout.write(`${lines.join("\n")}\n`);
  process.exitCode = failedTotal === 0 ? 0 : 1;
}

main().catch((e) => {
  process.stderr.write(`soak: ${e.stack || e}\n`);
  process.exitCode = 1;
});
