import { cidrContains, globCovers } from "../../lib/review/patterns";

const REPO = "{3f2a9c4e-7b1d-4a8e-b6c5-0d9e8f7a6b51}";
const ENV = "{9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b}";

describe("globCovers: one pattern matches everything another matches", () => {
  test.each([
    [`${REPO}:*`, `${REPO}:${ENV}:*`, true],
    [`${REPO}:${ENV}:*`, `${REPO}:*`, false],
    ["{*}:*", `${REPO}:*`, true],
    [`${REPO}:*`, "{*}:*", false],
    ["arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/logs/*", true],
    ["arn:aws:s3:::bucket/logs/*", "arn:aws:s3:::bucket/*", false],
    ["*", "arn:aws:s3:::bucket", true],
    ["arn:aws:s3:::bucket", "arn:aws:s3:::bucket", true],
    ["arn:aws:s3:::bucket", "arn:aws:s3:::bucket2", false],
    ["a?c", "abc", true],
    ["a?c", "a?c", true],
    ["abc", "a?c", false],
    ["a?c", "a*c", false],
    ["a*", "a?", true],
    ["", "", true],
    ["*", "", true],
  ])("%s covers %s: %s", (outer, inner, expected) => {
    expect(globCovers(outer, inner)).toBe(expected);
  });
});

describe("cidrContains", () => {
  test.each([
    ["104.192.0.0/16", "104.192.136.0/24", true],
    ["104.192.136.0/24", "104.192.0.0/16", false],
    ["104.192.136.0/24", "104.192.136.7", true],
    ["104.192.136.0/24", "104.192.137.7/32", false],
    ["2401:1d80::/32", "2401:1d80:1010::/48", true],
    ["2401:1d80:1010::/48", "2401:1d80::/32", false],
    ["::/0", "104.192.136.0/24", false],
  ])("%s contains %s: %s", (outer, inner, expected) => {
    expect(cidrContains(outer, inner)).toBe(expected);
  });
});
