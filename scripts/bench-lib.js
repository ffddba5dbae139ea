"use strict";
/** Shared by the benchmark scripts: run a command under /usr/bin/time, take medians, print a row. */
const { spawnSync } = require("node:child_process");

const ENV = { ...process.env, CHECKPOINT_DISABLE: "1", CI: "true", TF_CLI_CONFIG_FILE: "/dev/null" };
const RUNS = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 3;

function log(line) {
  process.stderr.write(`${line}\n`);
}

/** Runs a command under /usr/bin/time; returns wall seconds and max RSS in MB. */
function measure(cmd, args, cwd) {
  const r = spawnSync("/usr/bin/time", ["-f", "BENCH %e %M", cmd, ...args], { cwd, env: ENV, encoding: "utf8" });
  const m = /BENCH ([\d.]+) (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  return { wall: Number(m[1]), rssMb: Number(m[2]) / 1024 };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall time and median peak RSS over RUNS runs (one warm-up run first). */
function bench(label, cmd, args, cwd, runs = RUNS) {
  measure(cmd, args, cwd);
  const results = Array.from({ length: runs }, () => measure(cmd, args, cwd));
  const out = { label, wall: median(results.map((r) => r.wall)), rssMb: median(results.map((r) => r.rssMb)) };
  log(`  ${label.padEnd(46)} ${out.wall.toFixed(2).padStart(6)} s ${out.rssMb.toFixed(0).padStart(6)} MB`);
  return out;
}


/** Marginal seconds per role between two sizes. */
function marginal(times, from, to) {
  return (times[to] - times[from]) / (to - from);
}

module.exports = { ENV, RUNS, bench, log, marginal, measure, median };
