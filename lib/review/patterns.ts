/**
 * Containment of IAM patterns, for telling a broader grant from a narrower one: glob patterns
 * (`sub` patterns, resource ARNs; `*` any run of characters, `?` one character) and CIDR ranges.
 */
import { isIP } from "node:net";

/**
 * True when every string `inner` matches is also matched by `outer` (both glob patterns with `*` and
 * `?`, as IAM's StringLike and resource matching use them). Sound: a wildcard of `inner` can only be
 * covered by a `*` of `outer` (or `?` by `?`). So `{repo}:*` covers `{repo}:{env}:*`, not the reverse.
 */
export function globCovers(outer: string, inner: string): boolean {
  // covered[i][j]: outer[i..] covers inner[j..]. Filled from the end, one row at a time.
  let next: boolean[] = new Array(inner.length + 1).fill(false);
  next[inner.length] = true;
  for (let i = outer.length - 1; i >= 0; i--) {
    const row: boolean[] = new Array(inner.length + 1).fill(false);
    const o = outer[i];
    if (o === "*") {
      // `*` consumes nothing (next row, same j) or one more character of inner (same row, j + 1).
      row[inner.length] = next[inner.length];
      for (let j = inner.length - 1; j >= 0; j--) row[j] = next[j] || row[j + 1];
    } else {
      for (let j = inner.length - 1; j >= 0; j--) {
        const c = inner[j];
        row[j] = c !== "*" && (o === "?" ? true : c !== "?" && c === o) && next[j + 1];
      }
    }
    next = row;
  }
  return next[0];
}

/** True when some pattern of `outers` covers `inner`. */
export function anyCovers(outers: Iterable<string>, inner: string): boolean {
  for (const outer of outers) if (globCovers(outer, inner)) return true;
  return false;
}

interface Range {
  readonly family: 4 | 6;
  readonly start: bigint;
  readonly end: bigint;
}

function rangeOf(cidr: string): Range | undefined {
  const [address, bits] = cidr.split("/");
  const family = isIP(address);
  if (family === 0) return undefined;
  const width = family === 4 ? 32 : 128;
  const prefix = bits === undefined ? width : Number(bits);
  const value = family === 4 ? ipv4Value(address) : ipv6Value(address);
  const hostBits = BigInt(width - prefix);
  const start = (value >> hostBits) << hostBits;
  return { family: family as 4 | 6, start, end: start + (1n << hostBits) - 1n };
}

function ipv4Value(address: string): bigint {
  return address.split(".").reduce((acc, part) => (acc << 8n) + BigInt(Number(part)), 0n);
}

function ipv6Value(address: string): bigint {
  let text = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipv4Value(v4[1]);
    text = `${text.slice(0, -v4[1].length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const headParts = head ? head.split(":") : [];
  const tailParts = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const missing = 8 - headParts.length - tailParts.length;
  const parts = tail === undefined ? headParts : [...headParts, ...new Array(missing).fill("0"), ...tailParts];
  return parts.reduce((acc, part) => (acc << 16n) + BigInt(parseInt(part, 16)), 0n);
}

/** True when the CIDR range `outer` contains all of `inner` (same address family). */
export function cidrContains(outer: string, inner: string): boolean {
  const a = rangeOf(outer);
  const b = rangeOf(inner);
  if (!a || !b) return outer === inner;
  return a.family === b.family && a.start <= b.start && b.end <= a.end;
}
