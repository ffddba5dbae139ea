#!/usr/bin/env node
"use strict";
/**
 * Renders a review report (Markdown) to a PNG for the README, the way a pull-request comment shows it:
 * Markdown -> HTML with markdown-it, then a screenshot with headless Chromium. The page height is
 * measured first (Chromium's --dump-dom runs the page's script), so the picture holds the whole report.
 * Usage: node scripts/review-picture.js [report.md] [out.png]
 * (defaults: test/review/golden/example-review.md, docs/review-example.png). Needs `chromium`.
 */
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const MarkdownIt = require("markdown-it");

const ROOT = path.join(__dirname, "..");
const input = process.argv[2] ?? path.join(ROOT, "test", "review", "golden", "example-review.md");
const output = path.resolve(process.argv[3] ?? path.join(ROOT, "docs", "review-example.png"));
const WIDTH = 1100;

const CSS = `
body { margin: 0; background: #fff; }
main { box-sizing: border-box; width: ${WIDTH}px; padding: 24px 32px; font: 14px/1.5 "DejaVu Sans", sans-serif; color: #172b4d; }
h1 { font-size: 22px; border-bottom: 1px solid #dfe1e6; padding-bottom: 6px; }
h2 { font-size: 18px; border-bottom: 1px solid #dfe1e6; padding-bottom: 4px; margin-top: 28px; }
h3 { font-size: 15px; margin-top: 22px; }
code { font: 12px "DejaVu Sans Mono", monospace; background: #f4f5f7; padding: 1px 4px; border-radius: 3px; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: 8px 0 14px; width: 100%; }
th, td { border: 1px solid #dfe1e6; padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f4f5f7; }
blockquote { margin: 0; padding: 8px 14px; border-left: 4px solid #de350b; background: #ffebe6; }
ul { padding-left: 22px; }
`;

function page(markdown, measure) {
  const body = new MarkdownIt().render(markdown);
  const script = measure ? `<script>document.title = "height=" + document.querySelector("main").scrollHeight;</script>` : "";
  return `<!doctype html><html><head><meta charset="utf-8"><style>${CSS}</style></head><body><main>${body}</main>${script}</body></html>`;
}

function chromium(args) {
  return execFileSync("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--hide-scrollbars", ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "review-picture-"));
try {
  const markdown = fs.readFileSync(input, "utf8");
  const measurePage = path.join(dir, "measure.html");
  fs.writeFileSync(measurePage, page(markdown, true));
  const dom = chromium([`--window-size=${WIDTH},800`, "--dump-dom", `file://${measurePage}`]);
  const height = Number(/<title>height=(\d+)<\/title>/.exec(dom)?.[1]);
  if (!height) throw new Error("could not measure the page height");
  const shotPage = path.join(dir, "report.html");
  fs.writeFileSync(shotPage, page(markdown, false));
  fs.mkdirSync(path.dirname(output), { recursive: true });
  chromium([`--window-size=${WIDTH},${height}`, `--screenshot=${output}`, `file://${shotPage}`]);
  process.stderr.write(`review-picture: ${path.relative(ROOT, output)} (${WIDTH}x${height}) from ${path.relative(ROOT, input)}\n`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
